import { existsSync } from "node:fs";
import { readStoredChoice } from "../config/choice.js";
import { resolveConsent } from "../config/consent.js";
import { LIMITS } from "../config/limits.js";
import { resolveEndpoint, type TelemetryFiles } from "../config/paths.js";
import { readState, writeState, type UploaderState } from "../config/state.js";
import { resolvePendingProject } from "../identity/project-resolve.js";
import { listClaimable, listClaimed } from "../spool/claim.js";
import { fileSize } from "../spool/file-size.js";
import type { Post } from "../transport/http-post.js";
import { packageVersion } from "../version.js";
import { drainSpool, type DrainOptions, type DrainResult } from "./drain.js";
import { acquireUploaderLock } from "./lock.js";
import { clearUploaderStarting } from "./start-mark.js";
import { writeLogLine } from "./log.js";

export interface RunOptions {
  readonly files: TelemetryFiles;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly lifetimeMs?: number;
  readonly fetch?: Post;
  readonly onStep?: DrainOptions["onStep"];
  readonly onProgress?: DrainOptions["onProgress"];
}

export type RunReport =
  | { readonly status: "disabled"; readonly reason: string }
  | { readonly status: "busy" }
  | { readonly status: "lock-failed"; readonly error: string }
  | { readonly status: "ran"; readonly drain: DrainResult };

/**
 * One uploader run: consent, lock, a provisional backoff (a run that dies counts as failed),
 * drain, state, release. After releasing it looks at the spool once more, so a host that saw
 * the lock held just before release is not left waiting for the next command.
 */
export async function runUploader(options: RunOptions): Promise<RunReport> {
  const { files, env } = options;
  const consent = resolveConsent(env, readStoredChoice(files.choice));
  if (!consent.enabled) return { status: "disabled", reason: consent.reason };
  const total = emptyResult();
  // Nothing was ever recorded here (a first `flush`): nothing to lock or send.
  if (!existsSync(files.dir)) return { status: "ran", drain: total };
  const deadline = Date.now() + (options.lifetimeMs ?? LIMITS.uploaderLifetimeMs);
  const endpoint = resolveEndpoint(env);
  // `disable` (or `reset`) while this run is under way: stop before the next request.
  const turnedOff = () => !resolveConsent(env, readStoredChoice(files.choice)).enabled;
  const resolveProject = memoize((key: string) => resolvePendingProject(files.dir, key));
  for (let round = 0; ; round += 1) {
    const lock = await acquireUploaderLock(files);
    if (round === 0) clearUploaderStarting(files.started);
    if (lock.kind === "busy")
      return round === 0 ? { status: "busy" } : { status: "ran", drain: total };
    if (lock.kind === "failed") {
      if (round > 0) return { status: "ran", drain: total };
      // A lock that can never be taken (a stray file in it, say) is a failed run like any
      // other: without the backoff every command would start another uploader.
      recordRun(files, new Date(), { ...total, outcome: "deferred", lastError: lock.error });
      return { status: "lock-failed", error: lock.error };
    }
    const startedAt = new Date();
    const failuresBefore = backOffUntilRecorded(files);
    try {
      const drain = isHttpUrl(endpoint)
        ? await drainSpool({
            files,
            deadline,
            endpoint,
            userAgent: `alchemy-telemetry/${packageVersion()}`,
            resolveProject,
            shouldStop: () => lock.isCompromised() || turnedOff(),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.onStep ? { onStep: options.onStep } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          })
        : // Not a network fault worth retrying: the events wait, and spawns back off. The URL
          // itself is not recorded, since a malformed one may hold credentials.
          { ...emptyResult(), outcome: "deferred" as const, lastError: INVALID_ENDPOINT };
      addInto(total, drain);
      // A lock lost midway belongs to another uploader now, and so does the state it records.
      if (!lock.isCompromised()) recordRun(files, startedAt, drain, failuresBefore);
    } finally {
      await lock.release();
    }
    if (total.outcome !== "drained" || !hasPendingData(files) || Date.now() >= deadline) break;
  }
  return { status: "ran", drain: total };
}

