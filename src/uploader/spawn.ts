import { accessSync, constants, statSync } from "node:fs";
import { LIMITS } from "../config/limits.js";
import type { TelemetryFiles } from "../config/paths.js";
import { readState } from "../config/state.js";
import { uploaderEntry } from "../entries.js";
import { fileSize } from "../spool/file-size.js";
import { spawnDetached } from "./detached-spawn.js";

export type SpawnDecision =
  "spawned" | "nothing-pending" | "uploader-running" | "backing-off" | "unwritable" | "failed";

/**
 * Host side, at exit: starts the detached uploader when there is something to send, no live
 * uploader holds the lock, no backoff is in force and the directory is writable. Never throws,
 * never waits, and leaves no handle, pipe or console window behind.
 */
export function spawnUploaderIfNeeded(
  files: TelemetryFiles,
  env: Readonly<Record<string, string | undefined>>,
  now = Date.now(),
): SpawnDecision {
  try {
    if (isLockLive(files.lock, now)) return "uploader-running";
    const state = readState(files.state);
    if ((fileSize(files.spool) ?? 0) === 0 && !state.pendingClaims) return "nothing-pending";
    if ((state.nextAttemptAt ?? 0) > now) return "backing-off";
    // An uploader could neither lock nor record a backoff here: one per command would follow.
    if (!isWritable(files.dir)) return "unwritable";
    return startUploader(files.dir, env) ? "spawned" : "failed";
  } catch {
    return "failed";
  }
}

function startUploader(dir: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const childEnv: Record<string, string | undefined> = { ...env, ALCHEMY_TELEMETRY_DIR: dir };
  // The host's preloads and loaders are not ours to run (a detached child that loads user
  // code can hang forever).
  delete childEnv.NODE_OPTIONS;
  return spawnDetached(process.execPath, [uploaderEntry()], { cwd: dir, env: childEnv });
}

/** A live uploader refreshes its lock's mtime every few seconds; an old one is stale. */
export function isLockLive(lockPath: string, now: number): boolean {
  try {
    // No lock is the common case: asked not to throw, stat costs no exception for it.
    const stats = statSync(lockPath, { throwIfNoEntry: false });
    return stats !== undefined && now - stats.mtimeMs < LIMITS.lockStaleMs;
  } catch {
    return false;
  }
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
