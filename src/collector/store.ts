import { appendFileSync, readFileSync } from "node:fs";
import { parseEventLine, type ReceivedEvent } from "./ndjson.js";

/** What happened to each event of one request. */
export interface AcceptResult {
  readonly accepted: readonly ReceivedEvent[];
  readonly duplicates: readonly ReceivedEvent[];
}

/** The accepted events, deduplicated by `id`, and the optional NDJSON file they go to. */
export interface EventStore {
  readonly events: Record<string, unknown>[];
  readonly duplicates: number;
  /** Throws when the out file cannot be written; nothing is recorded then. */
  accept(batch: readonly ReceivedEvent[]): AcceptResult;
}

/**
 * Creates the store. An existing out file seeds the seen ids, so a restarted collector keeps
 * deduplicating against what it already wrote. Throws when the out file cannot be opened.
 */
export function createEventStore(out: string | undefined): EventStore {
  const { seen, endsMidLine } = readOutFile(out);
  // A torn last line in the file must not swallow the first line appended after it.
  let separator = endsMidLine ? "\n" : "";
  const events: Record<string, unknown>[] = [];
  let duplicates = 0;
  return {
    events,
    get duplicates() {
      return duplicates;
    },
    accept(batch) {
      const { accepted, repeated } = splitDuplicates(batch, seen);
      // Write before recording: a failed write answers 5xx and the sender retries the batch.
      if (out !== undefined && accepted.length > 0) {
        appendFileSync(out, separator + accepted.map((event) => event.line + "\n").join(""));
        separator = "";
      }
      for (const event of accepted) {
        seen.add(event.id);
        events.push(event.value);
      }
      duplicates += repeated.length;
      return { accepted, duplicates: repeated };
    },
  };
}

function splitDuplicates(batch: readonly ReceivedEvent[], seen: ReadonlySet<string>) {
  const accepted: ReceivedEvent[] = [];
  const repeated: ReceivedEvent[] = [];
  const fresh = new Set<string>();
  for (const event of batch) {
    if (seen.has(event.id) || fresh.has(event.id)) repeated.push(event);
    else {
      fresh.add(event.id);
      accepted.push(event);
    }
  }
  return { accepted, repeated };
}

function readOutFile(out: string | undefined) {
  const seen = new Set<string>();
  if (out === undefined) return { seen, endsMidLine: false };
  // Creates the file if missing, and fails at start (not at the first request) if unwritable.
  appendFileSync(out, "");
  const text = readFileSync(out, "utf8");
  for (const line of text.split("\n")) {
    const event = line.trim() === "" ? undefined : parseEventLine(line.trim());
    if (typeof event === "object") seen.add(event.id);
  }
  return { seen, endsMidLine: text !== "" && !text.endsWith("\n") };
}
