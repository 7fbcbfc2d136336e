import { statSync } from "node:fs";

/** A file's size in bytes; undefined when it is missing or unreadable. Never throws. */
export function fileSize(path: string): number | undefined {
  try {
    // Asked not to throw for a missing file, the common case: a thrown ENOENT costs 0.1 ms cold.
    return statSync(path, { throwIfNoEntry: false })?.size;
  } catch {
    return undefined;
  }
}
