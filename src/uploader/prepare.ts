import { LIMITS } from "../config/limits.js";
import type { Ledger } from "../spool/ledger.js";
import { parseSpooledEvent } from "../spool/validate.js";

export const PROJECT_PLACEHOLDER = /^local:([0-9a-f]{16})$/;

export interface PendingItem {
  readonly id: string;
  readonly line: string;
}

/** What becomes of one spooled line. */
export type Prepared =
  | { readonly kind: "send"; readonly item: PendingItem }
  | { readonly kind: "corrupt" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "expired"; readonly id: string };

/**
 * Decides one claimed line: corrupt lines and events older than 30 days are dropped (G4, G7),
 * ids already done or already seen in this file are skipped (G3), and a local project
 * placeholder is replaced by the resolved project id.
 */
export async function prepareLine(
  line: string,
  ledger: Ledger,
  seen: Set<string>,
  resolveProject: (key: string) => Promise<string | null>,
  now = Date.now(),
): Promise<Prepared> {
  const event = parseSpooledEvent(line);
  if (!event) return { kind: "corrupt" };
  if (ledger.has(event.id) || seen.has(event.id)) return { kind: "duplicate" };
  seen.add(event.id);
  if (now - Date.parse(event.timestamp) > LIMITS.maxEventAgeMs)
    return { kind: "expired", id: event.id };
  const key = PROJECT_PLACEHOLDER.exec(event.projectId ?? "")?.[1];
  if (key === undefined) return { kind: "send", item: { id: event.id, line } };
  const projectId = await resolveProject(key);
  return {
    kind: "send",
    item: { id: event.id, line: JSON.stringify({ ...event.record, projectId }) },
  };
}
