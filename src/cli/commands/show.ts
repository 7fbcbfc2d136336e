import { join } from "node:path";
import { LIMITS } from "../../config/limits.js";
import { listClaimed } from "../../spool/claim.js";
import { readSpoolLines } from "../../spool/read-lines.js";
import { parseSpooledEvent } from "../../spool/validate.js";
import { parseFlags } from "../args.js";
import { UsageError, type Command } from "../command.js";
import { filesFor } from "../context.js";

export const showCommand: Command = {
  name: "show",
  summary: "Print the pending events",
  help: `Usage: alchemy-telemetry show [--json] [--limit <n>]

Prints the events waiting to be sent, oldest first, exactly as they are stored.
The spool is plain NDJSON: \`cat\` works too.

Options:
  --json        print the raw NDJSON lines
  --limit <n>   print at most n events`,
  async run(args, io) {
    const { values } = parseFlags(args, { json: { type: "boolean" }, limit: { type: "string" } });
    const limit = parseLimit(values.limit);
    const files = filesFor(io);
    const paths = [...listClaimed(files.dir).map((name) => join(files.dir, name)), files.spool];
    let shown = 0;
    for (const path of paths) {
      // A file claimed or sent meanwhile simply has nothing left to show.
      const lines = await readSpoolLines(path, LIMITS.maxLineBytes).catch(() => []);
      for (const line of lines) {
        if (shown >= limit) return 0;
        io.stdout(values.json ? `${line}\n` : `${summarize(line)}\n`);
        shown += 1;
      }
    }
    if (shown === 0 && !values.json) io.stdout("no pending events\n");
    return 0;
  },
};

function parseLimit(value: string | undefined): number {
  if (value === undefined) return Infinity;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new UsageError(`Expected \`--limit\` to be a non-negative integer, got \`${value}\``);
  }
  return limit;
}

function summarize(line: string): string {
  const event = parseSpooledEvent(line);
  if (!event) return `(unreadable line, ${line.length} chars)`;
  const properties = event.record.properties as {
    resource?: { type?: string; name?: string; status?: string };
    elapsedMs?: number;
    error?: { name?: string };
  };
  const parts = [event.timestamp, String(event.record.event)];
  if (properties.resource)
    parts.push(`${properties.resource.type ?? "?"} ${properties.resource.name ?? "?"}`);
  if (properties.resource?.status) parts.push(properties.resource.status);
  if (properties.elapsedMs !== undefined) parts.push(`${properties.elapsedMs} ms`);
  if (properties.error?.name) parts.push(properties.error.name);
  return parts.join("  ");
}
