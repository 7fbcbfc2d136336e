import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
const CHUNK_BYTES = 64 * 1024;

/** Stands for a line that was skipped: longer than the limit, or a torn write with no end. */
export const OVERSIZED = Symbol("oversized line");

/**
 * At the end of a file whose last line has no newline yet: whether to read again (after a
 * wait). A host that opened the spool before it was claimed may be writing that line right now;
 * it appends the line again to the new spool, so the torn tail is no loss and no drop.
 */
export type TornTailWait = (attempt: number) => Promise<boolean>;

const TORN_TAIL_ATTEMPTS = 4;
const TORN_TAIL_WAIT_MS = 25;

/** Up to 100 ms in all: a write in progress ends in microseconds; a dead writer's never does. */
const waitForTornTail: TornTailWait = async (attempt) => {
  if (attempt >= TORN_TAIL_ATTEMPTS) return false;
  await sleep(TORN_TAIL_WAIT_MS);
  return true;
};

/**
 * Yields a spool file's lines (without their newline) in fixed chunks, so neither a large file
 * nor a 50 MB garbage line costs more memory than a chunk and a line. Empty lines are skipped.
 * Refuses to follow a link planted at the path (the open rejects).
 */
export async function* spoolLines(
  path: string,
  maxLineBytes: number,
  tornTailWait: TornTailWait = waitForTornTail,
): AsyncGenerator<string | typeof OVERSIZED> {
  const handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let tornTailAttempts = 0;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) {
        // An oversized tail is skipped however it ends: no wait for it.
        if (pendingBytes > 0 && !skipping && (await tornTailWait(tornTailAttempts++))) continue;
        break;
      }
      let start = 0;
      for (
        let end = chunk.indexOf(10, start);
        end !== -1 && end < bytesRead;
        end = chunk.indexOf(10, start)
      ) {
        if (skipping || pendingBytes + end - start > maxLineBytes) {
          yield OVERSIZED;
        } else {
          const line = Buffer.concat([...pending, chunk.subarray(start, end)]).toString("utf8");
          if (line.trim() !== "") yield line;
        }
        pending = [];
        pendingBytes = 0;
        skipping = false;
        start = end + 1;
      }
      if (start < bytesRead && !skipping) {
        pendingBytes += bytesRead - start;
        skipping = pendingBytes > maxLineBytes;
        pending = skipping ? [] : [...pending, Buffer.from(chunk.subarray(start, bytesRead))];
      }
    }
  } finally {
    await handle.close();
  }
  if (pendingBytes > 0 || skipping) yield OVERSIZED;
}

/** Every line of a file at once, for `show`; oversized lines are left out. */
export async function readSpoolLines(path: string, maxLineBytes: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of spoolLines(path, maxLineBytes)) if (line !== OVERSIZED) lines.push(line);
  return lines;
}
