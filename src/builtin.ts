import { createRequire } from "node:module";

/**
 * A Node built-in loaded on first need, never when the package is imported: node:child_process
 * (2 ms), node:crypto (3 ms) and node:util/types (0.7 ms) cost a host more than they give it.
 * process.getBuiltinModule where the runtime has it (Node 20.16+), require before that.
 */
export function loadBuiltin(id: "node:crypto"): typeof import("node:crypto");
export function loadBuiltin(id: "node:child_process"): typeof import("node:child_process");
export function loadBuiltin(id: "node:util/types"): typeof import("node:util/types");
export function loadBuiltin(id: string): unknown {
  const node = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof node.getBuiltinModule === "function") return node.getBuiltinModule(id);
  return createRequire(import.meta.url)(id) as unknown;
}

/**
 * Whether the built-ins can be reached. Always in this module; the host bundle's build replaces
 * it, since that bundle reaches every built-in through process.getBuiltinModule.
 */
export function builtinsReachable(): boolean {
  return true;
}
