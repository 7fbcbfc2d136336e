// Q: can this be traced back to me? A: the root path found here stays on this machine; only
// a hash of it (repoKey) names a local cache file, and neither is ever sent.
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fnv1a, hex32 } from "./fnv.js";

/** The part of `node:fs` the walk needs, so tests can count or fake stat calls. */
export interface StatPort {
  statSync(
    path: string,
    options: { throwIfNoEntry: false },
  ): { isDirectory(): boolean; isFile(): boolean } | undefined;
}

// Deeper than any real path; a guard against a port that never reaches the root.
const MAX_DEPTH = 256;

/**
 * The nearest directory at or above `cwd` holding a `.git` entry: a directory, or a file
 * (worktrees, submodules). Host side: only stat calls, no git, never throws.
 */
export function findRepoRoot(cwd: string, fs: StatPort = { statSync }): string | null {
  try {
    let dir = resolve(cwd);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const entry = fs.statSync(join(dir, ".git"), { throwIfNoEntry: false });
      if (entry && (entry.isDirectory() || entry.isFile())) return dir;
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
    return null;
  } catch {
    // A vanished cwd, a permission error or a broken port all mean "no repository known".
    return null;
  }
}

/**
 * A short local cache key for a repository root; never sent. Two FNV-1a hashes with different
 * offsets, not SHA-256: it only names a file, and the first SHA-256 costs the host 0.3 ms.
 */
export function repoKey(root: string): string {
  return hex32(fnv1a(root, 0x811c9dc5)) + hex32(fnv1a(root, 0x01000193));
}
