import { createReadStream } from "node:fs";
import { join } from "node:path";
import type { TelemetryFiles } from "../config/paths.js";
import { listClaimed } from "./claim.js";
import { fileSize } from "./file-size.js";

export interface PendingSummary {
  /** Lines waiting in the spool and in claimed batches (not yet sent or dropped). */
  readonly events: number;
  readonly bytes: number;
  readonly files: readonly string[];
}

/** Counts what waits on disk without parsing it. */
export async function summarizePending(files: TelemetryFiles): Promise<PendingSummary> {
  const paths = [...listClaimed(files.dir).map((name) => join(files.dir, name)), files.spool];
  let events = 0;
  let bytes = 0;
  const present: string[] = [];
  for (const path of paths) {
    const size = fileSize(path);
    if (size === undefined) continue;
    present.push(path);
    bytes += size;
    events += await countLines(path);
  }
  return { events, bytes, files: present };
}

async function countLines(path: string): Promise<number> {
  let count = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count += 1;
    }
  } catch {
    // Claimed or deleted while counting.
  }
  return count;
}
