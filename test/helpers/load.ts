// The load scenario shared by the fast and the stress suites: counting hosts append at once
// while probe uploaders are spawned continuously and the hosts start real ones at exit.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as pace } from "node:timers/promises";
import { startCollector } from "../../src/collector/server.js";
import { account, type Account } from "./accounting.js";
import { scenarioDirs, spawnCountingHost, tags, trackedCount, type CountingPlan } from "./hosts.js";
import { childEnv } from "./processes.js";
import {
  cleanupUploaders,
  finished,
  overlappingRequests,
  readProbeRecords,
  spawnProbe,
  startCensus,
  waitUploadersGone,
  type ProbeResult,
} from "./uploaders.js";

export interface LoadPlan {
  readonly hosts: readonly CountingPlan[];
  /** A new probe uploader is spawned this often while any host runs. */
  readonly probeEveryMs: number;
  /** The collector answers each request after this long (widens the race windows). */
  readonly delayMs?: number;
  /** Hosts keep appending past their events until the probes have claimed this often. */
  readonly minClaims?: number;
  readonly settleTimeoutMs?: number;
}

export interface LoadOutcome {
  readonly account: Account;
  readonly hostResults: readonly ProbeResult[];
  readonly probeResults: readonly ProbeResult[];
  /** Requests of two probes in flight at once. */
  readonly overlaps: readonly string[];
  readonly requests: number;
  /** Spool claims the probes made while hosts were still running. */
  readonly claims: number;
  /** Real uploaders (started by hosts) seen in /proc or in the log. */
  readonly realUploaders: number;
  /** Most uploader processes alive at once on this directory. */
  readonly peakUploaders: number;
  readonly durationMs: number;
}

export async function runLoad(t: TestContext, plan: LoadPlan): Promise<LoadOutcome> {
  const started = Date.now();
  const { root, dir } = scenarioDirs(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 }); // Probes run with it as their cwd.
  const delay = plan.delayMs ?? 0;
  const collector = await startCollector(
    delay > 0 ? { alwaysFault: { kind: "delay", ms: delay } } : {},
  );
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const record = join(root, "requests.ndjson");
  const census = startCensus(dir);
  let peakUploaders = 0;
  const peak = setInterval(() => (peakUploaders = Math.max(peakUploaders, census.now())), 5);

  // A condition, not a duration: on a slow machine the hosts simply append for longer.
  const enoughClaims = join(root, "enough-claims");
  const untilExists = plan.minClaims === undefined ? {} : { untilExists: enoughClaims };
  const hosts = plan.hosts.map((host) =>
    finished(spawnCountingHost({ ...host, ...untilExists }, { env, cwd: root })),
  );
  const state = { running: true };
  const hostsDone = Promise.all(hosts).finally(() => (state.running = false));
  const probes: Promise<ProbeResult>[] = [];
  const probePids = new Set<number>();
  while (state.running) {
    const child = spawnProbe({ dir, record }, env);
    if (child.pid !== undefined) probePids.add(child.pid);
    probes.push(finished(child));
    await pace(plan.probeEveryMs);
    const claimed = readProbeRecords(record).filter((entry) => entry.claimed !== undefined);
    if (claimed.length >= (plan.minClaims ?? Infinity)) writeFileSync(enoughClaims, "");
  }
  const hostResults = await hostsDone;
  const hostsDoneAt = Date.now();
  const probeResults = await Promise.all(probes);
  await waitUploadersGone(dir, plan.settleTimeoutMs ?? 30_000);
  clearInterval(peak);
  const seen = census.stop();

  const expected = plan.hosts.flatMap((host, index) =>
    tags(host.host, trackedCount(hostResults[index]?.stdout ?? "")),
  );
  const records = readProbeRecords(record);
  return {
    account: account({ dir, collector, expected }),
    hostResults,
    probeResults,
    overlaps: overlappingRequests(records),
    requests: collector.requests.length,
    claims: records.filter((entry) => entry.claimed !== undefined && (entry.at ?? 0) < hostsDoneAt)
      .length,
    realUploaders: [...seen].filter((pid) => !probePids.has(pid)).length,
    peakUploaders,
    durationMs: Date.now() - started,
  };
}

/** `count` hosts tracking `events` each, pausing now and then so appends overlap the claims. */
export function manyHosts(count: number, events: number, pauseMs = 20): CountingPlan[] {
  return Array.from({ length: count }, (_, host) => ({ host, events, pauseEvery: 5, pauseMs }));
}
