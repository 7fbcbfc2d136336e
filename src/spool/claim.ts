import { readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { TelemetryFiles } from "../config/paths.js";
import { LIMITS } from "../config/limits.js";
import { random } from "../identity/random.js";

/** `claimed-<time>-<random>-<owner pid>.ndjson`: a batch of the spool taken by one uploader. */
const CLAIMED = /^claimed-(\d+)-[0-9a-f]+-(\d+)\.ndjson$/;

export function isClaimedName(name: string): boolean {
  return CLAIMED.test(name);
}

function claimedName(now: number): string {
  return `claimed-${now}-${random.bytes(4).toString("hex")}-${process.pid}.ndjson`;
}

/** Claimed batches in the directory, oldest first. */
export function listClaimed(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isClaimedName).sort();
  } catch {
    return [];
  }
}

/**
 * Takes the next batch to work on, as a path only this process uses. A batch another uploader
 * left behind is taken over by renaming it to our own name: rename is atomic, so even two
 * uploaders that both believe they hold the lock cannot take the same batch. A batch whose
 * owner is alive and recent is left to it. With no batch left, the spool itself is claimed.
 */
export function takeNextBatch(files: TelemetryFiles, now = Date.now()): string | undefined {
  for (const name of listClaimable(files.dir, now)) {
    const path = join(files.dir, name);
    const mine = join(files.dir, claimedName(now));
    if (tryRename(path, mine)) return mine;
  }
  const fromSpool = join(files.dir, claimedName(now));
  return tryRename(files.spool, fromSpool) ? fromSpool : undefined;
}

/** Claimed batches this process may work on: its own, and those whose owner is gone. */
export function listClaimable(dir: string, now = Date.now()): string[] {
  return listClaimed(dir).filter((name) => !ownedByOtherLiveUploader(name, now));
}

function ownedByOtherLiveUploader(name: string, now: number): boolean {
  const match = CLAIMED.exec(name);
  const takenAt = Number(match?.[1]);
  const owner = Number(match?.[2]);
  if (owner === process.pid || !isAlive(owner)) return false;
  // A pid can be reused: an owner that has outlived any uploader's lifetime is not one.
  return now - takenAt < LIMITS.uploaderLifetimeMs * 2;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

function tryRename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch {
    return false; // Gone already: another uploader took it, or there is nothing to claim.
  }
}
