import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { random } from "../identity/random.js";

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
  const temp = `${path}.${random.bytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created.
    }
    throw error;
  }
}
