// G2/G3 across crashes: the uploader is SIGKILLed at each point of its work, then a normal run
// follows. Nothing is lost; duplicates arise only when the kill falls after the server accepted
// a batch and before the ledger recorded it, and then they are that one batch, same ids.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { account, describeAccount, problems, readPending } from "../helpers/accounting.js";
import { BATCH, crashThenRecover, EVENTS, POINTS } from "../helpers/crash.js";
import { scenarioDirs, spawnCountingHost, tags } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { waitFor } from "../helpers/temp.js";
import { cleanupUploaders, finished, runRealUploader } from "../helpers/uploaders.js";

for (const point of POINTS) {
  test(`uploader killed ${point.name}: nothing lost, ${point.duplicates} duplicates`, async (t) => {
    const { dir, ids, collector, state } = await crashThenRecover(t, point);
    const result = account({ dir, collector, expected: ids, key: "id" });
    assert.deepEqual(
      problems(result, { maxDuplicates: point.duplicates }),
      [],
      describeAccount(result),
    );
    assert.equal(result.delivered, EVENTS);
    assert.equal(result.duplicates, point.duplicates, "exactly the batch in flight, if any");
    assert.equal(
      state.totals?.duplicatesSkipped ?? 0,
      point.skipped,
      "ids the ledger held are not resent",
    );
    if (point.duplicates > 0) {
      const resent = collector.requests.filter((request) => request.duplicates > 0);
      assert.deepEqual(
        resent.map((request) => request.duplicates),
        [BATCH],
        "one batch, sent again whole",
      );
    }
    t.diagnostic(describeAccount(result));
  });
}

test("a host killed mid-append loses at most the event in flight", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const host = spawnCountingHost(
    { host: 0, events: 1_000_000, progress: true },
    { env, cwd: root },
  );
  t.after(() => host.kill("SIGKILL"));
  let progress = "";
  host.stdout?.on("data", (chunk: Buffer) => (progress += chunk.toString()));
  const exited = finished(host);
  await waitFor(() => progress.split("\n").length > 3_000, { what: "3000 events tracked" });
  host.kill("SIGKILL");
  assert.equal((await exited).signal, "SIGKILL");
  const reported = progress.split("\n").filter((line) => /^\d+$/.test(line));
  const completed = Number(reported.at(-1)) + 1; // track() calls that had returned.

  const pending = readPending(dir);
  assert.equal(pending.torn, 0, "a killed writer leaves no torn line");
  const onDisk = pending.events.length;
  assert.ok(
    onDisk === completed || onDisk === completed + 1,
    `${onDisk} on disk, ${completed} completed`,
  );
  const recovery = await runRealUploader(dir, env);
  assert.equal(recovery.code, 0);
  const result = account({ dir, collector, expected: tags(0, completed) });
  assert.deepEqual(problems(result), [], describeAccount(result));
  t.diagnostic(`killed after ${completed} completed appends; ${onDisk} lines on disk`);
});
