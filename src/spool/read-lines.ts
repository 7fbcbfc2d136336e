import { constants } from "node:fs";
import { open } from "node:fs/promises";

const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
const CHUNK_BYTES = 64 * 1024;

/** Stands for a line that was skipped: longer than the limit, or a torn write with no end. */
export const OVERSIZED = Symbol("oversized line");

/**
 * Yields a spool file's lines (without their newline) in fixed chunks, so neither a large file
 * nor a 50 MB garbage line costs more memory than a chunk and a line. Empty lines are skipped.
 * Refuses to follow a link planted at the path (the open rejects).
 */
export async function* spoolLines(
  path: string,
  maxLineBytes: number,
): AsyncGenerator<string | typeof OVERSIZED> {
  const handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
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
