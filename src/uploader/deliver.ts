import { LIMITS } from "../config/limits.js";
import type { Ledger } from "../spool/ledger.js";
import { backoffDelay } from "../transport/retry-after.js";
import { encodeBatch, sendBatch } from "../transport/send.js";
import type { DrainOptions, DrainResult } from "./drain.js";
import { recordDrops } from "./drops.js";
import type { PendingItem } from "./prepare.js";

export interface DeliveryContext extends DrainOptions {
  readonly ledger: Ledger;
  readonly result: DrainResult;
}

/** Attempts per batch in one run: a batch that keeps failing defers the run, never loops. */
const MAX_ATTEMPTS = 6;

/**
 * Sends one batch with the retry rules of G5. Returns false when the run must stop and leave
 * the batch pending (deadline, lost lock, or a retryable failure that outlives the run).
 */
export async function deliverBatch(
  batch: readonly PendingItem[],
  context: DeliveryContext,
  /** The batch's request body, when the caller encoded it ahead (encodeBatch, same gzip). */
  encoded?: Buffer,
): Promise<boolean> {
  const { result, ledger } = context;
  const ids = batch.map((item) => item.id);
  const lines = batch.map((item) => item.line);
  // Encoded once for every attempt: a retry sends the same lines.
  const body = encoded ?? encodeBatch(lines, context.gzip ?? true);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const remaining = context.deadline - Date.now();
    if (remaining <= 0 || context.shouldStop?.()) return stop(result, "stopped");
    context.onStep?.("before-request");
    const outcome = await sendBatch(
      lines,
      { ...context, timeoutMs: Math.min(LIMITS.requestTimeoutMs, remaining) },
      body,
    );
    switch (outcome.kind) {
      case "sent":
        context.onStep?.("accepted");
        ledger.add(ids);
        context.onStep?.("recorded");
        result.sent += batch.length;
        return true;
      case "drop":
        ledger.add(ids);
        recordDrops(context.files, result, { [`rejected ${outcome.reason}`]: batch.length }, ids);
        return true;
      case "too-large":
        return deliverHalves(batch, context);
      case "retry": {
        result.lastError = outcome.reason;
        const wait =
          outcome.retryAfterMs ??
          backoffDelay(attempt, LIMITS.retryBaseMs, LIMITS.retryCapMs, context.random);
        if (Date.now() + wait >= context.deadline) {
          if (outcome.retryAfterMs !== undefined) result.retryAfterMs = outcome.retryAfterMs;
          return stop(result, "deferred");
        }
        await (context.sleep ?? sleep)(wait);
      }
    }
  }
  return stop(result, "deferred");
}

/** 413: halve the batch; a single event the server still refuses is dropped and counted. */
async function deliverHalves(
  batch: readonly PendingItem[],
  context: DeliveryContext,
): Promise<boolean> {
  if (batch.length === 1) {
    context.ledger.add(batch.map((item) => item.id));
    recordDrops(
      context.files,
      context.result,
      { "rejected HTTP 413": 1 },
      batch.map((item) => item.id),
    );
    return true;
  }
  const middle = Math.ceil(batch.length / 2);
  return (
    (await deliverBatch(batch.slice(0, middle), context)) &&
    deliverBatch(batch.slice(middle), context)
  );
}

function stop(result: DrainResult, outcome: DrainResult["outcome"]): false {
  result.outcome = outcome;
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
