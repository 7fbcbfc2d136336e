import { renameSync } from "node:fs";
import { LIMITS } from "../config/limits.js";
import { appendLineOnce } from "../spool/append.js";
import { fileSize } from "../spool/file-size.js";

/** The uploader's own log, read by `status`; bounded by rotating to one older generation. */
export function writeLogLine(path: string, message: string, now = new Date()): void {
  try {
    if ((fileSize(path) ?? 0) > LIMITS.maxLogBytes) renameSync(path, `${path}.1`);
    // Never through a link planted at the path: nothing is written outside the directory.
    appendLineOnce(path, `${now.toISOString()} [${process.pid}] ${message}\n`);
  } catch {
    // The log is a convenience; a failure to write it changes nothing.
  }
}
