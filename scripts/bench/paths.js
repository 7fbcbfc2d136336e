// Where things are, and the bench's private temporary root.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL("./", import.meta.url));
export const DIST = join(ROOT, "dist", "src");
/** The package's main entry as a host resolves it (through package.json "exports"). */
export const ENTRY = fileURLToPath(import.meta.resolve("alchemy-telemetry"));
export const UPLOADER_ENTRY = join(DIST, "uploader", "main.js");
export const RESULTS_DIR = join(ROOT, "bench-results");

export const script = (name) => join(BENCH_DIR, name);

/** Creates the bench's temporary root; every directory the bench uses lives below it. */
export function createTempRoot() {
  const root = mkdtempSync(join(tmpdir(), "alchemy-bench-"));
  let counter = 0;
  return {
    root,
    /** A fresh directory below the root (not created when `create` is false). */
    dir(label, { create = true } = {}) {
      const path = join(root, `${label}-${counter++}`);
      if (create) mkdirSync(path, { recursive: true, mode: 0o700 });
      return path;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The environment of every child: ours, minus anything that would change telemetry's mind. */
export function baseEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("ALCHEMY_TELEMETRY_") || key === "DO_NOT_TRACK") delete env[key];
  }
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}