const INVALID_ENDPOINT = "ALCHEMY_TELEMETRY_URL is not an http(s) URL";

function emptyResult(): DrainResult {
  return { sent: 0, dropped: 0, duplicatesSkipped: 0, outcome: "drained" };
}

function recordRun(
  files: TelemetryFiles,
  startedAt: Date,
  drain: DrainResult,
  failuresBefore = readState(files.state).failures ?? 0,
): void {
  const previous = readState(files.state);
  const failed = drain.outcome !== "drained" && drain.lastError !== undefined;
  const failures = failed ? failuresBefore + 1 : 0;
  const totals = previous.totals ?? { sent: 0, dropped: 0, duplicatesSkipped: 0 };
  const state: UploaderState = {
    lastRun: {
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      outcome: failed
        ? "failed"
        : drain.outcome !== "drained"
          ? "partial"
          : drain.sent > 0
            ? "sent"
            : "nothing-to-send",
      sent: drain.sent,
      dropped: drain.dropped,
      left: 0,
      ...(drain.lastError ? { error: drain.lastError } : {}),
    },
    failures,
    pendingClaims: listClaimed(files.dir).length > 0,
    totals: {
      sent: totals.sent + drain.sent,
      dropped: totals.dropped + drain.dropped,
      duplicatesSkipped: totals.duplicatesSkipped + drain.duplicatesSkipped,
    },
  };
  if (failed) state.nextAttemptAt = Date.now() + spawnBackoff(failures, drain.retryAfterMs);
  try {
    writeState(files.state, state);
  } catch {
    // An unwritable state only loses the backoff and the summary, never an event.
  }
  writeLogLine(files.log, describeRun(drain));
}

/**
 * A run that dies before it records its end (a crash, a kill, a batch that brings it down each
 * time) counts as failed: the backoff is in force from its start, so a poison batch cannot
 * start an uploader per command. recordRun replaces it with the run's real outcome.
 */
function backOffUntilRecorded(files: TelemetryFiles): number {
  const state = readState(files.state);
  const failuresBefore = state.failures ?? 0;
  const failures = failuresBefore + 1;
  const nextAttemptAt = Math.max(
    Date.now() + spawnBackoff(failures, undefined),
    state.nextAttemptAt ?? 0,
  );
  try {
    writeState(files.state, { ...state, failures, nextAttemptAt });
  } catch {
    // As with recordRun: an unwritable state only loses the backoff.
  }
  return failuresBefore;
}

/** G5: 1 min doubling to 1 h; a longer Retry-After from the server is honored up to a day. */
function spawnBackoff(failures: number, retryAfterMs: number | undefined): number {
  const doubling = Math.min(
    LIMITS.spawnBackoffCapMs,
    LIMITS.spawnBackoffBaseMs * 2 ** (failures - 1),
  );
  return Math.max(doubling, Math.min(retryAfterMs ?? 0, 24 * 60 * 60_000));
}

function describeRun(drain: DrainResult): string {
  const error = drain.lastError ? ` error="${drain.lastError}"` : "";
  return `run ${drain.outcome}: sent=${drain.sent} dropped=${drain.dropped} duplicates-skipped=${drain.duplicatesSkipped}${error}`;
}

function addInto(total: DrainResult, drain: DrainResult): void {
  total.sent += drain.sent;
  total.dropped += drain.dropped;
  total.duplicatesSkipped += drain.duplicatesSkipped;
  total.outcome = drain.outcome;
  if (drain.lastError !== undefined) total.lastError = drain.lastError;
}

/** Work for another round: a batch left to another live uploader is not ours to wait for. */
function hasPendingData(files: TelemetryFiles): boolean {
  return (fileSize(files.spool) ?? 0) > 0 || listClaimable(files.dir).length > 0;
}

function isHttpUrl(text: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function memoize<T>(compute: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (!value) cache.set(key, (value = compute(key)));
    return value;
  };
}
