import type { StoredChoice } from "./consent.js";
import { readJsonObject, writeJsonAtomic } from "./json-file.js";

/** The user's persisted `enable`/`disable`, kept apart from the uploader's state so neither
 * can overwrite the other. */
export function readStoredChoice(path: string): StoredChoice {
  const enabled = readJsonObject(path)?.enabled;
  return typeof enabled === "boolean" ? enabled : undefined;
}

export function writeStoredChoice(path: string, enabled: boolean): void {
  writeJsonAtomic(path, { enabled, changedAt: new Date().toISOString() });
}
