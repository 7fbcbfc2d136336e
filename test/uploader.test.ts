import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../src/collector/server.js";
import type { Fault } from "../src/collector/faults.js";
import { readState } from "../src/config/state.js";
import { acquireUploaderLock } from "../src/uploader/lock.js";
import { runUploader } from "../src/uploader/run.js";
import { spawnUploaderIfNeeded } from "../src/uploader/spawn.js";
import { eventLines, makeEvent, makeSpool } from "./helpers/spool.js";
import { makeTempDir } from "./helpers/temp.js";

async function setup(
  t: TestContext,
  lines: readonly string[],
  faults: Fault[] = [],
  maxBodyBytes?: number,
) {
  const dir = join(makeTempDir(t), "telemetry");
  const files = makeSpool(dir, lines);
  const collector = await startCollector({ faults, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  t.after(() => collector.close());
  const env = { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url };
  return { dir, files, collector, env };
}

function drops(path: string): { reasons: Record<string, number>; ids: string[] }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as never);
}

function claimedFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith("claimed-"));
}

test("drains the spool in batches, records the ids, and removes what was sent", async (t) => {
  const { ids, lines } = eventLines(1200);
  const { files, collector, env, dir } = await setup(t, lines);
  const report = await runUploader({ files, env });
  assert.equal(report.status, "ran");
  assert.deepEqual(
    collector.events.map((event) => event.id),
    ids,
  );
  assert.ok(collector.requests.length >= 3, "1200 events take several batches of at most 500");
  assert.deepEqual(claimedFiles(dir), []);
  assert.equal(existsSync(files.spool), false);
  assert.equal(readState(files.state).lastRun?.outcome, "sent");
  assert.equal(readFileSync(files.ledger, "utf8").trim().split("\n").length, 1200);
});

test("5xx and connection drops are retried with backoff, then delivered", async (t) => {
  const { lines } = eventLines(10);
  const { files, collector, env } = await setup(t, lines, [
    { kind: "status", status: 503 },
    { kind: "destroy" },
    { kind: "status", status: 500 },
  ]);
  await runUploader({ files, env });
  assert.equal(collector.events.length, 10);
  assert.deepEqual(
    collector.requests.map((request) => request.status),
    [503, "destroy", 500, 200],
  );
  assert.equal(readState(files.state).failures, 0);
});

for (const status of [400, 401, 403, 404, 422]) {
  test(`${status} drops the batch, counts it with its ids, and never resends it`, async (t) => {
    const { ids, lines } = eventLines(5);
    const { files, collector, env, dir } = await setup(t, lines, [{ kind: "status", status }]);
    await runUploader({ files, env });
    assert.equal(collector.events.length, 0);
    const [record] = drops(files.drops);
    assert.deepEqual(record?.reasons, { [`rejected HTTP ${status}`]: 5 });
    assert.deepEqual(record.ids, ids);
    assert.deepEqual(claimedFiles(dir), []);
    await runUploader({ files, env });
    assert.equal(collector.requests.length, 1, "nothing is sent again");
  });
}

test("413 halves the batch until it fits; a single event still too large is dropped", async (t) => {
  const big = makeEvent({ properties: { error: { name: "Error", message: "x".repeat(20_000) } } });
  const { lines } = eventLines(40);
  const { files, collector, env } = await setup(t, [...lines, JSON.stringify(big)], [], 8_000);
  await runUploader({ files, env });
  assert.equal(collector.events.length, 40);
  assert.ok(collector.requests.some((request) => request.status === 413));
  assert.deepEqual(
    drops(files.drops).map((record) => record.ids),
    [[big.id]],
  );
});

test("a Retry-After longer than the lifetime defers to a later run and backs off spawns", async (t) => {
  const { lines } = eventLines(3);
  const { files, collector, env, dir } = await setup(t, lines, [
    { kind: "status", status: 429, retryAfter: "7200" },
  ]);
  const before = Date.now();
  await runUploader({ files, env });
  assert.equal(collector.events.length, 0);
  assert.equal(claimedFiles(dir).length, 1, "the batch stays pending");
  const state = readState(files.state);
  assert.equal(state.lastRun?.outcome, "failed");
  assert.ok((state.nextAttemptAt ?? 0) >= before + 7_200_000);
  assert.equal(spawnUploaderIfNeeded(files, env), "backing-off");
});

