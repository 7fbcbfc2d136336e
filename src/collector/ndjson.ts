/** One accepted line: the parsed event and its text exactly as received (for `--out`). */
export interface ReceivedEvent {
  readonly id: string;
  readonly event: string;
  readonly value: Record<string, unknown>;
  readonly line: string;
}

export type ParsedBody =
  | { readonly ok: true; readonly events: readonly ReceivedEvent[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Splits an NDJSON body into events. One bad line rejects the whole body, as a real server
 * would: the sender then drops that batch instead of the collector keeping half of it.
 */
export function parseEvents(text: string): ParsedBody {
  const events: ReceivedEvent[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const event = parseEventLine(line);
    if (typeof event === "string") return { ok: false, reason: `line ${index + 1}: ${event}` };
    events.push(event);
  }
  return { ok: true, events };
}

/** Parses and minimally validates one line; a string is the reason it was rejected. */
export function parseEventLine(line: string): ReceivedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (!isObject(value)) return "not a JSON object";
  const { id, event } = value;
  if (typeof id !== "string" || id === "") return 'missing string "id"';
  if (typeof event !== "string" || event === "") return 'missing string "event"';
  return { id, event, value, line };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
