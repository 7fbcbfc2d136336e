// SPEC §7 side by side: the same workload against an endpoint on loopback that answers after
// 200 ms. Host wall time (spawn→exit) and whether every event arrived. Ours is given up to
// 10 s after the host exits for its detached uploader to deliver.
import { EVENTS_PER_RUN } from "./cli-work.js";
import { startCollector } from "./endpoints.js";
import { baseEnv, script } from "./paths.js";
import { startPosthogServer } from "./posthog-server.js";
import { timedRun, waitUntil } from "./proc.js";
import { summarize } from "./stats.js";
import { quiesceUploaders } from "./uploaders.js";

const DELAY_MS = 200;

export async function measurePeers({ temp, runs, cwd, log }) {
  const fault = { kind: "delay", ms: DELAY_MS };
  const posthog = await startPosthogServer({ delayMs: DELAY_MS });
  const each = await startCollector({ alwaysFault: fault });
  const batch = await startCollector({ alwaysFault: fault });
  const ours = await startCollector({ alwaysFault: fault });
  const oursDir = temp.dir("peer-ours");
  const peers = [
    {
      name: "posthog-node (capture + await shutdown)",
      script: "peer-posthog.js",
      env: { BENCH_POSTHOG_HOST: posthog.url },
      count: () => posthog.events,
      requests: () => posthog.requests.length,
    },
    {
      name: "await fetch per event",
      script: "peer-fetch-each.js",
      env: { BENCH_URL: each.url },
      count: () => each.events.length,
      requests: () => each.requests.length,
      noWarmup: true,
    },
    {
      name: "one await fetch of a batch at exit",
      script: "peer-fetch-batch.js",
      env: { BENCH_URL: batch.url },
      count: () => batch.events.length,
      requests: () => batch.requests.length,
    },
    {
      name: "alchemy-telemetry (detached uploader)",
      script: "cli-with-telemetry.js",
      env: { ALCHEMY_TELEMETRY_DIR: oursDir, ALCHEMY_TELEMETRY_URL: ours.url },
      count: () => ours.events.length,
      requests: () => ours.requests.length,
      detached: true,
    },
  ];
  for (const peer of peers) {
    Object.assign(peer, {
      samples: [],
      delivered: [],
      deliveryMs: [],
      requestsPerRun: [],
      problems: [],
    });
  }
  try {
    // Round 0 warms up (and creates our id); the per-event fetch peer skips it (10 s a run).
    for (let round = 0; round <= runs; round++) {
      for (const peer of round % 2 ? [...peers].reverse() : peers) {
        if (round === 0 && peer.noWarmup) continue;
        await runPeer(peer, { record: round > 0, cwd, root: temp.root });
      }
      log(`  peers: round ${round}/${runs}`);
    }
  } finally {
    await Promise.all([posthog.close(), each.close(), batch.close(), ours.close()]);
  }
  return peers.map((peer) => ({
    peer: peer.name,
    wall: summarize(peer.samples),
    runs: peer.samples.length,
    allDelivered: peer.delivered.every(Boolean),
    deliveredRuns: peer.delivered.filter(Boolean).length,
    deliveryMs: peer.detached ? summarize(peer.deliveryMs) : undefined,
    requestsPerRun: summarize(peer.requestsPerRun).median,
    problems: peer.problems.slice(0, 3),
  }));
}

async function runPeer(peer, { record, cwd, root }) {
  const before = peer.count();
  const requestsBefore = peer.requests();
  const started = process.hrtime.bigint();
  const result = await timedRun(process.execPath, [script(peer.script)], {
    env: baseEnv(peer.env),
    cwd,
    timeoutMs: 60_000,
  });
  if (result.code !== 0)
    peer.problems.push(`exit ${result.code ?? result.signal}: ${result.stderr.slice(0, 200)}`);
  const expected = before + EVENTS_PER_RUN;
  // The awaiting peers have delivered (or not) by the time they exit; ours gets up to 10 s.
  const arrived = await waitUntil(() => peer.count() >= expected, {
    timeoutMs: peer.detached ? 10_000 : 0,
    intervalMs: 5,
  });
  const deliveredAt = process.hrtime.bigint();
  if (peer.detached) await quiesceUploaders(root, { timeoutMs: 10_000 });
  if (!record) return;
  peer.samples.push(result.ms);
  peer.requestsPerRun.push(peer.requests() - requestsBefore);
  peer.delivered.push(Boolean(arrived) && peer.count() === expected);
  if (peer.detached && arrived) peer.deliveryMs.push(Number(deliveredAt - started) / 1e6);
}