const NO_SHELL = { shell: "/nonexistent/sh" };

// On POSIX the host starts the uploader through `sh -c 'sleep 0.05; exec node …'`; without a
// shell it starts node itself. Either way it runs and delivers. The shell here is a wrapper of
// /bin/sh that notes its call, so that the first case cannot pass by the fallback.
for (const how of ["through the shell, a moment later", "at once where there is no shell"]) {
  test(`a spawned uploader starts ${how} and delivers`, async (t) => {
    const { lines } = eventLines(3);
    const { files, collector, env } = await setup(t, lines);
    const called = join(makeTempDir(t), "shell-called");
    const wrapper = join(makeTempDir(t), "sh");
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" > '${called}'\nexec /bin/sh "$@"\n`, {
      mode: 0o755,
    });
    const shell = how.startsWith("through") ? wrapper : "/nonexistent/sh";
    const now = Date.now();
    assert.equal(spawnUploaderIfNeeded(files, env, now, { shell }), "spawned");
    // The next command, before the new uploader holds the lock, starts none; seconds later, if
    // it never took the lock, one again.
    assert.equal(spawnUploaderIfNeeded(files, env, now + 10, { shell }), "uploader-starting");
    await collector.waitForEvents(3, 15_000);
    if (shell === wrapper)
      assert.match(readFileSync(called, "utf8"), /sleep 0\.05.*exec.*main\.js/);
    else assert.equal(existsSync(called), false);
  });
}

test("an uploader that reached the lock clears the start mark: the next command may start one", async (t) => {
  const { lines } = eventLines(3);
  const { files, env, collector } = await setup(t, lines);
  writeFileSync(files.started, "");
  assert.equal(spawnUploaderIfNeeded(files, env), "uploader-starting");
  await runUploader({ files, env });
  assert.equal(collector.events.length, 3);
  assert.equal(existsSync(files.started), false);
  makeSpool(files.dir, eventLines(2).lines);
  assert.equal(spawnUploaderIfNeeded(files, env, Date.now(), NO_SHELL), "spawned");
  await collector.waitForEvents(5, 15_000);
});

test("a host starts no uploader while one it started a moment ago is not yet holding the lock", async (t) => {
  const { lines } = eventLines(3);
  const { files, env } = await setup(t, lines);
  const now = Date.now();
  writeFileSync(files.started, "");
  utimesSync(files.started, new Date(now - 1_000), new Date(now - 1_000));
  assert.equal(spawnUploaderIfNeeded(files, env, now), "uploader-starting");
  utimesSync(files.started, new Date(now - 3_500), new Date(now - 3_500));
  assert.equal(spawnUploaderIfNeeded(files, env, now, NO_SHELL), "spawned");
  assert.ok(Math.abs(statSync(files.started).mtimeMs - now) < 1_000, "the start is recorded");
});

test("a start that fails leaves no start mark: the next command tries again", async (t) => {
  const { lines } = eventLines(2);
  const { files, env, collector } = await setup(t, lines);
  const nowhere = { shell: "/nonexistent/sh", node: "/nonexistent/node" };
  assert.equal(spawnUploaderIfNeeded(files, env, Date.now(), nowhere), "failed");
  assert.equal(existsSync(files.started), false);
  assert.equal(spawnUploaderIfNeeded(files, env, Date.now(), NO_SHELL), "spawned");
  await collector.waitForEvents(2, 15_000);
});

// Where node:child_process starts the uploader (Bun, or Node with --pending-deprecation), a
// spawn can throw: an environment variable over Linux's 128 KiB limit fails exec with E2BIG.
test("a start that throws leaves no start mark either", async (t) => {
  const { files } = await setup(t, eventLines(2).lines);
  const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const code = [
    `const { spawnUploaderIfNeeded } = await import(${module("../src/uploader/spawn.js")});`,
    `const { telemetryFiles } = await import(${module("../src/config/paths.js")});`,
    'const env = { ...process.env, HUGE: "x".repeat(300_000) };',
    "process.stdout.write(spawnUploaderIfNeeded(telemetryFiles(process.argv[1]), env));",
  ].join("\n");
  const args = ["--pending-deprecation", "--input-type=module", "-e", code, files.dir];
  assert.equal(execFileSync(process.execPath, args, { encoding: "utf8" }), "failed");
  assert.equal(existsSync(files.started), false);
});

