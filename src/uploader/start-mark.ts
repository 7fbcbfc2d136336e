import { closeSync, constants, futimesSync, openSync, statSync, unlinkSync } from "node:fs";
import { LIMITS } from "../config/limits.js";

// <dir>/uploader.started: set by the host that starts an uploader, cleared by that uploader once
// it has tried the lock. Between the two (50 ms of delayed start, then Node's start-up), the
// lock says nothing yet, and the next commands would start an uploader each.

/** True while an uploader started in the last seconds has not reached the lock yet. */
export function isUploaderStarting(path: string, now: number): boolean {
  return modifiedWithin(path, now, LIMITS.uploaderStartMs);
}

/** Whether the file at `path` exists and was modified less than `withinMs` before `now`. */
export function modifiedWithin(path: string, now: number, withinMs: number): boolean {
  try {
    // No file is the common case: asked not to throw, stat costs no exception for it.
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats !== undefined && now - stats.mtimeMs < withinMs;
  } catch {
    return false;
  }
}

/** The start time as the file's mtime: one open, no write, never through a planted link. */
export function markUploaderStarting(path: string, now: number): void {
  const { O_WRONLY, O_CREAT, O_EXCL } = constants;
  const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0; // Not on Windows.
  // The common case, the uploader having cleared the last mark: a new file's mtime is the time
  // it was made (within a clock tick, a few ms, of `now`), and setting it again cost the host
  // 0.06 ms more. An exclusive create never follows a link either.
  if (Math.abs(Date.now() - now) < 1_000) {
    try {
      closeSync(openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600));
      return;
    } catch {
      // There already (left by an uploader that never reached the lock), or unwritable: below.
    }
  }
  try {
    const fd = openSync(path, O_WRONLY | O_CREAT | O_NOFOLLOW, 0o600);
    try {
      futimesSync(fd, now / 1000, now / 1000);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Then the next command may start a second uploader, which exits at once on the lock.
  }
}

/** The uploader has reached the lock: from now on the lock tells whether one is at work. */
export function clearUploaderStarting(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never set (started by `flush` or a test), or cleared by another uploader.
  }
}
