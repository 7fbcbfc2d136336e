// G5 at the process level: the real uploader (dist/src/uploader/main.js, or the probe with a
// short lifetime) against slow, failing and refusing answers. Retries, waits and drops follow
// G5; every event stays accounted for.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import type { CollectorOptions } from "../../src/collector/types.js";
import { readState } from "../../src/config/state.js";
import {
  account,
  describeAccount,
  problems,
  readDrops,
  readPending,
} from "../helpers/accounting.js";
import { scenarioDirs } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { startDripServer } from "../helpers/servers.js";
import { eventLines, makeSpool } from "../helpers/spool.js";
import { cleanupUploaders, runProbe, runRealUploader } from "../helpers/uploaders.js";

async function seeded(t: TestContext, count: number, options: CollectorOptions = {}) {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(count);
  makeSpool(dir, lines);
  const collector = await startCollector(options);
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  return { root, dir, ids, collector, env };
}

test("a batch the server always fails: bounded attempts, the uploader exits, the batch waits", async (t) => {
  const { dir, ids, collector, env } = await seeded(t, 30, {
    alwaysFault: { kind: "status", status: 500 },
  });
  const started = Date.now();
  const run = await runRealUploader(dir, env);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(Date.now() - started < 30_000);
  assert.ok(
    collector.requests.length >= 2 && collector.requests.length <= 6,
    `${collector.requests.length} requests`,
  );
  const state = readState(join(dir, "state.json"));
  assert.equal(state.lastRun?.outcome, "failed");
  assert.ok((state.nextAttemptAt ?? 0) > Date.now());
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
  assert.equal(result.pending, 30);
  assert.deepEqual(readDrops(dir), [], "a retryable failure never drops");
});

for (const headers of [false, true]) {
  const what = headers ? "a 200 whose body never ends" : "an answer whose head never ends";
  test(`slow drip, ${what}: the run ends within its lifetime`, async (t) => {
    const { root, dir } = scenarioDirs(t);
    const { ids, lines } = eventLines(10);
    makeSpool(dir, lines);
    cleanupUploaders(t, dir);
    const drip = await startDripServer(t, { headers, everyMs: 50 });
    const env = childEnv(root, { ALCHEMY_TELEMETRY_URL: drip.url });
    const started = Date.now();
    const probe = await runProbe({ dir, lifetimeMs: 2_000 }, env);
    const took = Date.now() - started;
    assert.equal(probe.code, 0, probe.stderr);
    assert.ok(took < 6_000, `the run took ${took} ms`);
    const drain = probe.output?.report?.drain;
    const result = account({
      dir,
      collector: { events: [], duplicates: 0 },
      expected: ids,
      key: "id",
    });
    if (headers) {
      // A 2xx accepts the batch (SPEC §2.4), even if its body is cut off by the timeout.
      assert.equal(drain?.sent, 10);
      assert.equal(result.pending, 0);
    } else {
      assert.equal(drain?.outcome, "deferred");
      assert.equal(drain.lastError, "request timed out");
      assert.equal(result.pending, 10, "everything stays pending");
    }
  });
}

const RETRY_AFTER: [string, string | (() => string)][] = [
  ["seconds", "1"],
  ["an HTTP date in the past", () => new Date(Date.now() - 60_000).toUTCString()],
  ["an invalid word", "soon"],
  ["a negative number", "-5"],
  ["a fraction", "1.5"],
];

for (const [what, value] of RETRY_AFTER) {
  test(`429 then 503 with Retry-After as ${what}, then 2xx: delivered once`, async (t) => {
    const retryAfter = typeof value === "string" ? value : value();
    const { dir, ids, collector, env } = await seeded(t, 20, {
      faults: [
        { kind: "status", status: 429, retryAfter },
        { kind: "status", status: 503, retryAfter },
      ],
    });
    const run = await runRealUploader(dir, env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      collector.requests.map((request) => request.status),
      [429, 503, 200],
    );
    const [first, second] = collector.requests;
    if (retryAfter === "1")
      assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 950, "waited the second");
    const result = account({ dir, collector, expected: ids, key: "id" });
    assert.deepEqual(problems(result), [], describeAccount(result));
    assert.equal(readState(join(dir, "state.json")).failures, 0);
  });
}

test("5xx and dropped connections, then 2xx: retried and delivered", async (t) => {
  const { dir, ids, collector, env } = await seeded(t, 50, {
    faults: [{ kind: "status", status: 502 }, { kind: "destroy" }, { kind: "status", status: 504 }],
  });
  const run = await runRealUploader(dir, env);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    collector.requests.map((request) => request.status),
    [502, "destroy", 504, 200],
  );
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result), [], describeAccount(result));
});

test("422 on one batch: that batch is dropped with its ids, the rest delivered, nothing resent", async (t) => {
  const { dir, ids, collector, env } = await seeded(t, 1200, {
    faults: [{ kind: "status", status: 422 }],
  });
  assert.equal((await runRealUploader(dir, env)).code, 0);
  assert.equal((await runRealUploader(dir, env)).code, 0);
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result), [], describeAccount(result));
  assert.equal(result.droppedByUploader, 500);
  assert.equal(result.delivered, 700);
  assert.deepEqual(result.uploaderDropReasons, { "rejected HTTP 422": 500 });
  assert.equal(collector.requests.length, 3, "the rejected batch was never sent again");
});

test("413 from a small server: batches are halved until they fit, nothing dropped", async (t) => {
  const { dir, ids, collector, env } = await seeded(t, 600, { maxBodyBytes: 40_000 });
  assert.equal((await runRealUploader(dir, env)).code, 0);
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result), [], describeAccount(result));
  assert.ok(collector.requests.some((request) => request.status === 413));
  assert.equal(readPending(dir).events.length, 0);
  assert.ok(
    !existsSync(join(dir, "drops.ndjson")) ||
      readFileSync(join(dir, "drops.ndjson"), "utf8") === "",
  );
});
