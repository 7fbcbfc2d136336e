// The counting host (test/fixtures/counting-host.ts) as a real child process, plus the plumbing
// the guarantee scenarios share: tags, a closed port, a seeded spool, a private directory.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";
import { runProcess, type ProcessResult } from "./processes.js";
import { makeTempDir } from "./temp.js";

export const COUNTING_HOST = fileURLToPath(
  new URL("../fixtures/counting-host.js", import.meta.url),
);

export interface CountingPlan {
  /** Tags are `h<host>-e<index>`. */
  readonly host: number;
  readonly events?: number;
  /** Keep tracking until this much time has passed (then `events` is ignored). */
  readonly durationMs?: number;
  /** After `events`, keep tracking until this file exists (30 s at most). */
  readonly untilExists?: string;
  /** Yield to the event loop for `pauseMs` after every `pauseEvery` events. */
  readonly pauseEvery?: number;
  readonly pauseMs?: number;
  /** Write `<index>\n` to stdout after each completed track() call. */
  readonly progress?: boolean;
  /** SIGSTOP itself after this many events; the test sends SIGCONT. */
  readonly stopAfter?: number;
  readonly shutdown?: boolean;
  /** What to print at the end instead of `tracked <n>`. */
  readonly print?: string;
  readonly exitCode?: number;
}

export function tags(host: number, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, index) => `h${host}-e${from + index}`);
}

/** Spawn options, plus another copy of the counting host to run (one another uid can read). */
export type HostOptions = SpawnOptions & { readonly script?: string };

export function spawnCountingHost(plan: CountingPlan, options: HostOptions): ChildProcess {
  const { script = COUNTING_HOST, ...spawnOptions } = options;
  return spawn(process.execPath, [script, JSON.stringify(plan)], {
    ...spawnOptions,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCountingHost(plan: CountingPlan, options: HostOptions): Promise<ProcessResult> {
  const { script = COUNTING_HOST, ...spawnOptions } = options;
  return runProcess(process.execPath, [script, JSON.stringify(plan)], spawnOptions);
}

/** How many events a finished counting host says it tracked. */
export function trackedCount(stdout: string): number {
  const match = /tracked (\d+)/.exec(stdout);
  if (!match) throw new Error(`the host did not report: ${JSON.stringify(stdout)}`);
  return Number(match[1]);
}

/** A loopback port nobody listens on: connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A temp root with a telemetry directory path inside it (not created). */
export function scenarioDirs(t: TestContext): { root: string; dir: string } {
  const root = makeTempDir(t, "alchemy-guarantee-");
  return { root, dir: join(root, "telemetry") };
}

/** A temp root that another uid can enter (0755), for runs as `nobody`. */
export function worldReadableRoot(t: TestContext): string {
  const root = makeTempDir(t, "alchemy-guarantee-");
  chmodSync(root, 0o755);
  mkdirSync(join(root, "home"), { mode: 0o755 });
  return root;
}

/** Runs the host twice, telemetry as configured and opted out, for side-by-side comparison. */
export async function runBothWays(
  plan: CountingPlan,
  options: HostOptions & { env: Record<string, string> },
): Promise<{ on: ProcessResult; off: ProcessResult }> {
  const on = await runCountingHost(plan, options);
  const off = await runCountingHost(plan, {
    ...options,
    env: { ...options.env, DO_NOT_TRACK: "1" },
  });
  return { on, off };
}