test("a Retry-After date within the lifetime is waited for", async (t) => {
  const { lines } = eventLines(3);
  const retryAt = new Date(Date.now() + 1500).toUTCString();
  const { files, collector, env } = await setup(t, lines, [
    { kind: "status", status: 503, retryAfter: retryAt },
  ]);
  await runUploader({ files, env });
  assert.equal(collector.events.length, 3);
  const [first, second] = collector.requests;
  assert.ok(first && second && second.at - first.at >= 400, "the second try waited for the date");
});

test("a hung endpoint is bounded by the run's lifetime; everything stays pending", async (t) => {
  const { lines } = eventLines(4);
  const { files, collector, env, dir } = await setup(t, lines);
  collector.setAlwaysFault({ kind: "hang" });
  const started = Date.now();
  const report = await runUploader({ files, env, lifetimeMs: 1200 });
  assert.ok(Date.now() - started < 5_000);
  assert.equal(report.status === "ran" && report.drain.outcome, "deferred");
  assert.equal(report.status === "ran" && report.drain.lastError, "request timed out");
  const pending = claimedFiles(dir).flatMap((name) =>
    readFileSync(join(dir, name), "utf8").trim().split("\n"),
  );
  assert.equal(pending.length, 4);
});

test("corrupt, oversized, expired and already-sent lines are skipped and counted; the rest is sent", async (t) => {
  const good = makeEvent();
  const done = makeEvent();
  const old = makeEvent({ timestamp: new Date(Date.now() - 31 * 24 * 3600_000).toISOString() });
  const lines = [
    "garbage",
    "\u0000\u0000\u0000",
    '{"id":"x","event":"not.an.event"}',
    "[1,2,3]",
    `{"id":"${"y".repeat(70_000)}"}`,
    JSON.stringify(old),
    JSON.stringify(done),
    JSON.stringify(good),
    '{"id":"torn","event":"app.st',
  ];
  const { files, collector, env } = await setup(t, lines);
  writeFileSync(files.ledger, `${done.id as string}\n`);
  const report = await runUploader({ files, env });
  assert.deepEqual(
    collector.events.map((event) => event.id),
    [good.id],
  );
  assert.equal(report.status === "ran" && report.drain.duplicatesSkipped, 1);
  const reasons = drops(files.drops).map((record) => record.reasons);
  assert.deepEqual(reasons, [{ expired: 1 }, { corrupt: 6 }]);
});

test("a local project placeholder is replaced by the cached project id before sending", async (t) => {
  const event = makeEvent({ projectId: "local:0123456789abcdef" });
  const { files, collector, env } = await setup(t, [JSON.stringify(event)]);
  mkdirSync(files.projects, { recursive: true });
  writeFileSync(
    join(files.projects, "0123456789abcdef.json"),
    JSON.stringify({ projectId: "a".repeat(64), resolvedAt: new Date().toISOString() }),
  );
  await runUploader({ files, env });
  assert.equal(collector.events[0]?.projectId, "a".repeat(64));
});

test("an uploader that finds telemetry off sends nothing", async (t) => {
  const { lines } = eventLines(3);
  const { files, collector, env } = await setup(t, lines);
  const report = await runUploader({ files, env: { ...env, DO_NOT_TRACK: "1" } });
  assert.equal(report.status, "disabled");
  assert.equal(collector.requests.length, 0);
});

test("a second uploader exits at once while the lock is held", async (t) => {
  const { lines } = eventLines(3);
  const { files, collector, env } = await setup(t, lines);
  const held = await acquireUploaderLock(files);
  if (held.kind !== "acquired") throw new Error(`lock not acquired: ${held.kind}`);
  assert.deepEqual(await runUploader({ files, env }), { status: "busy" });
  assert.equal(collector.requests.length, 0);
  assert.equal(spawnUploaderIfNeeded(files, env), "uploader-running");
  await held.release();
  await runUploader({ files, env });
  assert.equal(collector.events.length, 3);
});
