// G6 at the process level: a batch claimed by another live uploader is left to it, and the
// uploader holding the lock neither sends that batch nor spins on it until its lifetime ends.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { scenarioDirs } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { eventLines, makeSpool } from "../helpers/spool.js";
import { cleanupUploaders, runProbe } from "../helpers/uploaders.js";

test("a batch claimed by another live uploader: left alone, and the run ends at once", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const { ids, lines } = eventLines(20);
  makeSpool(dir, lines.slice(0, 10));
  // Ten events claimed a moment ago by a live process (this one), as a working uploader would.
  const theirs = join(dir, `claimed-${Date.now()}-0badcafe-${process.pid}.ndjson`);
  writeFileSync(
    theirs,
    lines
      .slice(10)
      .map((line) => `${line}\n`)
      .join(""),
    { mode: 0o600 },
  );
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_URL: collector.url });
  const started = Date.now();
  const run = await runProbe({ dir, lifetimeMs: 4_000 }, env);
  const took = Date.now() - started;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.output?.report?.drain?.sent, 10, "its own ten, not the other's");
  assert.equal(
    readFileSync(theirs, "utf8").split("\n").length - 1,
    10,
    "the other's batch is untouched",
  );
  const result = account({ dir, collector, expected: ids, key: "id" });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
  const runs = readFileSync(join(dir, "uploader.log"), "utf8").split("\n").length - 1;
  assert.ok(took < 2_000, `the run took ${took} ms and logged ${runs} lock rounds`);
  assert.ok(runs <= 2, `${runs} lock rounds`);
});
