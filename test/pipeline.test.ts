import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../src/collector/server.js";
import { createTelemetry } from "../src/index.js";
import { childEnv, isAlive, runHost, runProcess, uploaderPids } from "./helpers/processes.js";
import { startGate } from "./helpers/servers.js";
import { eventLines, makeSpool } from "./helpers/spool.js";
import { cleanupUploaders, uploaderProcesses, waitUploadersGone } from "./helpers/uploaders.js";
import { makeTempDir, waitFor } from "./helpers/temp.js";

function setup(t: import("node:test").TestContext) {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  return { root, dir };
}

test("events reach the collector through the detached uploader after the host has exited", async (t) => {
  const { root, dir } = setup(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });

  const host = await runHost({ resources: 25 }, { env, cwd: root });
  assert.equal(host.code, 0);
  assert.equal(host.stdout, "host done\n");
  assert.match(host.stderr, /anonymous usage telemetry/, "the first run prints the notice");

  await collector.waitForEvents(52, 15_000);
  const events = collector.events;
  assert.equal(new Set(events.map((event) => event.id)).size, 52);
  assert.equal(new Set(events.map((event) => event.runId)).size, 1, "one run id per process");
  const userId = readFileSync(join(dir, "id"), "utf8").trim();
  assert.ok(events.every((event) => event.userId === userId));
  assert.deepEqual(
    events.map((event) => event.event).filter((name, index, all) => all.indexOf(name) === index),
    ["app.start", "resource.start", "resource.success", "app.success"],
  );
  const success = events.find((event) => event.event === "resource.success");
  assert.deepEqual((success?.properties as Record<string, unknown>).resource, {
    name: "resource-0",
    type: "cloudflare::Worker",
    status: "created",
  });
  const context = events[0]?.context as Record<string, unknown>;
  assert.equal(context.version, "0.77.0");
  assert.equal(context.phase, "up");
  assert.equal(context.runtime, "node");
  assert.equal(context.ci, null);
  assert.ok(
    collector.requests.every(
      (request) => request.gzip && request.contentType === "application/x-ndjson",
    ),
  );
  assert.match(collector.requests[0]?.userAgent ?? "", /^alchemy-telemetry\/\d+\.\d+\.\d+/);

  // Everything sent is gone from disk once the uploader is done.
  await waitFor(() => !existsSync(join(dir, "uploader.lock")), {
    what: "the uploader to release its lock",
  });
  assert.ok(
    !existsSync(join(dir, "spool.ndjson")) || statSync(join(dir, "spool.ndjson")).size === 0,
  );
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith("claimed-")),
    [],
  );
});

/** Every directory under `dir` (itself included) 0700, every file 0600: the paths that are not. */
function notPrivate(dir: string): string[] {
  const wrong: string[] = [];
  const walk = (path: string) => {
    const stats = lstatSync(path);
    const want = stats.isDirectory() ? 0o700 : 0o600;
    if ((stats.mode & 0o777) !== want) wrong.push(`${path} ${(stats.mode & 0o777).toString(8)}`);
    if (stats.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return wrong;
}

test("every directory and file is private, 0700 and 0600, the uploader's lock included", async (t) => {
  const { root, dir } = setup(t);
  execFileSync("git", ["init", "-q", root]); // So that projects/ is written too.
  const collector = await startCollector();
  t.after(() => collector.close());
  const gate = await startGate(t, collector.url);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: gate.url });
  await runHost({ resources: 1 }, { env, cwd: root });
  await waitFor(() => gate.arrived() > 0, { what: "the uploader's first request" });
  assert.ok(existsSync(join(dir, "uploader.lock")), "held while the request waits");
  assert.deepEqual(notPrivate(dir), []);
  gate.open();
  await collector.waitForEvents(4);
  await waitFor(() => !existsSync(join(dir, "uploader.lock")), { what: "the lock's release" });
  assert.ok(existsSync(join(dir, "done.ids")) && existsSync(join(dir, "projects")));
  assert.deepEqual(notPrivate(dir), []);
});

test("a relative ALCHEMY_TELEMETRY_DIR is the same directory for the host and its uploader", async (t) => {
  const { root, dir } = setup(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: "telemetry",
    ALCHEMY_TELEMETRY_URL: collector.url,
  });
  assert.equal((await runHost({ resources: 2 }, { env, cwd: root })).code, 0);
  await collector.waitForEvents(6);
  assert.ok(existsSync(join(dir, "id")));
});

