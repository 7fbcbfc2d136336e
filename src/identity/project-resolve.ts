// Uploader side of the project id cache: runs git once per repository, then keeps only the id.
import { unlinkSync } from "node:fs";
import { isProjectId } from "./hex-text.js";
import { entryFile, readEntry, writeEntry } from "./project-cache.js";

/** Resolves a repository root to its project id (see project-id.ts). */
export type ResolveProject = (repoRoot: string) => Promise<string | null>;

/** The project id for `key`, resolving and caching it once; the path is dropped. Never rejects. */
export async function resolvePendingProject(
  dir: string,
  key: string,
  resolve?: ResolveProject,
): Promise<string | null> {
  try {
    const entry = readEntry(dir, key);
    // A corrupt file is removed so that the next host run can register the repository again.
    if (entry === null) unlinkSync(entryFile(dir, key));
    if (!entry) return null;
    if ("projectId" in entry) return entry.projectId;
    // execa is loaded only when a repository actually needs resolving (once per repository).
    const resolveId = resolve ?? (await import("./project-id.js")).resolveProjectId;
    const found = await resolveId(entry.root);
    const projectId = typeof found === "string" && isProjectId(found) ? found : null;
    writeEntry(dir, key, { projectId, resolvedAt: new Date().toISOString() }, false);
    return projectId;
  } catch {
    // An unreadable or unwritable cache costs a project id, never an upload.
    return null;
  }
}
