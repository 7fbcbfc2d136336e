// The crash points of G2/G3: an uploader SIGKILLed at each point of its work (by itself at a
// drain step, or by the test while the server holds its request), then a normal run.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import type { Fault } from "../../src/collector/faults.js";
import { readState } from "../../src/config/state.js";
import { scenarioDirs } from "./hosts.js";
import { childEnv } from "./processes.js";
import { startGate } from "./servers.js";
import { eventLines, makeSpool } from "./spool.js";
import { waitFor } from "./temp.js";
import {
  ageLock,
  cleanupUploaders,
  finished,
  readProbeRecords,
  runRealUploader,
  spawnProbe,
  type KillPoint,
} from "./uploaders.js";

export const EVENTS = 1200; // Three batches: 500, 500, 200.
export const BATCH = 500;

export interface Point {
  readonly name: string;
  readonly killAt?: KillPoint;
  readonly nth?: number;
  /** How the kill is delivered when not by the probe itself. */
  readonly server?: "hang" | "gate";
  readonly duplicates: number;
  /** Ids of batches the ledger already holds when the normal run starts. */
  readonly skipped: number;
}

export const POINTS: Point[] = [
  { name: "after locking", killAt: "locked", duplicates: 0, skipped: 0 },
  { name: "after claiming", killAt: "claimed", duplicates: 0, skipped: 0 },
  { name: "mid-read", killAt: "mid-read", duplicates: 0, skipped: 0 },
  { name: "after reading", killAt: "read", duplicates: 0, skipped: 0 },
  {
    name: "before the second request",
    killAt: "before-request",
    nth: 2,
    duplicates: 0,
    skipped: BATCH,
  },
  {
    name: "while the server holds the request (never answers)",
    server: "hang",
    duplicates: 0,
    skipped: 0,
  },
  {
    name: "while the server holds the request, which it accepts after",
    server: "gate",
    duplicates: BATCH,
    skipped: 0,
  },
  { name: "after the 2xx, before recording it", killAt: "accepted", duplicates: BATCH, skipped: 0 },
  {
    name: "after recording, before removing the batch",
    killAt: "recorded",
    duplicates: 0,
    skipped: BATCH,
  },
];

export async function crashThenRecover(t: TestContext, point: Point, events = EVENTS) {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(events);
  makeSpool(dir, lines);
  const faults: Fault[] = point.server === "hang" ? [{ kind: "hang" }] : [];
  const collector = await startCollector({ faults });
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const gate = point.server === "gate" ? await startGate(t, collector.url) : undefined;
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: gate?.url ?? collector.url,
  });
  const record = `${root}/records.ndjson`;

  const probe = spawnProbe(
    { dir, record, ...(point.killAt ? { killAt: point.killAt } : {}), nth: point.nth ?? 1 },
    env,
  );
  const crashed = finished(probe);
  if (point.server === "hang") {
    await waitFor(() => collector.requests.some((request) => request.status === "hang"), {
      what: "the hung request",
    });
    probe.kill("SIGKILL");
  } else if (gate) {
    await waitFor(() => gate.arrived() > 0, { what: "the whole request at the server" });
    probe.kill("SIGKILL");
  }
  const result = await crashed;
  assert.equal(result.signal, "SIGKILL", result.stderr);
  if (point.killAt) {
    const kills = readProbeRecords(record).filter((entry) => entry.kill !== undefined);
    assert.deepEqual(
      kills.map((entry) => entry.kill),
      [point.killAt],
      "killed at the named point",
    );
  }
  gate?.open(); // The server now processes (and accepts) what the dead client sent.
  if (gate)
    await waitFor(() => collector.events.length >= BATCH, { what: "the held batch accepted" });

  ageLock(dir); // The dead holder's lock is stale after 20 s; move it into the past.
  const recovery = await runRealUploader(dir, env);
  assert.equal(recovery.code, 0, recovery.stderr);
  return { dir, ids, collector, state: readState(`${dir}/state.json`) };
}
