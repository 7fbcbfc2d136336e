import { accessSync, constants } from "node:fs";
import { LIMITS } from "../config/limits.js";
import type { TelemetryFiles } from "../config/paths.js";
import { readState } from "../config/state.js";
import { uploaderEntry } from "../entries.js";
import { fileSize } from "../spool/file-size.js";
import { spawnDetached, type DetachedSpawnOptions } from "./detached-spawn.js";
import {
  clearUploaderStarting,
  isUploaderStarting,
  markUploaderStarting,
  modifiedWithin,
} from "./start-mark.js";

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
  ports: SpawnPorts = {},
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
    // Set before the spawn: the uploader may clear it as soon as it runs, and the host's work
    // after a fork costs more (copy-on-write: each page it writes first takes a fault).
    markUploaderStarting(files.started, now);
    let started = false;
    try {
      started = startUploader(files.dir, env, ports);
    } finally {
      // No uploader (an error code, or a throw such as E2BIG): nothing may wait for one.
      if (!started) clearUploaderStarting(files.started);
    }
    return started ? "spawned" : "failed";
  } catch {
    return "failed";
  }
}

/**
 * Test ports: a shell that does not exist makes the uploader start at once; neither a shell nor
 * a node that exists, not at all.
 */
export interface SpawnPorts {
  readonly shell?: string;
  readonly node?: string;
}

const POSIX_SHELL = "/bin/sh";

/**
 * On POSIX the uploader starts 50 ms late, through `sh -c '…; sleep 0.05; exec node …'`: Node's
 * start-up (about 90 ms of CPU) then no longer competes with the exiting host, and the shell
 * prompt or next command after it, on a machine with one or two cores. `exec` keeps the
 * process: same pid, session and /dev/null stdio. Measured side by side on 2 cores: about 2 ms
 * less host overhead where an uploader starts. Without the shell, node starts at once.
 *
 * The shell also makes the uploader's environment: the host's own as the process inherits it,
 * less what is not ours to pass on, with the directory (its first argument). Copying the
 * environment instead cost a host 0.2 ms where it starts an uploader: Node reads each variable
 * from C++. `sh -c` reads no start-up file (ENV and BASH_ENV are for interactive shells and bash
 * under its own name), and none of our commands stops under errexit or nounset from SHELLOPTS,
 * which bash keeps read-only: unlike a copy, an inherited environment keeps SHELLOPTS.
 */
const DELAYED_START =
  'unset NODE_OPTIONS ENV BASH_ENV; ALCHEMY_TELEMETRY_DIR=$1; export ALCHEMY_TELEMETRY_DIR; shift; sleep 0.05 || :; exec "$0" "$@"';

/**
 * The host's preloads and loaders are not ours to run (a detached child that loads user code
 * can hang forever); nor are a shell's start-up files and options (errexit would stop it
 * before the exec where there is no `sleep`).
 */
const NOT_INHERITED = new Set(["NODE_OPTIONS", "ENV", "BASH_ENV", "SHELLOPTS"]);

/**
 * The process's environment object when this module loaded, which the process's environment
 * itself holds. A host that replaces `process.env` later (`process.env = { ...process.env, … }`,
 * common in tests) keeps its changes in a plain object: that one is copied, as child_process
 * would pass it. (One replaced before the package loaded, or a worker thread's own copy, is
 * taken for the process's: the uploader then gets the process's environment.)
 */
const PROCESS_ENV = process.env;

function startUploader(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  { shell = POSIX_SHELL, node = process.execPath }: SpawnPorts,
): boolean {
  const entry = uploaderEntry();
  if (process.platform !== "win32") {
    // The process's environment is inherited as it is; any other object is copied.
    const shellEnv = env === PROCESS_ENV ? undefined : uploaderEnv(env, dir);
    const args = ["-c", DELAYED_START, node, dir, entry];
    if (spawnsOrFalse(shell, args, { cwd: dir, env: shellEnv })) return true;
  }
  return spawnDetached(node, [entry], { cwd: dir, env: uploaderEnv(env, dir) });
}

/** A shell that cannot be started, by an error code or a throw, leaves node to try. */
function spawnsOrFalse(
  file: string,
  args: readonly string[],
  options: DetachedSpawnOptions,
): boolean {
  try {
    return spawnDetached(file, args, options);
  } catch {
    return false;
  }
}

/**
 * A copy of the environment for the uploader, where it is not the process's own to inherit (a
 * host's `env` option, a replaced `process.env`) or no shell makes it: what DELAYED_START makes
 * of an inherited one, and without SHELLOPTS.
 */
function uploaderEnv(
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
): Record<string, string> {
  const childEnv: Record<string, string> = {};
  const names = Object.keys(env);
  for (let index = 0; index < names.length; index++) {
    const name = names[index] ?? "";
    const value = env[name];
    if (value !== undefined && !NOT_INHERITED.has(name)) childEnv[name] = value;
  }
  childEnv.ALCHEMY_TELEMETRY_DIR = dir;
  return childEnv;
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
