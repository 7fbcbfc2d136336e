// G2/G6 under load: many real host processes append at once while uploaders claim the spool
// under them, and a long-running host keeps tracking while uploaders come and go.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeAccount, problems } from "../helpers/accounting.js";
import { manyHosts, runLoad, type LoadOutcome } from "../helpers/load.js";

function assertLoad(outcome: LoadOutcome, hosts: number): void {
  for (const host of outcome.hostResults) assert.equal(host.code, 0, host.stderr);
  for (const probe of outcome.probeResults) assert.equal(probe.code, 0, probe.stderr);
  assert.deepEqual(problems(outcome.account), [], describeAccount(outcome.account));
  assert.equal(outcome.account.delivered, outcome.account.expected);
  assert.deepEqual(outcome.account.uploaderDropReasons, {}, "no line reached the uploader torn");
  assert.deepEqual(outcome.overlaps, [], "two uploaders never send at the same time");
  assert.ok(
    outcome.realUploaders <= hosts,
    `${outcome.realUploaders} uploaders for ${hosts} hosts`,
  );
  assert.ok(outcome.probeResults.some((probe) => probe.output?.report?.status === "ran"));
}

test("8 hosts × 200+ events at once, uploaders spawned all along: every event once", async (t) => {
  const outcome = await runLoad(t, {
    hosts: manyHosts(8, 200),
    probeEveryMs: 40,
    delayMs: 5,
    minClaims: 5,
  });
  assertLoad(outcome, 8);
  assert.ok(outcome.account.expected >= 1600, `${outcome.account.expected} events`);
  assert.ok(outcome.claims >= 5, `only ${outcome.claims} claims while the hosts appended`);
  t.diagnostic(
    `${describeAccount(outcome.account)} probes=${outcome.probeResults.length} claims=${outcome.claims} real-uploaders=${outcome.realUploaders} requests=${outcome.requests} in ${outcome.durationMs} ms`,
  );
});

test("a long-running host keeps tracking while uploaders claim the spool under it", async (t) => {
  const host = { host: 0, events: 500, pauseEvery: 5, pauseMs: 1 };
  const outcome = await runLoad(t, { hosts: [host], probeEveryMs: 100, minClaims: 10 });
  assertLoad(outcome, 1);
  assert.ok(outcome.claims >= 10, `only ${outcome.claims} claims while the host ran`);
  t.diagnostic(`${describeAccount(outcome.account)} claims=${outcome.claims}`);
});
