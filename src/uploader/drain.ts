import { existsSync, unlinkSync } from "node:fs";
import { LIMITS } from "../config/limits.js";
import type { TelemetryFiles } from "../config/paths.js";
import { takeNextBatch } from "../spool/claim.js";
import { openLedger, type Ledger } from "../spool/ledger.js";
import { OVERSIZED, spoolLines } from "../spool/read-lines.js";
import { createBatchBuilder } from "../transport/batch.js";
import { encodeBatch, type SendOptions } from "../transport/send.js";
import { recordDrops } from "./drops.js";
import { writeLogLine } from "./log.js";
import { prepareLine, type PendingItem } from "./prepare.js";
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
  /** True once the run must send nothing more: the lock lost (G6), telemetry turned off. */
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
  const ledger = openLedger(options.files.ledger, LIMITS.maxLedgerBytes, (count, reason) => {
    writeLogLine(options.files.log, `could not record ${count} done ids: ${reason}`);
  });
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
  // A batch deleted under us (`disable`, `reset`) is no longer the user's to send.
  const shouldStop = () => options.shouldStop?.() === true || !existsSync(path);
  const context: DeliveryContext = { ...options, shouldStop, ledger, result };
  const batches = createBatchBuilder<PendingItem>(LIMITS.maxBatchEvents, LIMITS.maxBatchBytes);
  const seen = new Set<string>();
  const expired: string[] = [];
  let corrupt = 0;
  // While one batch is on the wire, the next one is read and prepared: the uploader's own work
  // (reading, parsing, checking each line) overlaps the wait for the endpoint's answer. Still one
  // request at a time and in order, and memory stays bounded by two batches, whatever the
  // file's size.
  let onTheWire: Promise<boolean> | undefined;
  const settle = async (): Promise<boolean> => {
    const sending = onTheWire;
    onTheWire = undefined;
    return sending === undefined ? true : sending;
  };
  /** Called for every line: `batch` is set only when one is full (or the file ends). */
  const deliver = async (batch: PendingItem[] | undefined): Promise<boolean> => {
    if (expired.length > 0) dropExpired(context, expired.splice(0));
    if (!batch) return true;
    // Compressed before the wait too: the request goes out as soon as the answer is in.
    const body = encodeBatch(
      batch.map((item) => item.line),
      options.gzip ?? true,
    );
    if (!(await settle())) return false;
    onTheWire = deliverBatch(batch, context, body).then((delivered) => {
      options.onProgress?.({ ...result });
      return delivered;
    });
    return true;
  };
  const lines = spoolLines(path, LIMITS.maxLineBytes);
  try {
    for (let read = 0; ; read += 1) {
      let next: IteratorResult<string | typeof OVERSIZED>;
      try {
        next = await lines.next();
      } catch {
        // A read error midway: keep the file for a later run, once the batch sent is recorded.
        if (read > 0) return await settle().then(() => false);
        // A link planted at the path, or a file that vanished: nothing can be sent from it.
        recordDrops(options.files, result, { unreadable: 1 }, []);
        return true;
      }
      if (next.done) break;
      if (read === 0) options.onStep?.("read");
      const line = next.value;
      const prepared =
        line === OVERSIZED
          ? CORRUPT
          : await prepareLine(line, ledger, seen, options.resolveProject);
      if (prepared.kind === "corrupt") corrupt += 1;
      else if (prepared.kind === "duplicate") result.duplicatesSkipped += 1;
      else if (prepared.kind === "expired") expired.push(prepared.id);
      else if (!(await deliver(batches.add(prepared.item))))
        return await lines.return(undefined).then(() => false);
    }
    if (!(await deliver(batches.finish())) || !(await settle())) return false;
  } finally {
    // Only when something above threw: the batch on the wire still ends before this run goes on.
    await onTheWire?.catch(() => false);
  }
  // Counted once the file is done: a run that stops early reads these lines again next time.
  recordDrops(options.files, result, { corrupt }, []);
  return true;
}

const CORRUPT = { kind: "corrupt" } as const;

/** G4: events older than 30 days are dropped, counted with their ids, and never sent. */
function dropExpired(context: DeliveryContext, ids: string[]): void {
  context.ledger.add(ids);
  recordDrops(context.files, context.result, { expired: ids.length }, ids);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
