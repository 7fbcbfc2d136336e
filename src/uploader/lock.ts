import { chmodSync } from "node:fs";
import lockfile from "proper-lockfile";
import type { TelemetryFiles } from "../config/paths.js";
import { LIMITS } from "../config/limits.js";

export type LockAttempt =
  | {
      readonly kind: "acquired";
      readonly release: () => Promise<void>;
      readonly isCompromised: () => boolean;
    }
  | { readonly kind: "busy" }
  | { readonly kind: "failed"; readonly error: string };

/**
 * Takes the uploader lock without waiting (G6): busy when a live uploader holds it; a stale lock
 * (its holder dead, no refresh for LIMITS.lockStaleMs) is taken over. `realpath: false` because
 * the lock target need not exist; the compromised handler only raises a flag, since the
 * library's default throws from a timer and would kill the process.
 */
export async function acquireUploaderLock(files: TelemetryFiles): Promise<LockAttempt> {
  let compromised = false;
  try {
    const release = await lockfile.lock(files.lockTarget, {
      lockfilePath: files.lock,
      realpath: false,
      retries: 0,
      stale: LIMITS.lockStaleMs,
      update: LIMITS.lockUpdateMs,
      onCompromised: () => {
        compromised = true;
      },
    });
    // proper-lockfile makes the lock directory with the default mode; every path here is 0700.
    chmodQuietly(files.lock);
    return {
      kind: "acquired",
      isCompromised: () => compromised,
      release: async () => {
        if (compromised) return; // Not ours any more: releasing would remove another's lock.
        await release().catch(() => undefined);
      },
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ELOCKED") return { kind: "busy" };
    return { kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

function chmodQuietly(path: string): void {
  try {
    chmodSync(path, 0o700);
  } catch {
    // A mode is a courtesy here; the lock works either way.
  }
}
