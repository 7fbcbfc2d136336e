// Uploader processes for the guarantee scenarios: the probe fixture (the real runUploader with a
// recording fetch and kill/stop points), /proc scans that find and count uploaders of one
// telemetry directory, and cleanup so no test leaves a child behind.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";
import type { DrainStep } from "../../src/uploader/drain.js";
import { isAlive, UPLOADER_ENTRY } from "./processes.js";
import { waitFor } from "./temp.js";

export const PROBE_FIXTURE = fileURLToPath(
  new URL("../fixtures/probe-uploader.js", import.meta.url),
);

export type KillPoint = DrainStep | "locked" | "mid-read";

export interface ProbePlan {
  readonly dir: string;
  readonly lifetimeMs?: number;
  /** SIGKILL itself at this point (the nth time the step is reached). */
  readonly killAt?: KillPoint;
  /** SIGSTOP itself at this step; the test sends SIGCONT. */
  readonly stopAt?: DrainStep;
  /** Throws at this step, as a bug that a batch triggers every time would: the run crashes. */
  readonly throwAt?: DrainStep;
  readonly nth?: number;
  /** Appends one JSON line per request start/end and per kill to this file. */
  readonly record?: string;
}

export interface ProbeRecord {
  readonly pid: number;
  readonly request?: "start" | "end";
  readonly start?: number;
  readonly at?: number;
  readonly kill?: string;
  readonly claimed?: number;
  readonly stop?: string;
}

export interface ProbeResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output:
    { report?: { status: string; drain?: Record<string, unknown> }; maxRssKb?: number } | undefined;
}

export function spawnProbe(plan: ProbePlan, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [PROBE_FIXTURE, JSON.stringify(plan)], {
    cwd: plan.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves when the child has exited, with what it printed. */
export function finished(child: ChildProcess): Promise<ProbeResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      let output: ProbeResult["output"];
      try {
        output = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as ProbeResult["output"];
      } catch {
        output = undefined;
      }
      resolve({ code, signal, stdout, stderr, output });
    });
  });
}

export function runProbe(plan: ProbePlan, env: Record<string, string>): Promise<ProbeResult> {
  return finished(spawnProbe(plan, env));
}

/** The real uploader entry (`dist/src/uploader/main.js`), run to completion in the foreground. */
export function runRealUploader(dir: string, env: Record<string, string>): Promise<ProbeResult> {
  const child = spawn(process.execPath, [UPLOADER_ENTRY], {
    cwd: dir,
    env: { ...env, ALCHEMY_TELEMETRY_DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}

export function readProbeRecords(path: string): ProbeRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  return lines.filter((line) => line !== "").map((line) => JSON.parse(line) as ProbeRecord);
}

/** Requests of different processes whose [start, end] intervals overlap (G6 violations). */
export function overlappingRequests(records: readonly ProbeRecord[]): string[] {
  const spans = records
    .filter((record) => record.request === "end" && record.start !== undefined)
    .map((record) => ({ pid: record.pid, start: record.start ?? 0, end: record.at ?? 0 }))
    .sort((a, b) => a.start - b.start);
  const found: string[] = [];
  for (let i = 0; i < spans.length; i += 1) {
    for (let j = i + 1; j < spans.length; j += 1) {
      const a = spans[i];
      const b = spans[j];
      if (!a || !b || b.start >= a.end) break;
      if (a.pid !== b.pid) found.push(`pid ${a.pid} and pid ${b.pid} sent at the same time`);
    }
  }
  return found;
}

function readProc(pid: string, what: string): string | undefined {
  try {
    return what === "cwd"
      ? readlinkSync(`/proc/${pid}/cwd`)
      : readFileSync(`/proc/${pid}/${what}`, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Live uploader processes (real or probe) working on `dir`: found by command line and cwd. One
 * still in `sh -c 'sleep 0.05; exec node …'` counts (it becomes the uploader, same pid); the
 * shell's own child for `sleep`, a copy of it until it execs, does not.
 */
export function uploaderProcesses(dir: string): number[] {
  const found = new Map<number, number>(); // pid -> parent pid
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = readProc(pid, "cmdline");
    if (!cmdline || !/uploader\/main\.js|probe-uploader\.js/.test(cmdline)) continue;
    if (readProc(pid, "cwd") !== dir) continue;
    const parent = Number(
      readProc(pid, "stat")
        ?.replace(/^.*\) /, "")
        .split(" ")[1],
    );
    found.set(Number(pid), parent);
  }
  return [...found].filter(([, parent]) => !found.has(parent)).map(([pid]) => pid);
}

/** Pids that wrote to the uploader log (every uploader logs its run, busy or not). */
export function loggedUploaderPids(dir: string): Set<number> {
  const pids = new Set<number>();
  for (const name of ["uploader.log.1", "uploader.log"]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    for (const match of readFileSync(path, "utf8").matchAll(/\[(\d+)\]/g))
      pids.add(Number(match[1]));
  }
  return pids;
}

/** Samples /proc every few ms; `stop()` returns every uploader pid seen or logged. */
export function startCensus(dir: string, intervalMs = 5): { stop(): Set<number>; now(): number } {
  const seen = new Set<number>();
  let live = 0;
  const sample = () => {
    const pids = uploaderProcesses(dir);
    live = pids.length;
    for (const pid of pids) seen.add(pid);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    now: () => live,
    stop() {
      clearInterval(timer);
      sample();
      for (const pid of loggedUploaderPids(dir)) seen.add(pid);
      return seen;
    },
  };
}

export async function killUploaders(dir: string): Promise<void> {
  const pids = uploaderProcesses(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  await waitFor(() => pids.every((pid) => !isAlive(pid) || isZombie(pid)), {
    what: "uploaders to die",
  });
}

function isZombie(pid: number): boolean {
  return /^\d+ \(.*\) Z/.test(readProc(String(pid), "stat") ?? "");
}

/** Kills, at the end of the test, every uploader still working on `dir`. */
export function cleanupUploaders(t: TestContext, dir: string): void {
  t.after(() => killUploaders(dir));
}

/** Waits until no uploader works on `dir` any more. */
export function waitUploadersGone(dir: string, timeoutMs = 30_000): Promise<boolean> {
  return waitFor(() => uploaderProcesses(dir).length === 0, {
    timeoutMs,
    what: `uploaders of ${dir} to exit`,
  });
}

/** The state letter of a process (R, S, T, Z…), or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  return /^\d+ \(.*\) (\w)/.exec(readProc(String(pid), "stat") ?? "")?.[1];
}

export function waitStopped(pid: number): Promise<boolean> {
  return waitFor(() => processState(pid) === "T", { what: `pid ${pid} to stop` });
}

/**
 * A SIGKILLed uploader leaves its lock directory behind; it is stale once not refreshed for
 * 20 s. Instead of waiting that long, the test moves the lock's mtime into the past.
 */
export function ageLock(dir: string, byMs = 60_000): void {
  const lock = join(dir, "uploader.lock");
  if (!existsSync(lock)) return;
  const past = new Date(Date.now() - byMs);
  utimesSync(lock, past, past);
}
