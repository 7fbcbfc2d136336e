import { readFileSync } from "node:fs";

/** Sums drops.ndjson: every event dropped, by reason, host and uploader alike. */
export function sumDrops(path: string): Record<string, number> {
  const totals: Record<string, number> = {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return totals;
  }
  for (const line of text.split("\n")) {
    const reasons = parseReasons(line);
    for (const [reason, count] of Object.entries(reasons)) {
      totals[reason] = (totals[reason] ?? 0) + count;
    }
  }
  return totals;
}

function parseReasons(line: string): Record<string, number> {
  try {
    const { reasons } = JSON.parse(line) as { reasons?: unknown };
    if (typeof reasons !== "object" || reasons === null) return {};
    return Object.fromEntries(
      Object.entries(reasons).filter((entry): entry is [string, number] =>
        Number.isFinite(entry[1]),
      ),
    );
  } catch {
    return {};
  }
}
