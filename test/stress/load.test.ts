// Stress, G2/G6 under load: STRESS_HOSTS hosts × STRESS_EVENTS events appending at once while
// uploaders are spawned all along, and one host tracking for STRESS_LONG_MS while uploaders
// claim the spool under it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { problems, describeAccount } from "../helpers/accounting.js";
import { manyHosts, runLoad, type LoadOutcome } from "../helpers/load.js";
import { STRESS, summary } from "../helpers/stress.js";

function check(outcome: LoadOutcome, hosts: number): void {
  for (const host of outcome.hostResults) assert.equal(host.code, 0, host.stderr);
  for (const probe of outcome.probeResults) assert.equal(probe.code, 0, probe.stderr);
  assert.deepEqual(problems(outcome.account), [], describeAccount(outcome.account));
  assert.equal(outcome.account.delivered, outcome.account.expected);
  assert.deepEqual(outcome.account.uploaderDropReasons, {});
  assert.deepEqual(outcome.overlaps, []);
  assert.ok(outcome.realUploaders <= hosts);
}

function figures(outcome: LoadOutcome) {
  const { account } = outcome;
  return {
    events: account.expected,
    delivered: account.delivered,
    duplicates: account.duplicates,
    drops: account.droppedByHost + account.droppedByUploader,
    torn: account.torn,
    claims: outcome.claims,
    requests: outcome.requests,
    "probe-uploaders": outcome.probeResults.length,
    "host-uploaders": outcome.realUploaders,
    "peak-uploaders-alive": outcome.peakUploaders,
    ms: outcome.durationMs,
  };
}

test(`${STRESS.hosts} hosts × ${STRESS.events} events at once, uploaders spawned all along`, async (t) => {
  const outcome = await runLoad(t, {
    hosts: manyHosts(STRESS.hosts, STRESS.events, 60),
    probeEveryMs: 50,
    delayMs: 5,
    settleTimeoutMs: 120_000,
  });
  check(outcome, STRESS.hosts);
  assert.equal(outcome.account.expected, STRESS.hosts * STRESS.events);
  summary(t, "many-hosts", figures(outcome));
});

test(`a host tracking for ${STRESS.longMs} ms while uploaders claim under it`, async (t) => {
  const host = { host: 0, durationMs: STRESS.longMs, pauseEvery: 5, pauseMs: 1 };
  const outcome = await runLoad(t, { hosts: [host], probeEveryMs: 100, settleTimeoutMs: 120_000 });
  check(outcome, 1);
  summary(t, "long-running-host", figures(outcome));
});
