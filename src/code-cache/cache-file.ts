import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { writeFileAtomic } from "../config/atomic-file.js";

// The code cache file: a first line naming the exact host code it was made from, then V8's data.
// V8 checks its own version, its flags and the length of the source, not the source itself: a
// package upgrade that kept the length would otherwise run the old code's bytecode.

/** More than the host code's cache can be (about 130 KB): such a file is not ours. */
const MAX_BYTES = 4 * 1024 * 1024;

function headerFor(codeId: string): Buffer {
  return Buffer.from(`alchemy-telemetry code cache ${codeId}\n`);
}

/** V8's data from the file, or undefined when it is missing, odd, or made for other code. */
export function readCodeCache(path: string, codeId: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    // A link planted at the path is not followed, and a FIFO does not block the open.
    const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants as Partial<typeof constants>;
    fd = openSync(path, (O_RDONLY ?? 0) | O_NOFOLLOW | O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!isTrusted(stats)) return undefined;
    const data = Buffer.allocUnsafe(stats.size);
    if (readSync(fd, data, 0, stats.size, 0) !== stats.size) return undefined;
    const header = headerFor(codeId);
    if (data.length <= header.length || !data.subarray(0, header.length).equals(header)) {
      return undefined;
    }
    return data.subarray(header.length);
  } catch {
    return undefined; // Missing (the first run), unreadable: the code is compiled as usual.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

/** Replaces the file atomically, 0600. Throws on failure. */
export function writeCodeCache(path: string, codeId: string, data: Uint8Array): void {
  writeFileAtomic(path, Buffer.concat([headerFor(codeId), data]));
}

/**
 * V8 runs what the file holds as code: only a regular file that this user owns and that no one
 * else may write, as it is when this package wrote it.
 */
function isTrusted(stats: Stats): boolean {
  if (!stats.isFile() || stats.size > MAX_BYTES) return false;
  // Windows has neither owners nor these mode bits here.
  if (process.platform === "win32") return true;
  return stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Only a descriptor that is already gone fails to close.
  }
}
