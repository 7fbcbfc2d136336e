import { LIMITS } from "../config/limits.js";
import type { Ledger } from "../spool/ledger.js";
import type { LineScan } from "../spool/read-lines.js";
import { parseSpooledEvent } from "../spool/validate.js";

export const PROJECT_PLACEHOLDER = /^local:([0-9a-f]{16})$/;

export interface PendingItem {
  readonly id: string;
  readonly line: string;
}

export interface PreparedBatch {
  readonly items: PendingItem[];
  readonly expiredIds: string[];
  readonly duplicates: number;
  readonly dropReasons: Record<string, number>;
}

/**
 * Turns a claimed file's lines into what can be sent: corrupt lines and events older than
 * 30 days are dropped and counted (G4, G7), ids already done are skipped (G3), and a local
 * project placeholder is replaced by the resolved project id.
 */
export async function prepareBatch(
  scan: LineScan,
  ledger: Ledger,
  resolveProject: (key: string) => Promise<string | null>,
  now = Date.now(),
): Promise<PreparedBatch> {
  const items: PendingItem[] = [];
  const expiredIds: string[] = [];
  const seen = new Set<string>();
  let corrupt = scan.oversized;
  let duplicates = 0;
  for (const line of scan.lines) {
    const event = parseSpooledEvent(line);
    if (!event) {
      corrupt += 1;
    } else if (ledger.has(event.id) || seen.has(event.id)) {
      duplicates += 1;
    } else if (now - Date.parse(event.timestamp) > LIMITS.maxEventAgeMs) {
      expiredIds.push(event.id);
    } else {
      seen.add(event.id);
      const key = PROJECT_PLACEHOLDER.exec(event.projectId ?? "")?.[1];
      const ready =
        key === undefined
          ? line
          : JSON.stringify({ ...event.record, projectId: await resolveProject(key) });
      items.push({ id: event.id, line: ready });
    }
  }
  const dropReasons: Record<string, number> = {};
  if (corrupt > 0) dropReasons.corrupt = corrupt;
  if (expiredIds.length > 0) dropReasons.expired = expiredIds.length;
  return { items, expiredIds, duplicates, dropReasons };
}
