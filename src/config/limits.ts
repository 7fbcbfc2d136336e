/** Every bound the package keeps, in one place (SPEC §5). */
export const LIMITS = {
  /** G4: one spool line, bytes including the newline. */
  maxLineBytes: 64 * 1024,
  /** G4: the spool stops growing here; newer events are dropped and counted. */
  maxSpoolBytes: 10 * 1024 * 1024,
  /** G4: pending events older than this are dropped and counted. */
  maxEventAgeMs: 30 * 24 * 60 * 60 * 1000,
  /** Longest resource name, type or status kept. */
  maxFieldChars: 256,
  /** G5: one HTTP request. */
  requestTimeoutMs: 10_000,
  /** G5: the uploader's whole life. */
  uploaderLifetimeMs: 60_000,
  /** Batching by count and by uncompressed bytes. */
  maxBatchEvents: 500,
  maxBatchBytes: 512 * 1024,
  /** In-run retry backoff: full jitter over base · 2^attempt, capped. */
  retryBaseMs: 500,
  retryCapMs: 15_000,
  /** G5: after a failed run, spawns back off from 1 min, doubling, up to 1 h. */
  spawnBackoffBaseMs: 60_000,
  spawnBackoffCapMs: 60 * 60_000,
  /** G6: a lock not refreshed for this long belongs to a dead uploader. */
  lockStaleMs: 20_000,
  lockUpdateMs: 5_000,
  /** How long a host waits for a started uploader to reach the lock (it takes ~0.2 s). */
  uploaderStartMs: 3_000,
  /** Bounded files: the uploader log and the sent/dropped id ledger rotate past these. */
  maxLogBytes: 64 * 1024,
  maxLedgerBytes: 1024 * 1024,
} as const;
