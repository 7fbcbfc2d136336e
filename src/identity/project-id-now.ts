import { projectIdEntry } from "../entries.js";
import { isProjectId } from "./hex-text.js";
import { loadBuiltin } from "../builtin.js";

/**
 * Debug mode only: the project id, resolved now by the uploader's own resolver in a child.
 * Costs a git run per process, which debug mode can afford; the host path never calls this.
 */
export function resolveProjectIdNow(repoRoot: string): string | null {
  let projectId = resolved.get(repoRoot);
  if (projectId === undefined) resolved.set(repoRoot, (projectId = resolveInChild(repoRoot)));
  return projectId;
}

/** Once per repository per process, however many instances the host creates. */
const resolved = new Map<string, string | null>();

function resolveInChild(repoRoot: string): string | null {
  try {
    // Loaded here only, like the uploader spawn: a host that is not debugging never loads it.
    const { spawnSync } = loadBuiltin("node:child_process");
    // The host's preloads and loaders are not ours to run (a `--inspect-brk` would hold it).
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, [projectIdEntry(), repoRoot], {
      encoding: "utf8",
      env,
      stdio: ["ignore", "pipe", "ignore"],
      // Each git call inside has a 5 s limit already; a hung git costs debug mode this at most.
      timeout: 6_000,
      windowsHide: true,
    });
    return isProjectId(result.stdout) ? result.stdout : null;
  } catch {
    return null;
  }
}
