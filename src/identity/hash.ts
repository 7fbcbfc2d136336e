// Q: can this be traced back to me? A: only what goes in is identifying; callers prefix
// ("alchemy-project:", "alchemy-remote:") so the digests cannot be matched to other tools' hashes.
import { createHash } from "node:crypto";

/** Hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
