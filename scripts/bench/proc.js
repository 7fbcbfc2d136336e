// Child processes timed from spawn to exit, and polling with deadlines.
import { spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Runs a command to its end. `ms` is the wall time from just before spawn() to the child's
 * 'exit' event (process.hrtime.bigint). stdout/stderr are collected when piped. A child still
 * running after `timeoutMs` is killed and reported with `timedOut: true`.
 */
export function timedRun(command, args, options = {}) {
  const { env, cwd, timeoutMs = 60_000, stdout = "ignore", onSpawn } = options;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", stdout, "pipe"] });
    onSpawn?.(child);
    let ended;
    let err = "";
    let out = "";
    let timedOut = false;
    child.stderr.setEncoding("utf8").on("data", (chunk) => (err += chunk));
    child.stdout?.setEncoding("utf8").on("data", (chunk) => (out += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      ended = process.hrtime.bigint();
      clearTimeout(timer);
      const ms = Number(ended - started) / 1e6;
      // Streams may still hold the last chunks: wait for them (bounded), the time is taken.
      const finish = () => resolve({ ms, code, signal, timedOut, stderr: err, stdout: out });
      const fallback = setTimeout(finish, 2_000);
      child.once("close", () => {
        clearTimeout(fallback);
        finish();
      });
    });
  });
}

/** Polls `check` (sync or async) every `intervalMs` until it returns truthy or the deadline. */
export async function waitUntil(check, { timeoutMs, intervalMs = 20 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) return undefined;
    await delay(intervalMs);
  }
}
