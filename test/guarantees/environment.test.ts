// G1 with an odd environment: a read-only or unwritable directory (the host runs as `nobody`,
// since root ignores permission bits), the directory path taken by a file, no HOME, a spool at
// its cap. The host behaves exactly as when opted out: same exit code, same stdout.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startCollector } from "../../src/collector/server.js";
import { LIMITS } from "../../src/config/limits.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import {
  runBothWays,
  runCountingHost,
  scenarioDirs,
  tags,
  worldReadableRoot,
} from "../helpers/hosts.js";
import type { ProcessResult } from "../helpers/processes.js";
import { childEnv, runHost, runProcess } from "../helpers/processes.js";
import { makeEvent } from "../helpers/spool.js";
import { readableCountingHost, readablePackageRoot } from "../helpers/readable-copy.js";
import { cleanupUploaders, startCensus, waitUploadersGone } from "../helpers/uploaders.js";

/** Runs the host as `nobody`, from a copy of the package that `nobody` can read. */
const asNobody = () => ({ uid: 65534, gid: 65534, script: readableCountingHost() });
/** Running a child as another uid needs root (as on CI here); elsewhere those cases skip. */
const AS_NOBODY = { skip: process.getuid?.() !== 0 && "running a child as nobody needs root" };
const COMPAT_BUNDLE = fileURLToPath(new URL("../../src/index.compat.js", import.meta.url));
const PLAN = { host: 0, events: 20, print: "deployed 20 resources\n", exitCode: 3 };

function assertSameAsOptedOut(on: ProcessResult, off: ProcessResult): void {
  assert.equal(on.code, 3);
  assert.equal(on.code, off.code);
  assert.equal(on.stdout, off.stdout);
  assert.equal(on.stderr, "", "nothing printed: no notice, no error");
  assert.equal(off.stderr, "");
  assert.ok(on.durationMs < 5_000, `host took ${Math.round(on.durationMs)} ms`);
}

test("the copy of the package that the host runs from is readable by another uid", () => {
  const root = readablePackageRoot();
  const envPaths = join(root, "node_modules", "env-paths", "index.js");
  for (const file of [readableCountingHost(), envPaths]) {
    assert.equal(statSync(file).mode & 0o004, 0o004, `${file} must be world-readable`);
    for (let dir = dirname(file); dir !== "/"; dir = dirname(dir)) {
      assert.equal(statSync(dir).mode & 0o001, 0o001, `${dir} must be world-searchable`);
    }
  }
});

test(
  "a read-only parent directory (host runs as nobody): as if opted out",
  AS_NOBODY,
  async (t) => {
    const root = worldReadableRoot(t);
    const readOnly = join(root, "read-only");
    mkdirSync(readOnly, { mode: 0o755 }); // Owned by root: nobody cannot create anything in it.
    const env = childEnv(join(root, "home"), {
      ALCHEMY_TELEMETRY_DIR: join(readOnly, "telemetry"),
    });
    const { on, off } = await runBothWays(PLAN, { env, cwd: root, ...asNobody() });
    assertSameAsOptedOut(on, off);
    assert.deepEqual(readdirSync(readOnly), []);
    // Control: the same run as root does write there, so the path was really in use.
    cleanupUploaders(t, join(readOnly, "telemetry"));
    const control = await runCountingHost(PLAN, {
      env: { ...env, ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/" },
      cwd: root,
    });
    assert.equal(control.code, 3);
    assert.deepEqual(readdirSync(readOnly), ["telemetry"]);
  },
);

test("an existing telemetry directory nobody may enter: as if opted out", AS_NOBODY, async (t) => {
  const root = worldReadableRoot(t);
  const dir = join(root, "telemetry");
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, "spool.ndjson"), `${JSON.stringify(makeEvent())}\n`, { mode: 0o600 });
  const env = childEnv(join(root, "home"), { ALCHEMY_TELEMETRY_DIR: dir });
  const { on, off } = await runBothWays(PLAN, { env, cwd: root, ...asNobody() });
  assertSameAsOptedOut(on, off);
  assert.deepEqual(readdirSync(dir), ["spool.ndjson"]);
});

test(
  "HOME unset and no ALCHEMY_TELEMETRY_DIR (nobody's home does not exist): as if opted out",
  AS_NOBODY,
  async (t) => {
    const root = worldReadableRoot(t);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const { on, off } = await runBothWays(PLAN, { env, cwd: root, ...asNobody() });
    assertSameAsOptedOut(on, off);
  },
);

test(
  "HOME read-only (nobody, root-owned home): as if opted out, nothing created",
  AS_NOBODY,
  async (t) => {
    const root = worldReadableRoot(t);
    const home = join(root, "home");
    const { on, off } = await runBothWays(PLAN, { env: childEnv(home), cwd: root, ...asNobody() });
    assertSameAsOptedOut(on, off);
    assert.deepEqual(readdirSync(home), []);
  },
);