test("the host exits at once while the endpoint hangs, and nothing is lost", async (t) => {
  const { root, dir } = setup(t);
  const collector = await startCollector({ alwaysFault: { kind: "hang" } });
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });

  const host = await runHost({ resources: 5 }, { env, cwd: root });
  assert.equal(host.code, 0);
  // The request timeout is 10 s; a host that waited on the network would take at least that.
  assert.ok(host.durationMs < 5_000, `host took ${Math.round(host.durationMs)} ms`);

  await waitFor(() => collector.requests.length > 0 || undefined, {
    what: "the uploader's request",
  });
  const [pid] = await waitFor(
    () => (uploaderPids(dir).length > 0 ? uploaderPids(dir) : undefined),
    {
      what: "a claimed batch",
    },
  );
  assert.ok(pid !== undefined && isAlive(pid), "the uploader is still waiting, on its own");
  process.kill(pid, "SIGKILL");
  await waitFor(() => !isAlive(pid), { what: "the uploader to die" });
  const claimed = readdirSync(dir).filter((name) => name.startsWith("claimed-"));
  const lines = claimed.flatMap((name) => readFileSync(join(dir, name), "utf8").trim().split("\n"));
  assert.equal(lines.length, 12, "every event is still pending on disk");
});

// Two ways to start the uploader: Node's process handle directly (fast), or child_process where
// using the handle would print a deprecation notice into the host's output.
for (const [how, extra] of [
  ["the process handle", {}],
  ["child_process (host under --pending-deprecation)", { NODE_OPTIONS: "--pending-deprecation" }],
  [
    "child_process (--pending_deprecation spelled with _, and --throw-deprecation)",
    { NODE_OPTIONS: "--pending_deprecation --throw-deprecation" },
  ],
] as const) {
  test(`an uploader started through ${how} runs detached, in its own session`, async (t) => {
    const { root, dir } = setup(t);
    const collector = await startCollector({ alwaysFault: { kind: "hang" } });
    t.after(() => collector.close());
    const env = childEnv(root, {
      ALCHEMY_TELEMETRY_DIR: dir,
      ALCHEMY_TELEMETRY_URL: collector.url,
      ...extra,
    });
    const host = await runHost({ resources: 1 }, { env, cwd: root });
    assert.equal(host.code, 0);
    assert.doesNotMatch(host.stderr, /Warning/, "nothing but the first-run notice");
    const [pid] = await waitFor(
      () => (uploaderPids(dir).length > 0 ? uploaderPids(dir) : undefined),
      { what: "the uploader to claim the spool" },
    );
    assert.ok(pid !== undefined);
    t.after(() => {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    });
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ...": a session leader of its own.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ");
    assert.equal(Number(fields[3]), pid, "its own session: the host's terminal cannot signal it");
    assert.equal(
      readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[1]?.endsWith("main.js"),
      true,
    );
    const stdio = [0, 1, 2].map((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`));
    assert.deepEqual(stdio, ["/dev/null", "/dev/null", "/dev/null"], "no pipe to the host");
  });
}

/** A collector whose every request hangs: an uploader that reaches it stays alive to be read. */
async function hangingCollector(t: import("node:test").TestContext, dir: string) {
  const collector = await startCollector({ faults: [{ kind: "hang" }] });
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  return collector;
}

/** The environment of the uploader at work on `dir`, once its request hangs at the collector. */
async function liveUploaderEnv(
  collector: Awaited<ReturnType<typeof startCollector>>,
  dir: string,
): Promise<Map<string, string>> {
  await waitFor(() => collector.requests.some((request) => request.status === "hang"), {
    what: "the uploader's request",
  });
  const [pid] = uploaderProcesses(dir);
  assert.ok(pid !== undefined, "a live uploader");
  const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  return new Map(
    environ.map((pair) => [pair.split("=")[0] ?? "", pair.slice(pair.indexOf("=") + 1)]),
  );
}

test(
  "the uploader's environment is the host's, without its preloads, with the directory",
  { skip: process.platform !== "linux" && "reads /proc" },
  async (t) => {
    const { root, dir } = setup(t);
    const collector = await hangingCollector(t, dir);
    const marker = join(root, "preloaded.txt");
    const preload = join(root, "preload.cjs");
    writeFileSync(preload, `require("fs").appendFileSync(${JSON.stringify(marker)}, "x\\n");\n`);
    const env = childEnv(root, {
      // Relative, as a user may set it: the uploader, which runs in the directory, gets it whole.
      ALCHEMY_TELEMETRY_DIR: "telemetry",
      ALCHEMY_TELEMETRY_URL: collector.url,
      NODE_OPTIONS: `--require=${preload}`,
      ENV: join(root, "env.sh"),
      BASH_ENV: join(root, "bash-env.sh"),
      HOST_SETTING: "kept as it is",
    });
    const host = await runHost({ resources: 1 }, { env, cwd: root });
    assert.equal(host.code, 0, host.stderr);
    const uploaderEnv = await liveUploaderEnv(collector, dir);
    assert.equal(uploaderEnv.get("ALCHEMY_TELEMETRY_DIR"), dir);
    assert.equal(uploaderEnv.get("HOST_SETTING"), "kept as it is");
    assert.equal(uploaderEnv.get("ALCHEMY_TELEMETRY_URL"), collector.url);
    for (const name of ["NODE_OPTIONS", "ENV", "BASH_ENV"])
      assert.equal(uploaderEnv.has(name), false, name);
    // The host ran the preload; the uploader did not.
    assert.equal(readFileSync(marker, "utf8"), "x\n");
  },
);

test(
  "a host that replaced process.env: the uploader gets the replacement",
  { skip: process.platform !== "linux" && "reads /proc" },
  async (t) => {
    const { root, dir } = setup(t);
    const collector = await hangingCollector(t, dir);
    const bundle = new URL("../src/index.bundle.js", import.meta.url).href;
    const host = [
      // After the import, as a test harness or a CLI loading its settings would do it.
      `const { createTelemetry } = await import(${JSON.stringify(bundle)});`,
      'process.env = { ...process.env, HOST_SETTING: "replaced" };',
      'const telemetry = createTelemetry({ version: "1.0.0" });',
      'telemetry.track("app.start");',
      "telemetry.shutdown();",
    ].join("\n");
    const env = childEnv(root, {
      ALCHEMY_TELEMETRY_DIR: dir,
      ALCHEMY_TELEMETRY_URL: collector.url,
      HOST_SETTING: "original",
    });
    const result = await runProcess(process.execPath, ["--input-type=module", "-e", host], {
      env,
      cwd: root,
    });
    assert.equal(result.code, 0, result.stderr);
    const uploaderEnv = await liveUploaderEnv(collector, dir);
    assert.equal(uploaderEnv.get("HOST_SETTING"), "replaced");
    assert.equal(uploaderEnv.get("ALCHEMY_TELEMETRY_DIR"), dir);
  },
);

test("the uploader is started at exit when the host never calls shutdown()", async (t) => {
  const { root, dir } = setup(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const host = await runHost({ resources: 2, shutdown: false }, { env, cwd: root });
  assert.equal(host.code, 0);
  await collector.waitForEvents(6, 15_000);
});

test("a later shutdown() starts an uploader for its own new events at once, for others' after a second", async (t) => {
  const { root, dir } = setup(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const files = makeSpool(dir, []);
  writeFileSync(files.id, "11111111-1111-4111-8111-111111111111\n", { mode: 0o600 }); // No notice.
  const first = createTelemetry({ version: "0.77.0", env });
  first.shutdown(); // Nothing pending: no uploader.
  first.track("app.start");
  first.shutdown(); // Tracked since: asked again, and started.
  assert.equal(existsSync(files.started), true);
  await collector.waitForEvents(1, 15_000);
  // Gone, not just past its lock: its last look at the spool would take the next events.
  await waitUploadersGone(dir);

  const second = createTelemetry({ version: "0.77.0", env });
  const asked = Date.now();
  second.shutdown();
  makeSpool(dir, eventLines(2).lines); // Another host's events, this one saw none.
  second.shutdown(); // Its answer of a moment ago stands: at exit, this costs the host nothing.
  assert.equal(existsSync(files.started), false);
  await waitFor(
    () => {
      second.shutdown();
      return existsSync(files.started);
    },
    { what: "a shutdown() a second later to start an uploader" },
  );
  assert.ok(Date.now() - asked >= 1_000);
  await collector.waitForEvents(3, 15_000);
});

test("the host's exit code and output are its own, telemetry on or off", async (t) => {
  const { root, dir } = setup(t);
  const base = {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/v1/events",
  };
  const on = await runHost(
    { exitCode: 3, print: "out\n", fail: "boom" },
    { env: childEnv(root, base), cwd: root },
  );
  const off = await runHost(
    { exitCode: 3, print: "out\n", fail: "boom" },
    { env: childEnv(root, { ...base, DO_NOT_TRACK: "1" }), cwd: root },
  );
  assert.equal(on.code, 3);
  assert.equal(off.code, 3);
  assert.equal(on.stdout, off.stdout);
  for (const pid of uploaderPids(dir)) process.kill(pid, "SIGKILL");
});

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "(gone)";
  }
}
