// Which file holds this process's code cache. V8 refuses a cache made under other V8 flags
// (`--max-old-space-size`, a common NODE_OPTIONS, among them), and a refused cache is replaced
// at most once an hour: with one file, a machine alternating between two setups started one of
// them without the cache for up to an hour after each switch. Each set of flags has its own.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CODE_CACHE_NAME } from "../config/paths.js";
import { fnv1a, hex32 } from "../identity/fnv.js";
import { isLowerHex } from "../identity/hex-text.js";

const PREFIX = "host-code-";
const SUFFIX = ".cache";

/**
 * `host-code.cache` without flags; else `host-code-<8 hex>.cache`, named by the command line's
 * Node flags and NODE_OPTIONS. A process with flags tries the plain cache while it has none of
 * its own (entry.ts): most flags are Node's alone, and V8 takes it.
 */
export function codeCacheName(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string {
  const options = nodeOptions?.trim() ?? "";
  if (execArgv.length === 0 && options === "") return CODE_CACHE_NAME;
  return `${PREFIX}${hex32(fnv1a(`${execArgv.join("\0")}\0\0${options}`))}${SUFFIX}`;
}

/** The paths of the code caches in `dir`, sorted by name; none when it cannot be read. */
export function listCodeCaches(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isCodeCacheName)
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** A name codeCacheName gives. */
export function isCodeCacheName(name: string): boolean {
  if (name === CODE_CACHE_NAME) return true;
  if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) return false;
  return isLowerHex(name.slice(PREFIX.length, -SUFFIX.length), 8);
}
