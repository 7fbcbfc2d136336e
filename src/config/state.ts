import { readJsonObject, writeJsonAtomic } from "./json-file.js";

/** What the last uploader run did; `status` shows it and the host reads the spawn backoff. */
export interface UploaderState {
  lastRun?: {
    startedAt: string;
    endedAt: string;
    outcome: "sent" | "nothing-to-send" | "failed" | "partial" | "disabled";
    sent: number;
    dropped: number;
    left: number;
    error?: string;
  };
  /** Epoch ms before which the host should not spawn another uploader (G5). */
  nextAttemptAt?: number;
  /** Consecutive failed runs; drives the 1 min → 1 h doubling. */
  failures?: number;
  /** Claimed batches still wait on disk, so the host should spawn even with an empty spool. */
  pendingClaims?: boolean;
  totals?: { sent: number; dropped: number; duplicatesSkipped: number };
}

export function readState(path: string): UploaderState {
  return readJsonObject(path) ?? {};
}

export function writeState(path: string, state: UploaderState): void {
  writeJsonAtomic(path, state);
}
