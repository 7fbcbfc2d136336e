import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

/**
 * A fresh temp directory that is removed when the test ends, after ending every process still
 * working in it (a detached uploader a host started), which would otherwise write into it
 * while it is being removed and outlive the test.
 */
export function makeTempDir(t: TestContext, prefix = "alchemy-telemetry-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => {
    killProcessesIn(dir);
    // A killed process's last write may still land: retry the ENOTEMPTY it causes.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  });
  return dir;
}

function killProcessesIn(dir: string): void {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // Gone already, or not ours to look at.
    }
  }
}

/** Polls `check` until it returns a truthy value or the deadline passes. Never a bare sleep. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, what = "condition" } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
