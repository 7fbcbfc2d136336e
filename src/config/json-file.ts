import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.js";

/** Reads a small JSON object; undefined when missing, unreadable or not an object. */
export function readJsonObject(path: string): Record<string, unknown> | undefined {
  // A missing file is the common case on the host's path, and a thrown ENOENT costs 0.1 ms.
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces a small JSON file atomically (temp file + rename), mode 0600. Throws on failure. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
