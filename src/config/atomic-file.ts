import { renameSync, unlinkSync, writeFileSync } from "node:fs";

/**
 * Replaces a file atomically (a temp file beside it, then rename), mode 0600: readers see the
 * old file or the new one, never half of one. The temp file is created exclusively, so a link
 * planted at its name is not followed. Throws on failure, leaving no temp file behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600, flag: "wx" });
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
