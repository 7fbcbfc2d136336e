import { lstatSync, unlinkSync, type Stats } from "node:fs";
import { writeCodeCache } from "./cache-file.js";
import { listCodeCaches } from "./cache-name.js";

/** What the module-sync entry hands over when it had to compile the host code without a cache. */
export interface CodeCacheOffer {
  /** The telemetry directory the entry looked in (from process.env, at import). */
  readonly dir: string;
  readonly path: string;
  readonly codeId: string;
  /** V8's data for the host code and every function compiled so far. */
  readonly createData: () => Uint8Array;
}

let offer: CodeCacheOffer | undefined;

/** Called by the module-sync entry only; elsewhere (the compat bundle, tests) nothing is saved. */
export function offerCodeCache(next: CodeCacheOffer): void {
  offer = next;
}

/**
 * Writes the cache once, at the first shutdown of an enabled host whose directory is the one the
 * entry looked in (and that the caller judged a typical run): by then V8 has compiled what a
 * host runs, so the next start skips all of it. Costs that one run about 3 ms. Never throws.
 */
export function saveCodeCache(dir: string): void {
  const current = offer;
  if (current === undefined || current.dir !== dir) return;
  offer = undefined;
  try {
    writeCodeCache(current.path, current.codeId, current.createData());
  } catch {
    // A full or read-only disk: the next run compiles as usual, and offers again.
    return;
  }
  pruneOtherCaches(dir, current.path);
}

/**
 * One cache per set of Node flags (cache-name.ts): the few written last are kept, with this one.
 * A cache in use is never rewritten, so one still in use may go: its next run makes it again.
 */
const MAX_CACHES = 4;

function pruneOtherCaches(dir: string, kept: string): void {
  // An unreadable directory lists none: at worst a few extra files stay.
  const others = listCodeCaches(dir)
    .filter((path) => path !== kept)
    .flatMap((path) => {
      const stats = lstatQuietly(path);
      return stats?.isFile() || stats?.isSymbolicLink() ? [{ path, mtimeMs: stats.mtimeMs }] : [];
    })
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { path } of others.slice(0, Math.max(0, others.length - (MAX_CACHES - 1)))) {
    try {
      unlinkSync(path); // A link goes as a link; what it points to stays.
    } catch {
      // Gone already, or not ours to remove: the others are still pruned.
    }
  }
}

function lstatQuietly(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // Not ours to read: not ours to prune either.
  }
}
