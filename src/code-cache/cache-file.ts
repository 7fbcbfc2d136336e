import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { writeFileAtomic } from "../config/atomic-file.js";

// The code cache file: a first line naming the exact host code it was made from, then V8's data
// twice. V8 checks its own version, its flags and the length of the source, not the source
// itself: the first line does that (a patched or upgraded package gets no stale bytecode). And a
// release build of V8 checks no checksum of the data: damaged data crashes or hangs the process
// that runs it. The second copy is that checksum: the data is used only when both copies are
// byte for byte the same (a native compare, about 10 µs), so a flipped bit, a zeroed block or a
// cut-off file is refused. Hashing the data in JavaScript would cost the host 1 ms.

/** Over twice what the host code's data can be (about 130 KB each): such a file is not ours. */
const MAX_BYTES = 4 * 1024 * 1024;

function headerFor(codeId: string): Buffer {
  return Buffer.from(`alchemy-telemetry code cache ${codeId}\n`);
}

/** The file's data when usable; its mtime whenever there is a file (undefined: none yet). */
export interface CodeCacheRead {
  readonly data?: Buffer;
  readonly mtimeMs?: number;
}

/** V8's data from the file, or why not: missing, odd, damaged, or made for other code. */
export function readCodeCache(path: string, codeId: string): CodeCacheRead {
  let fd: number | undefined;
  try {
    // A link planted at the path is not followed, and a FIFO does not block the open.
    const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants as Partial<typeof constants>;
    fd = openSync(path, (O_RDONLY ?? 0) | O_NOFOLLOW | O_NONBLOCK);
    const stats = fstatSync(fd);
    const refused = { mtimeMs: stats.mtimeMs };
    if (!isTrusted(stats)) return refused;
    const bytes = Buffer.allocUnsafe(stats.size);
    if (readSync(fd, bytes, 0, stats.size, 0) !== stats.size) return refused;
    const header = headerFor(codeId);
    const half = (bytes.length - header.length) / 2;
    if (half < 1 || !Number.isInteger(half)) return refused;
    if (!bytes.subarray(0, header.length).equals(header)) return refused;
    const data = bytes.subarray(header.length, header.length + half);
    return data.equals(bytes.subarray(header.length + half)) ? { data, ...refused } : refused;
  } catch {
    return {}; // Missing (the first run), unreadable: the code is compiled as usual.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

/** Replaces the file atomically, 0600. Throws on failure. */
export function writeCodeCache(path: string, codeId: string, data: Uint8Array): void {
  writeFileAtomic(path, Buffer.concat([headerFor(codeId), data, data]));
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
