// Q: can this be traced back to me? A: these files never leave this machine (0600 in a 0700
// directory); a repository's path is kept only until the uploader has resolved its id, then
// dropped, and the file name is a salted hash prefix of the path, not the path.
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { isLowerHex, isProjectId } from "./hex-text.js";

export type Entry = { root: string } | { projectId: string | null; resolvedAt: string };

const MAX_FILE_CHARS = 4096;
// A null (say, a fresh `git init` with no commit yet) is retried daily rather than kept forever.
const NULL_RETRY_MS = 24 * 60 * 60 * 1000;

/** Host side: the cached id, null when resolved to none, undefined when not resolved yet. */
export function readCachedProjectId(dir: string, key: string): string | null | undefined {
  const entry = readEntry(dir, key);
  if (!entry || !("projectId" in entry) || isStaleNull(entry)) return undefined;
  return entry.projectId;
}

/** Host side: leaves the root for the uploader unless an entry is already there. Never throws. */
export function rememberRepoToResolve(dir: string, key: string, repoRoot: string): void {
  try {
    if (!isRepoKey(key) || !isAbsolute(repoRoot)) return;
    const entry = readEntry(dir, key);
    if (entry && ("root" in entry || !isStaleNull(entry))) return;
    // A missing file is created without clobbering a racing writer; a bad or stale one replaced.
    writeEntry(dir, key, { root: repoRoot }, entry === undefined);
  } catch {
    // Telemetry directory unwritable: the events simply go without a project id.
  }
}

export function entryFile(dir: string, key: string): string {
  return join(dir, "projects", `${key}.json`);
}

function isStaleNull(entry: { projectId: string | null; resolvedAt: string }): boolean {
  return entry.projectId === null && !(Date.now() - Date.parse(entry.resolvedAt) < NULL_RETRY_MS);
}

/** The validated entry; undefined when there is none, null when it is corrupt. */
export function readEntry(dir: string, key: string): Entry | null | undefined {
  if (!isRepoKey(key)) return undefined;
  let text: string;
  try {
    text = readFileSync(entryFile(dir, key), "utf8");
  } catch {
    // Missing or unreadable both mean nothing is known yet.
    return undefined;
  }
  try {
    return text.length <= MAX_FILE_CHARS ? parseEntry(JSON.parse(text)) : null;
  } catch {
    // Not JSON: treated like any other corrupt entry.
    return null;
  }
}

function parseEntry(value: unknown): Entry | null {
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const { root, projectId, resolvedAt } = record;
  if (typeof root === "string" && isAbsolute(root)) return { root };
  const validId = projectId === null || (typeof projectId === "string" && isProjectId(projectId));
  if (validId && typeof resolvedAt === "string" && !Number.isNaN(Date.parse(resolvedAt))) {
    return { projectId, resolvedAt };
  }
  return null;
}

/** A repository's key (repoKey in repo-root.ts): 16 hex digits. */
function isRepoKey(key: string): boolean {
  return isLowerHex(key, 16);
}

/** Write-temp-then-rename (or link, to never overwrite) so readers never see half a file. */
export function writeEntry(dir: string, key: string, entry: Entry, exclusive: boolean): void {
  const folder = join(dir, "projects");
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // mkdir accepts a link planted at the path; writing through it would leave the directory.
  if (!lstatSync(folder).isDirectory()) throw new Error(`${folder} is not a directory`);
  const file = entryFile(dir, key);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, JSON.stringify(entry) + "\n", { mode: 0o600, flag: "wx" });
  try {
    if (!exclusive) renameSync(temp, file);
    else if (!linkNoClobber(temp, file) && !existsSync(file)) renameSync(temp, file);
  } finally {
    removeQuietly(temp);
  }
}

/** True when linked or when another writer won; false when hard links are unsupported here. */
function linkNoClobber(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EEXIST";
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already renamed into place, or gone.
  }
}
