import { createRequire } from "node:module";

// Two dependencies are loaded on first need, never when this package is imported: env-paths
// reads the home directory as it loads (which throws when there is none), and ci-info reads
// the environment. The host bundle (scripts/bundle.js) swaps this file for one that inlines
// both, still loaded on first call.
const require = createRequire(import.meta.url);

export type EnvPaths = (name: string, options: { suffix: string }) => { config: string };
export interface CiInfo {
  readonly isCI: boolean;
  readonly name: string | null;
}

export function loadEnvPaths(): EnvPaths {
  return (require("env-paths") as { default: EnvPaths }).default;
}

export function loadCiInfo(): CiInfo {
  return require("ci-info") as CiInfo;
}
