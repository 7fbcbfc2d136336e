// G1/G5 at the process level when the network is away: a refused endpoint, dead proxy
// variables, a batch the server always fails, a batch that crashes the uploader. The host never
// waits; the uploader keeps to its bounds; an offline machine does not start an uploader per
// command.
import assert from "node:assert/strict";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { readState } from "../../src/config/state.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { closedPort, runBothWays, runCountingHost, scenarioDirs, tags } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { eventLines, makeSpool } from "../helpers/spool.js";
import {
  ageLock,
  cleanupUploaders,
  runProbe,
  startCensus,
  waitUploadersGone,
} from "../helpers/uploaders.js";

test("offline: six commands in a row start one uploader, and none waits for it", async (t) => {
  const { root, dir } = scenarioDirs(t);
  cleanupUploaders(t, dir);
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: `http://127.0.0.1:${await closedPort()}/v1/events`,
  });
  const census = startCensus(dir);
  const plan = { host: 0, events: 5, print: "deployed\n", exitCode: 0 };
  const first = await runBothWays(plan, { env, cwd: root });
  const second = await runCountingHost({ ...plan, host: 1 }, { env, cwd: root }); // Uploader still retrying.
  await waitUploadersGone(dir, 30_000); // Its retries end; the run is recorded as failed.
  const state = readState(join(dir, "state.json"));
  assert.equal(state.lastRun?.outcome, "failed");
  assert.match(state.lastRun.error ?? "", /ECONNREFUSED/);
  assert.ok((state.nextAttemptAt ?? 0) > Date.now() + 50_000, "spawns back off for a minute");
  const later = [];
  for (let host = 2; host < 6; host += 1)
    later.push(await runCountingHost({ ...plan, host }, { env, cwd: root }));
  const uploaders = census.stop();

  assert.equal(uploaders.size, 1, `uploaders started: ${[...uploaders].join(", ")}`);
  for (const run of [first.on, second, ...later]) {
    assert.equal(run.code, first.off.code);
    assert.equal(run.stdout, first.off.stdout);
    // The request timeout is 10 s and retries take longer: a host that waited would show it.
    assert.ok(run.durationMs < 5_000, `host took ${Math.round(run.durationMs)} ms`);
  }
  const result = account({
    dir,
    collector: { events: [], duplicates: 0 },
    expected: [0, 1, 2, 3, 4, 5].flatMap((h) => tags(h, 5)),
  });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
  assert.equal(result.pending, 30, "everything waits on disk");
});

test("dead proxy variables do not stop delivery: the uploader connects directly", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const proxies = {
    HTTP_PROXY: dead,
    HTTPS_PROXY: dead,
    http_proxy: dead,
    https_proxy: dead,
    ALL_PROXY: dead,
  };
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: collector.url,
    ...proxies,
  });
  const host = await runCountingHost({ host: 0, events: 20 }, { env, cwd: root });
  assert.equal(host.code, 0);
  await collector.waitForEvents(20, 15_000);
  await waitUploadersGone(dir);
  const result = account({ dir, collector, expected: tags(0, 20) });
  assert.deepEqual(problems(result), [], describeAccount(result));
});

test("a huge Retry-After defers at once, and the next commands start no uploader", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const collector = await startCollector({
    alwaysFault: { kind: "status", status: 429, retryAfter: "99999999999999999999" },
  });
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const started = Date.now();
  await runCountingHost({ host: 0, events: 3 }, { env, cwd: root });
  await waitUploadersGone(dir);
  assert.ok(Date.now() - started < 10_000, "the uploader did not wait for the Retry-After");
  assert.equal(collector.requests.length, 1);
  const state = readState(join(dir, "state.json"));
  const day = 24 * 3600_000;
  assert.ok((state.nextAttemptAt ?? 0) > Date.now() + day - 60_000, "backs off for the capped day");
  assert.ok((state.nextAttemptAt ?? 0) <= Date.now() + day);
  const census = startCensus(dir);
  await runCountingHost({ host: 1, events: 3 }, { env, cwd: root });
  assert.equal(census.stop().size, 1, "only the first command's uploader ever ran");
  const result = account({ dir, collector, expected: [...tags(0, 3), ...tags(1, 3)] });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
});

test("a stale lock that cannot be removed: the failed runs back off like any other", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const lock = join(dir, "uploader.lock");
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, "stray"), ""); // rmdir fails: ENOTEMPTY.
  const past = new Date(Date.now() - 3600_000);
  utimesSync(lock, past, past);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: collector.url,
  });
  const census = startCensus(dir);
  for (let host = 0; host < 4; host += 1) {
    assert.equal((await runCountingHost({ host, events: 2 }, { env, cwd: root })).code, 0);
    await waitUploadersGone(dir);
  }
  const started = census.stop();
  assert.equal(started.size, 1, `${started.size} uploaders started for 4 commands`);
  const state = readState(join(dir, "state.json"));
  assert.ok((state.failures ?? 0) >= 1, "the failed lock is a failed run");
  assert.match(state.lastRun?.error ?? "", /\S/, "with the lock's error recorded");
});

test("an uploader that crashes on its batch every time: spawns back off, doubling", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(10);
  makeSpool(dir, lines);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const backoffs: number[] = [];
  for (let crash = 0; crash < 2; crash += 1) {
    const started = Date.now();
    const run = await runProbe({ dir, throwAt: "read" }, env);
    assert.equal(run.code, 1, "the run crashed");
    const state = readState(join(dir, "state.json"));
    assert.equal(state.failures, crash + 1);
    backoffs.push((state.nextAttemptAt ?? 0) - started);
    ageLock(dir); // A crash leaves its lock behind, stale after 20 s.
  }
  assert.ok((backoffs[0] ?? 0) >= 60_000, `first backoff ${backoffs[0]} ms`);
  assert.ok((backoffs[1] ?? 0) >= 120_000, `second backoff ${backoffs[1]} ms`);
  const census = startCensus(dir);
  for (let host = 0; host < 3; host += 1) {
    assert.equal((await runCountingHost({ host, events: 2 }, { env, cwd: root })).code, 0);
  }
  assert.equal(census.stop().size, 0, "no command started an uploader into the crash");
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
});
