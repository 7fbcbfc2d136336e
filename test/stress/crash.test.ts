// Stress, G2/G3 across crashes: a large backlog drains while uploaders are killed over and over
// at random points; every crash point is replayed STRESS_ROUNDS times; an uploader frozen past
// the stale threshold loses its lock to another and must not crash or send a batch twice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import type { DrainStep } from "../../src/uploader/drain.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { BATCH, crashThenRecover, POINTS } from "../helpers/crash.js";
import { scenarioDirs } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { eventLines, makeSpool } from "../helpers/spool.js";
import { STRESS, summary } from "../helpers/stress.js";
import { waitFor } from "../helpers/temp.js";
import {
  ageLock,
  cleanupUploaders,
  finished,
  runProbe,
  runRealUploader,
  spawnProbe,
  waitStopped,
} from "../helpers/uploaders.js";

const STEPS: DrainStep[] = ["claimed", "read", "before-request", "accepted", "recorded"];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

test(`a backlog of ${STRESS.backlog} drains while uploaders are killed at random points`, async (t) => {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(STRESS.backlog);
  makeSpool(dir, lines);
  const collector = await startCollector({ alwaysFault: { kind: "delay", ms: 20 } });
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  let kills = 0;
  let killsAfterSend = 0; // G3: only these may leave a duplicate batch.
  let rounds = 0;
  let stalled = 0;
  while (collector.events.length < STRESS.backlog && rounds < 500) {
    rounds += 1;
    const before = collector.events.length;
    const external = Math.random() < 0.4;
    const step = pick(STEPS);
    // The backlog is claimed and read once, then sent in many batches.
    const nth = step === "claimed" || step === "read" ? 1 : 1 + Math.floor(Math.random() * 3);
    const plan = external ? { dir } : { dir, killAt: step, nth };
    const probe = spawnProbe(plan, env);
    const exited = finished(probe);
    if (external) {
      // From outside, at a random moment of its work.
      const at = Date.now() + 30 + Math.random() * 250;
      await waitFor(() => Date.now() >= at || probe.exitCode !== null, { intervalMs: 5 });
      probe.kill("SIGKILL");
    }
    const result = await exited;
    if (result.signal === "SIGKILL") kills += 1;
    else assert.equal(result.code, 0, result.stderr);
    if (result.signal === "SIGKILL" && (external || step === "accepted")) killsAfterSend += 1;
    const finishedAll = collector.events.length === STRESS.backlog; // Fewer batches left than nth.
    assert.ok(
      external || result.signal === "SIGKILL" || finishedAll,
      `not killed at ${step} #${nth}`,
    );
    ageLock(dir);
    stalled = collector.events.length > before ? 0 : stalled + 1;
    // A livelock check. Before its first send a run claims and reads 10 MB, and a random kill
    // lands there in about half the rounds: 10 such rounds in a row came up in 1 run of 3.
    assert.ok(stalled < 30, `no progress in ${stalled} rounds`);
  }
  const beforeFinal = collector.events.length;
  const final = await runRealUploader(dir, env);
  assert.equal(final.code, 0);
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(
    problems(result, { maxDuplicates: killsAfterSend * BATCH }),
    [],
    describeAccount(result),
  );
  summary(t, "kills-during-backlog", {
    events: STRESS.backlog,
    rounds,
    kills,
    "kills-after-send": killsAfterSend,
    "delivered-under-kills": beforeFinal,
    delivered: result.delivered,
    duplicates: result.duplicates,
    drops: result.droppedByHost + result.droppedByUploader,
  });
});

test(`every crash point, ${STRESS.rounds} rounds each`, async (t) => {
  let duplicates = 0;
  let runs = 0;
  for (let round = 0; round < STRESS.rounds; round += 1) {
    for (const point of POINTS) {
      await t.test(`round ${round + 1}: killed ${point.name}`, async (st) => {
        const { dir, ids, collector } = await crashThenRecover(st, point, 2_400);
        const result = account({ dir, collector, expected: ids, key: "id" });
        assert.deepEqual(
          problems(result, { maxDuplicates: point.duplicates }),
          [],
          describeAccount(result),
        );
        assert.equal(result.duplicates, point.duplicates);
        duplicates += result.duplicates;
        runs += 1;
      });
    }
  }
  summary(t, "crash-points", { runs, kills: runs, events: runs * 2_400, duplicates, drops: 0 });
});

test("an uploader frozen past the stale threshold loses its lock without crashing or resending", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(1_200);
  makeSpool(dir, lines);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const frozen = spawnProbe({ dir, stopAt: "before-request" }, env);
  const frozenDone = finished(frozen);
  await waitStopped(frozen.pid ?? 0);
  const stoppedAt = Date.now();
  // Real time passes: the lock goes stale after 20 s without a refresh. Until then a second
  // uploader finds it busy and exits at once.
  const taker = await waitFor(
    async () => {
      // A short lifetime: with the frozen batch still on disk, a run may go on until its end.
      const run = await runProbe({ dir, lifetimeMs: 3_000 }, env);
      assert.equal(run.code, 0, run.stderr);
      return run.output?.report?.status === "ran" ? run : undefined;
    },
    { timeoutMs: 40_000, intervalMs: 1_000, what: "a second uploader to take the stale lock" },
  );
  const takenAfter = Date.now() - stoppedAt;
  assert.ok(takenAfter >= 14_000, `the lock was taken over after only ${takenAfter} ms`);
  assert.equal(
    taker.output?.report?.drain?.sent,
    0,
    "the frozen uploader's batch is still its own",
  );
  frozen.kill("SIGCONT");
  const resumed = await frozenDone;
  assert.equal(resumed.code, 0, `the frozen uploader crashed: ${resumed.stderr}`);
  assert.equal(resumed.output?.report?.drain?.outcome, "stopped", "it noticed the lost lock");
  ageLock(dir);
  assert.equal((await runRealUploader(dir, env)).code, 0);
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result), [], describeAccount(result));
  summary(t, "frozen-lock-holder", {
    events: ids.length,
    "taken-over-after-ms": takenAfter,
    duplicates: result.duplicates,
    drops: result.droppedByHost + result.droppedByUploader,
  });
});
