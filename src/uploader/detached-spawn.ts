import { loadBuiltin } from "../builtin.js";

/** The environment and working directory of the detached child. */
export interface DetachedSpawnOptions {
  readonly cwd: string;
  /** Undefined: the host's environment, as the process inherits it. */
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Starts `file args…` detached from the host: its own session, stdio ignored, no console
 * window, nothing that keeps the host's event loop alive. True when a child was started; may
 * throw (the caller swallows it). Errors that arrive later are never reported to the host.
 */
export function spawnDetached(
  file: string,
  args: readonly string[],
  options: DetachedSpawnOptions,
): boolean {
  return canUseProcessHandle()
    ? spawnWithProcessHandle(file, args, options)
    : spawnWithChildProcess(file, args, options);
}

function spawnWithChildProcess(
  file: string,
  args: readonly string[],
  options: DetachedSpawnOptions,
): boolean {
  const { spawn } = loadBuiltin("node:child_process");
  const child = spawn(file, args, {
    detached: true,
    stdio: "ignore",
    windowsHide: true,
    cwd: options.cwd,
    env: options.env,
  });
  child.on("error", () => {
    // Spawn failures (EAGAIN, ENOENT) are telemetry's problem, never the host's.
  });
  child.unref();
  return child.pid !== undefined;
}

interface ProcessHandle {
  onexit: () => void;
  spawn(options: object): number;
  unref(): void;
  close(): void;
}

/**
 * node:child_process costs a host about 2 ms to load (it brings net, dgram and streams with it)
 * and its spawn() 1.5 ms more. The process handle underneath does the same detached spawn in
 * under 1 ms: the spawn a host pays at the end of nearly every command.
 */
function spawnWithProcessHandle(
  file: string,
  args: readonly string[],
  options: DetachedSpawnOptions,
): boolean {
  const binding = processBinding()?.("process_wrap") as { Process: new () => ProcessHandle };
  const handle = new binding.Process();
  handle.onexit = () => {
    handle.close(); // The uploader ended while the host still runs.
  };
  const failed = handle.spawn({
    file,
    args: [file, ...args],
    cwd: options.cwd,
    // Without pairs, libuv leaves the child the process's own environment.
    envPairs: options.env === undefined ? undefined : pairsOf(options.env),
    stdio: [{ type: "ignore" }, { type: "ignore" }, { type: "ignore" }],
    detached: true,
    windowsHide: true,
  });
  // A libuv error code (ENOENT, EAGAIN): no child, nothing to hold.
  if (failed !== 0) handle.close();
  else handle.unref();
  return failed === 0;
}

function pairsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const pairs: string[] = [];
  const names = Object.keys(env);
  for (let index = 0; index < names.length; index++) {
    const name = names[index] ?? "";
    const value = env[name];
    if (value !== undefined) pairs.push(`${name}=${value}`);
  }
  return pairs;
}

/**
 * The handle is Node's own, and process.binding() is a pending deprecation: used only on Node
 * on POSIX (as child_process itself uses it there), and never where the deprecation notice
 * would print into the host's output (or, with `--throw-deprecation`, throw in it). Node decides
 * that at start-up, from flags in any spelling and the environment as it was then, and wraps
 * process.binding in a function named "deprecated": the name is the one reliable sign.
 */
function canUseProcessHandle(): boolean {
  if (process.platform === "win32") return false;
  if (process.versions.bun !== undefined || process.versions.deno !== undefined) return false;
  const { binding } = process as unknown as { binding?: unknown };
  return typeof binding === "function" && binding.name === "binding";
}

/** Not in Node's type definitions: deprecated (documentation only), still there in Node 20-24. */
function processBinding(): ((name: string) => unknown) | undefined {
  const { binding } = process as unknown as { binding?: (name: string) => unknown };
  return typeof binding === "function" ? binding.bind(process) : undefined;
}
