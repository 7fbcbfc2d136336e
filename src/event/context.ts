// Q: can this be traced back to me? A: not alone: these are coarse machine facts (OS, version,
// arch, CPU count, memory rounded to MiB, runtime) shared by many machines. No host or user name.
import { arch, availableParallelism, platform, release, totalmem } from "node:os";
import type { Phase } from "./names.js";
import { detectRuntime } from "./runtime.js";

export interface EventContext {
  readonly os: string;
  readonly osVersion: string;
  readonly arch: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly runtime: string;
  readonly runtimeVersion: string;
  readonly ci: string | null;
  readonly version: string;
  readonly phase: Phase | null;
}

/** Computed once per process: every event of a run shares it, frozen (its JSON is made once). */
export function collectContext(
  version: string,
  phase: Phase | null,
  ci: string | null,
): EventContext {
  return Object.freeze({
    os: safely(platform, "unknown"),
    osVersion: safely(release, ""),
    arch: safely(arch, "unknown"),
    cpus: safely(availableParallelism, 0),
    memoryMb: safely(() => Math.round(totalmem() / 1024 / 1024), 0),
    ...detectRuntime(),
    ci,
    version,
    phase,
  });
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback; // Sandboxed runtimes may refuse OS queries.
  }
}
