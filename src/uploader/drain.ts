import { unlinkSync } from "node:fs";
import { LIMITS } from "../config/limits.js";
import type { TelemetryFiles } from "../config/paths.js";
import { takeNextBatch } from "../spool/claim.js";
import { openLedger, type Ledger } from "../spool/ledger.js";
import { readSpoolLines } from "../spool/read-lines.js";
import { splitIntoBatches } from "../transport/batch.js";
import type { SendOptions } from "../transport/send.js";
import { recordDrops } from "./drops.js";
import { prepareBatch, type PendingItem } from "./prepare.js";
import { deliverBatch, type DeliveryContext } from "./deliver.js";

/** Points in the drain where tests kill the process to prove G2/G3 (a port, not a mock). */
export type DrainStep = "claimed" | "read" | "before-request" | "accepted" | "recorded";

export interface DrainOptions extends Omit<SendOptions, "timeoutMs"> {
  readonly files: TelemetryFiles;
  /** Epoch ms at which the drain stops and leaves the rest pending (G5 lifetime). */
  readonly deadline: number;
  readonly resolveProject: (key: string) => Promise<string | null>;
  readonly onStep?: (step: DrainStep) => void;
  readonly onProgress?: (progress: DrainResult) => void;
  /** True once the lock is lost: stop before sending anything more (G6). */
  readonly shouldStop?: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface DrainResult {
  sent: number;
  dropped: number;
  duplicatesSkipped: number;
  /** "deferred": a retryable failure outlived the run; the rest stays pending. */
  outcome: "drained" | "deferred" | "stopped";
  lastError?: string;
  retryAfterMs?: number;
}

/** Claims batches one after another and sends them until none is left or time runs out. */
export async function drainSpool(options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, dropped: 0, duplicatesSkipped: 0, outcome: "drained" };
  const ledger = openLedger(options.files.ledger, LIMITS.maxLedgerBytes);
  while (result.outcome === "drained") {
    if (options.shouldStop?.() || Date.now() >= options.deadline) {
      result.outcome = "stopped";
      break;
    }
    const path = takeNextBatch(options.files);
    if (path === undefined) break;
    options.onStep?.("claimed");
    const finished = await drainClaimedFile(path, ledger, options, result);
    if (finished) removeQuietly(path);
  }
  return result;
}

/** Returns true when every line of the file is sent, dropped or skipped. */
async function drainClaimedFile(
  path: string,
  ledger: Ledger,
  options: DrainOptions,
  result: DrainResult,
): Promise<boolean> {
  let scan;
  try {
    scan = await readSpoolLines(path, LIMITS.maxLineBytes);
  } catch {
    recordDrops(options.files, result, { unreadable: 1 }, []);
    return true; // A link planted at the path, or a vanished file: nothing we can send.
  }
  options.onStep?.("read");
  const prepared = await prepareBatch(scan, ledger, options.resolveProject);
  result.duplicatesSkipped += prepared.duplicates;
  if (prepared.expiredIds.length > 0) ledger.add(prepared.expiredIds);
  recordDrops(options.files, result, prepared.dropReasons, prepared.expiredIds);
  const context: DeliveryContext = { ...options, ledger, result };
  for (const batch of splitIntoBatches<PendingItem>(
    prepared.items,
    LIMITS.maxBatchEvents,
    LIMITS.maxBatchBytes,
  )) {
    if (!(await deliverBatch(batch, context))) return false;
    options.onProgress?.({ ...result });
  }
  return true;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