// Removes process.getBuiltinModule before the host imports us, as Node before 20.16 lacks it.
const WITHOUT_GET_BUILTIN = "--import=data:text/javascript,delete%20process.getBuiltinModule";

test("the module-sync bundle on a runtime without process.getBuiltinModule: as if opted out", async (t) => {
  const { root, dir } = scenarioDirs(t);
  // Node 20.20 picks the package's module-sync bundle, which reaches built-ins only through it.
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, NODE_OPTIONS: WITHOUT_GET_BUILTIN });
  const plan = { resources: 5, print: "deployed 5 resources\n", exitCode: 3 };
  const on = await runHost(plan, { env, cwd: root });
  const off = await runHost(plan, { env: { ...env, DO_NOT_TRACK: "1" }, cwd: root });
  assertSameAsOptedOut(on, off);
  assert.equal(existsSync(dir), false, "nothing created");
});

test("the compat bundle (Node 20.5-20.18) records and delivers without process.getBuiltinModule", async (t) => {
  const { root, dir } = scenarioDirs(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: collector.url,
    // Pending deprecation makes the spawn load node:child_process, here by require.
    NODE_OPTIONS: `${WITHOUT_GET_BUILTIN} --pending-deprecation`,
  });
  const host = [
    `const { createTelemetry } = await import(${JSON.stringify(COMPAT_BUNDLE)});`,
    'if (typeof process.getBuiltinModule !== "undefined") throw new Error("preload missing");',
    'const telemetry = createTelemetry({ version: "1.0.0" });',
    'telemetry.track("app.start");',
    'telemetry.track("app.success", { elapsedMs: 1 });',
    "telemetry.shutdown();",
    "process.stdout.write(String(telemetry.enabled));",
  ].join("\n");
  const result = await runProcess(process.execPath, ["--input-type=module", "-e", host], {
    env,
    cwd: root,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "true");
  assert.doesNotMatch(result.stderr, /Warning/);
  await collector.waitForEvents(2, 15_000);
  assert.deepEqual(
    collector.events.map((event) => event.event),
    ["app.start", "app.success"],
  );
});

test("the directory path is taken by a file: as if opted out, the file untouched", async (t) => {
  const { root } = scenarioDirs(t);
  const file = join(root, "telemetry");
  writeFileSync(file, "not a directory\n");
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: file });
  const { on, off } = await runBothWays(PLAN, { env, cwd: root });
  assertSameAsOptedOut(on, off);
  assert.equal(readFileSync(file, "utf8"), "not a directory\n");
});

test("a spool at its cap: the host's events are dropped and counted, the spool stops growing", async (t) => {
  const { root, dir } = scenarioDirs(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  cleanupUploaders(t, dir);
  const line = `${JSON.stringify(makeEvent())}\n`;
  const lines = Math.floor((LIMITS.maxSpoolBytes - 200) / line.length);
  const filler = Array.from({ length: lines }, () => `${JSON.stringify(makeEvent())}\n`).join("");
  writeFileSync(join(dir, "spool.ndjson"), filler, { mode: 0o600 });
  // No uploader during the test: spawns back off, as after a failed run.
  writeFileSync(join(dir, "state.json"), JSON.stringify({ nextAttemptAt: Date.now() + 3600_000 }));
  const size = statSync(join(dir, "spool.ndjson")).size;
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/",
  });
  const { on, off } = await runBothWays(PLAN, { env, cwd: root });
  assert.equal(on.code, off.code);
  assert.equal(on.stdout, off.stdout);
  assert.ok(statSync(join(dir, "spool.ndjson")).size <= LIMITS.maxSpoolBytes);
  assert.equal(statSync(join(dir, "spool.ndjson")).size, size, "not one byte past the cap");
  const result = account({ dir, collector: { events: [], duplicates: 0 }, expected: tags(0, 20) });
  assert.deepEqual(problems(result, { allowPending: true }), [], describeAccount(result));
  assert.deepEqual(result.hostDropReasons, { "spool-full": 20 });
});

test("a read-only directory holding a spool (left by a sudo run): no uploader per command", async (t) => {
  const root = worldReadableRoot(t);
  const dir = join(root, "telemetry");
  mkdirSync(dir, { mode: 0o755 }); // Root's, readable by all, writable by none but root.
  writeFileSync(join(dir, "spool.ndjson"), `${JSON.stringify(makeEvent())}\n`, { mode: 0o644 });
  cleanupUploaders(t, dir);
  const env = childEnv(join(root, "home"), {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/",
  });
  const census = startCensus(dir);
  for (let host = 0; host < 3; host += 1) {
    const { on, off } = await runBothWays({ ...PLAN, host }, { env, cwd: root, ...asNobody() });
    assertSameAsOptedOut(on, off);
  }
  await waitUploadersGone(dir);
  const started = census.stop();
  assert.equal(
    started.size,
    0,
    `${started.size} uploaders started for 3 commands that recorded nothing`,
  );
});
