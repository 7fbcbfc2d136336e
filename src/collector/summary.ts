import { formatFault, type Fault } from "./faults.js";
import type { ReceivedEvent } from "./ndjson.js";
import type { ReceivedRequest } from "./types.js";

// Enough to recognize an event on a terminal line without an error stack flooding it.
const MAX_PROPERTIES_CHARS = 160;

/** One line per request: method, path, answer, size and what happened to its events. */
export function describeRequest(
  method: string,
  path: string,
  request: ReceivedRequest,
  detail: { fault?: Fault | undefined; reason?: string | undefined },
): string {
  const parts = [`${method} ${path}`, String(request.status)];
  if (detail.fault) parts.push(`(fault ${formatFault(detail.fault)})`);
  if (request.bytes > 0) parts.push(`${request.gzip ? "gzip " : ""}${formatBytes(request.bytes)}`);
  if (detail.reason !== undefined) parts.push(detail.reason);
  if (request.events > 0 || request.duplicates > 0) {
    const plural = request.duplicates === 1 ? "" : "s";
    parts.push(`${request.events} accepted, ${request.duplicates} duplicate${plural}`);
  }
  return parts.join(" ");
}

/** One line per event: `+` accepted or `=` duplicate, name, id, and a glimpse of properties. */
export function describeEvent(event: ReceivedEvent, duplicate: boolean): string {
  const properties = JSON.stringify(event.value.properties ?? {});
  const glimpse =
    properties.length > MAX_PROPERTIES_CHARS
      ? `${properties.slice(0, MAX_PROPERTIES_CHARS)}…`
      : properties;
  return `  ${duplicate ? "=" : "+"} ${event.event} ${event.id} ${glimpse}`;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
