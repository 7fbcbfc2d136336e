import { writeCodeCache } from "./cache-file.js";

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
  }
}
