import { readFileSync, renameSync, statSync } from "node:fs";
import { appendLineOnce, type AppendResult } from "./append.js";

/**
 * Ids the uploader has finished with (accepted by the server, or dropped for good), so that an
 * event seen again is not sent again: one spooled twice by the late-writer rule, or one in a
 * batch that a killed uploader had partly sent. Two generations bound it on disk.
 */
export interface Ledger {
  has(id: string): boolean;
  /**
   * Records ids (one append) before they count as done. Where the append fails (a full disk,
   * a link planted at the file) they still count as done in this run, and `onUnrecorded` hears
   * of it: a later run may then send a late-writer copy of one again, a duplicate with its id.
   */
  add(ids: readonly string[]): void;
}

export function openLedger(
  path: string,
  maxBytes: number,
  onUnrecorded?: (count: number, reason: AppendResult) => void,
): Ledger {
  const done = new Set<string>();
  for (const file of [`${path}.1`, path]) {
    for (const id of readIds(file)) done.add(id);
  }
  return {
    has: (id) => done.has(id),
    add(ids) {
      if (ids.length === 0) return;
      rotateIfLarge(path, maxBytes);
      for (const id of ids) done.add(id);
      const result = appendLineOnce(path, `${ids.join("\n")}\n`);
      if (result !== "appended") onUnrecorded?.(ids.length, result);
    },
  };
}

function readIds(path: string): string[] {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((id) => id.length > 0);
  } catch {
    return [];
  }
}

function rotateIfLarge(path: string, maxBytes: number): void {
  try {
    if (statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
  } catch {
    // No ledger yet.
  }
}
