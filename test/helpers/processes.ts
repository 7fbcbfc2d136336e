import { spawn, type SpawnOptions } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const HOST_FIXTURE = fileURLToPath(new URL("../fixtures/host.js", import.meta.url));
export const UPLOADER_ENTRY = fileURLToPath(new URL("../../src/uploader/main.js", import.meta.url));
export const CLI_BIN = fileURLToPath(new URL("../../../bin/alchemy-telemetry.js", import.meta.url));

/**
 * A minimal environment for child processes: no CI variables (the suite itself may run in CI,
 * and ci-info would change the ids), a fake HOME, and whatever the test adds.
 */
export function childEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...extra };
}

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Runs a process to completion and captures its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** What the host fixture does: track these events, then (maybe) shut down. */
export interface HostPlan {
  readonly resources?: number;
  readonly shutdown?: boolean;
  readonly fail?: string;
  readonly print?: string;
  readonly exitCode?: number;
}

export function runHost(plan: HostPlan, options: SpawnOptions): Promise<ProcessResult> {
  return runProcess(process.execPath, [HOST_FIXTURE, JSON.stringify(plan)], options);
}

export function runCliCommand(
  args: readonly string[],
  options: SpawnOptions,
): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI_BIN, ...args], options);
}

/** Pids of uploaders that own claimed batches in the directory (from the batch names). */
export function uploaderPids(dir: string): number[] {
  try {
    return readdirSync(dir)
      .map((name) => /^claimed-\d+-[0-9a-f]+-(\d+)\.ndjson$/.exec(name)?.[1])
      .filter((pid): pid is string => pid !== undefined)
      .map(Number);
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
