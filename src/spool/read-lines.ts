import { constants } from "node:fs";
import { open } from "node:fs/promises";

const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
const CHUNK_BYTES = 64 * 1024;

export interface LineScan {
  /** Complete lines, without their newline, each at most maxLineBytes. */
  readonly lines: string[];
  /** Lines skipped because they were longer than the limit (or had no end). */
  readonly oversized: number;
}

/**
 * Reads a spool file line by line in fixed chunks, so a 50 MB garbage line costs no more memory
 * than a chunk. A trailing fragment without a newline is a torn write and counts as skipped.
 * Refuses to follow a link planted at the path.
 */
export async function readSpoolLines(path: string, maxLineBytes: number): Promise<LineScan> {
  const handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
  const lines: string[] = [];
  let oversized = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      let start = 0;
      for (
        let newline = chunk.indexOf(10, start);
        newline !== -1 && newline < bytesRead;
        newline = chunk.indexOf(10, start)
      ) {
        if (!skipping && pendingBytes + newline - start <= maxLineBytes) {
          pending.push(chunk.subarray(start, newline));
          lines.push(Buffer.concat(pending).toString("utf8"));
        } else {
          oversized += 1;
        }
        pending = [];
        pendingBytes = 0;
        skipping = false;
        start = newline + 1;
      }
      if (start < bytesRead && !skipping) {
        pendingBytes += bytesRead - start;
        if (pendingBytes > maxLineBytes) {
          skipping = true;
          pending = [];
        } else {
          pending.push(Buffer.from(chunk.subarray(start, bytesRead)));
        }
      }
    }
  } finally {
    await handle.close();
  }
  if (pendingBytes > 0 || skipping) oversized += 1;
  return { lines: lines.filter((line) => line.trim() !== ""), oversized };
}
