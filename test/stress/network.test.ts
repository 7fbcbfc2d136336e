// Stress, G5 with the real uploader process and its real 60 s lifetime: a hung endpoint and an
// answer that never finishes arriving. The process ends within its lifetime, nothing is lost.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { LIMITS } from "../../src/config/limits.js";
import { readState } from "../../src/config/state.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { scenarioDirs } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { startDripServer } from "../helpers/servers.js";
import { eventLines, makeSpool } from "../helpers/spool.js";
import { summary } from "../helpers/stress.js";
import { cleanupUploaders, runRealUploader } from "../helpers/uploaders.js";

async function boundedRun(
  t: TestContext,
  url: (t: TestContext) => Promise<string>,
  scenario: string,
) {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(100);
  makeSpool(dir, lines);
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_URL: await url(t) });
  const started = Date.now();
  const run = await runRealUploader(dir, env);
  const took = Date.now() - started;
  assert.equal(run.code, 0, run.stderr);
  assert.ok(took <= LIMITS.uploaderLifetimeMs + 1_500, `the uploader lived ${took} ms`);
  const state = readState(join(dir, "state.json"));
  assert.equal(state.lastRun?.outcome, "failed");
  assert.equal(state.lastRun.error, "request timed out");
  const result = account({
    dir,
    collector: { events: [], duplicates: 0 },
    expected: ids,
    key: "id",
  });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
  assert.equal(result.pending, 100);
  summary(t, scenario, {
    events: 100,
    "lived-ms": took,
    pending: result.pending,
    drops: 0,
    duplicates: 0,
  });
}

test("a hung endpoint: the real uploader ends within its 60 s lifetime", async (t) => {
  await boundedRun(
    t,
    async (tc) => {
      const collector = await startCollector({ alwaysFault: { kind: "hang" } });
      tc.after(() => collector.close());
      return collector.url;
    },
    "hung-endpoint",
  );
});

test("an answer whose head never ends: the real uploader ends within its 60 s lifetime", async (t) => {
  await boundedRun(
    t,
    async (tc) => (await startDripServer(tc, { headers: false, everyMs: 200 })).url,
    "slow-drip",
  );
});
