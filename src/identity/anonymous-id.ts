// Q: can this be traced back to me? A: no. The id is random (a UUID from the kernel's secure
// generator, see random.ts), made once per machine, and says nothing about the machine or the
// person; `alchemy-telemetry reset` replaces it.
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { isUuidV4 } from "./hex-text.js";
import { random } from "./random.js";

export interface AnonymousId {
  readonly id: string;
  /** True only for the one process that created the id file: it prints the first-run notice. */
  readonly created: boolean;
}

export function isAnonymousId(value: string): boolean {
  return isUuidV4(value);
}

/** Reads the stored id; undefined when the file is missing, empty or corrupt. */
export function readAnonymousId(path: string): string | undefined {
  try {
    const value = readFileSync(path, "utf8").trim();
    return isAnonymousId(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The machine's anonymous id, creating it on first use. Concurrent first runs agree: each writes
 * a complete temp file and hard-links it into place, which fails for all but one of them.
 * A corrupt file is replaced by an atomic rename, without a second notice.
 */
export function loadOrCreateAnonymousId(path: string): AnonymousId {
  const existing = readAnonymousId(path);
  if (existing) return { id: existing, created: false };
  const id = random.uuid();
  const temp = writeTempFile(path, id);
  try {
    linkSync(temp, path);
    return { id, created: true };
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    const winner = readAnonymousId(path);
    if (winner) return { id: winner, created: false };
    renameSync(temp, path); // The file is there but corrupt: replace it.
    // Two processes may replace it at once: reading back makes the one that renamed first
    // agree with the later rename, though one that reads before the other renames may not.
    return { id: readAnonymousId(path) ?? id, created: false };
  } finally {
    removeQuietly(temp);
  }
}

/** Writes a new id unconditionally (`alchemy-telemetry reset`). */
export function replaceAnonymousId(path: string): string {
  const id = random.uuid();
  renameSync(writeTempFile(path, id), path);
  return id;
}

function writeTempFile(path: string, id: string): string {
  const temp = `${path}.${random.bytes(6).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, `${id}\n`);
  } finally {
    closeSync(fd);
  }
  return temp;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed into place, or never written.
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
