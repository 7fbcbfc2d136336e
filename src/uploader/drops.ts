import type { TelemetryFiles } from "../config/paths.js";
import { appendLineOnce } from "../spool/append.js";

/**
 * Counts drops so that nothing is lost silently: one line per occasion in drops.ndjson, with
 * the ids of dropped events where they are known, which `status` sums.
 */
export function recordDrops(
  files: TelemetryFiles,
  result: { dropped: number },
  reasons: Readonly<Record<string, number>>,
  ids: readonly string[],
): void {
  const total = Object.values(reasons).reduce((sum, count) => sum + count, 0);
  if (total === 0) return;
  result.dropped += total;
  const record = { time: new Date().toISOString(), source: "uploader", reasons, ids };
  appendLineOnce(files.drops, `${JSON.stringify(record)}\n`);
}
