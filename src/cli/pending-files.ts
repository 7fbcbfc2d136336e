import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TelemetryFiles } from "../config/paths.js";
import { listClaimed } from "../spool/claim.js";
import { summarizePending } from "../spool/pending.js";

/** Deletes every pending event (spool and claimed batches); returns how many there were. */
export async function deletePending(files: TelemetryFiles): Promise<number> {
  const { events } = await summarizePending(files);
  // The spool first, then the claimed batches: a claim (an atomic rename) made before the spool
  // was removed is then in the listing, so no batch an uploader takes meanwhile is missed.
  rmSync(files.spool, { force: true });
  for (const name of listClaimed(files.dir)) rmSync(join(files.dir, name), { force: true });
  return events;
}
