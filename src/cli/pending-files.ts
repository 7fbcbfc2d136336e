import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TelemetryFiles } from "../config/paths.js";
import { listClaimed } from "../spool/claim.js";
import { summarizePending } from "../spool/pending.js";

/** Deletes every pending event (spool and claimed batches); returns how many there were. */
export async function deletePending(files: TelemetryFiles): Promise<number> {
  const { events } = await summarizePending(files);
  for (const path of [
    files.spool,
    ...listClaimed(files.dir).map((name) => join(files.dir, name)),
  ]) {
    rmSync(path, { force: true });
  }
  return events;
}
