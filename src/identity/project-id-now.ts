import type * as ChildProcess from "node:child_process";
import { createRequire } from "node:module";
import { PROJECT_ID_ENTRY } from "../entries.js";
import { PROJECT_ID } from "./project-cache.js";

/**
 * Debug mode only: the project id, resolved now by the uploader's own resolver in a child.
 * Costs a git run per process, which debug mode can afford; the host path never calls this.
 */
export function resolveProjectIdNow(repoRoot: string): string | null {
  try {
    // Loaded here only, like the uploader spawn: a host that is not debugging never loads it.
    const { spawnSync } = createRequire(import.meta.url)(
      "node:child_process",
    ) as typeof ChildProcess;
    const result = spawnSync(process.execPath, [PROJECT_ID_ENTRY, repoRoot], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 15_000,
      windowsHide: true,
    });
    return PROJECT_ID.test(result.stdout) ? result.stdout : null;
  } catch {
    return null;
  }
}
