import { accessSync, constants } from "node:fs";
import { LIMITS } from "../config/limits.js";
import type { TelemetryFiles } from "../config/paths.js";
import { readState } from "../config/state.js";
import { uploaderEntry } from "../entries.js";
import { fileSize } from "../spool/file-size.js";
import { spawnDetached } from "./detached-spawn.js";
import { isUploaderStarting, markUploaderStarting, modifiedWithin } from "./start-mark.js";

export type SpawnDecision =
  | "spawned"
  | "nothing-pending"
  | "uploader-running"
  | "uploader-starting"
  | "backing-off"
  | "unwritable"
  | "failed";

/**
 * Host side, at exit: starts the detached uploader when there is something to send, no live
 * uploader holds the lock or is still on its way to it, no backoff is in force and the
 * directory is writable. Never throws, never waits, and leaves no handle, pipe or console
 * window behind.
 */
export function spawnUploaderIfNeeded(
  files: TelemetryFiles,
  env: Readonly<Record<string, string | undefined>>,
  now = Date.now(),
  /** A test port: a shell that does not exist makes the uploader start at once. */
  shell = POSIX_SHELL,
): SpawnDecision {
  try {
    if (isLockLive(files.lock, now)) return "uploader-running";
    // Commands in quick succession: the one started for the last is not holding the lock yet.
    if (isUploaderStarting(files.started, now)) return "uploader-starting";
    const state = readState(files.state);
    if ((fileSize(files.spool) ?? 0) === 0 && !state.pendingClaims) return "nothing-pending";
    if ((state.nextAttemptAt ?? 0) > now) return "backing-off";
    // An uploader could neither lock nor record a backoff here: one per command would follow.
    if (!isWritable(files.dir)) return "unwritable";
    if (!startUploader(files.dir, env, shell)) return "failed";
    markUploaderStarting(files.started, now);
    return "spawned";
  } catch {
    return "failed";
  }
}

const POSIX_SHELL = "/bin/sh";

/**
 * On POSIX the uploader starts 50 ms late, through `sh -c 'sleep 0.05; exec node …'`: Node's
 * start-up (about 90 ms of CPU) then no longer competes with the exiting host, and the shell
 * prompt or next command after it, on a machine with one or two cores. `exec` keeps the
 * process: same pid, session and /dev/null stdio. Measured side by side on 2 cores: about 2 ms
 * less host overhead where an uploader starts. Without the shell, node starts at once.
 */
const DELAYED_START = 'sleep 0.05 || :; exec "$0" "$@"';

function startUploader(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  shell: string,
): boolean {
  const childEnv: Record<string, string | undefined> = { ...env, ALCHEMY_TELEMETRY_DIR: dir };
  // The host's preloads and loaders are not ours to run (a detached child that loads user
  // code can hang forever); nor are a shell's start-up files and options (errexit would stop
  // it before the exec where there is no `sleep`).
  delete childEnv.NODE_OPTIONS;
  delete childEnv.ENV;
  delete childEnv.BASH_ENV;
  delete childEnv.SHELLOPTS;
  const options = { cwd: dir, env: childEnv };
  const node = process.execPath;
  const entry = uploaderEntry();
  if (
    process.platform !== "win32" &&
    spawnDetached(shell, ["-c", DELAYED_START, node, entry], options)
  ) {
    return true;
  }
  return spawnDetached(node, [entry], options);
}

/** A live uploader refreshes its lock's mtime every few seconds; an old one is stale. */
export function isLockLive(lockPath: string, now: number): boolean {
  return modifiedWithin(lockPath, now, LIMITS.lockStaleMs);
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
