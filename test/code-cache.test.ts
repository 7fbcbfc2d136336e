// The module-sync entry keeps V8's compiled host code in <dir>/host-code.cache: made by the first
// enabled run, reused (never rewritten) after that, replaced when it names other code or V8
// refuses it, never followed through a link, never written when opted out or in debug mode.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { scenarioDirs } from "./helpers/hosts.js";
import { childEnv, runHost } from "./helpers/processes.js";

const HEADER = /^alchemy-telemetry code cache [0-9a-f]{32}\n/;

function setup(t: TestContext, extra: Record<string, string> = {}) {
  const { root, dir } = scenarioDirs(t);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ...extra });
  if (extra.DO_NOT_TRACK === undefined) {
    // A backoff in force: no uploader starts, and the spool stays for the test to read.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, "state.json"), '{"nextAttemptAt": 99999999999999}\n', { mode: 0o600 });
  }
  const cache = join(dir, "host-code.cache");
  const run = async () => {
    const host = await runHost({ resources: 2, print: "ok\n" }, { env, cwd: root });
    assert.equal(host.code, 0, host.stderr);
    assert.equal(host.stdout, "ok\n");
  };
  return { root, dir, env, cache, run };
}

/** Identity and content: a rewrite replaces the file (temp + rename), so the inode changes. */
function snapshot(path: string): string {
  const stats = statSync(path);
  const digest = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
  return `${stats.ino} ${stats.mtimeMs} ${digest}`;
}

test("the first run makes the cache (0600, headed); later runs use it and leave it alone", async (t) => {
  const { dir, cache, run } = setup(t);
  await run();
  const bytes = readFileSync(cache);
  assert.match(bytes.subarray(0, 80).toString("latin1"), HEADER);
  assert.ok(bytes.length > 10_000, `${bytes.length} bytes of V8 data`);
  assert.equal(statSync(cache).mode & 0o777, 0o600);
  const first = snapshot(cache);
  await run();
  await run();
  assert.equal(snapshot(cache), first, "an accepted cache is never rewritten");
  // The runs with the cache recorded exactly what the first one did.
  const events = readFileSync(join(dir, "spool.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { event: string }).event);
  assert.equal(events.length, 3 * 6);
  assert.deepEqual(events.slice(12), events.slice(0, 6));
});

test("a cache made for other code, or refused by V8, or damaged, is replaced", async (t) => {
  const { cache, run } = setup(t);
  await run();
  const good = readFileSync(cache);
  const headerLength = good.indexOf(0x0a) + 1;
  const damaged: [string, Buffer][] = [
    [
      "other code",
      Buffer.concat([
        Buffer.from(`alchemy-telemetry code cache ${"0".repeat(32)}\n`),
        good.subarray(headerLength),
      ]),
    ],
    // V8's own check: its magic number and version come first in its data.
    [
      "refused by V8",
      Buffer.concat([
        good.subarray(0, headerLength),
        Buffer.alloc(16, 0xff),
        good.subarray(headerLength + 16),
      ]),
    ],
    ["truncated", good.subarray(0, headerLength + 100)],
    ["header only", good.subarray(0, headerLength)],
    ["empty", Buffer.alloc(0)],
  ];
  for (const [name, bytes] of damaged) {
    writeFileSync(cache, bytes, { mode: 0o600 });
    const before = snapshot(cache);
    await run();
    assert.notEqual(snapshot(cache), before, `${name}: replaced`);
    const now = readFileSync(cache);
    assert.match(now.subarray(0, 80).toString("latin1"), HEADER, name);
    assert.ok(now.length > 10_000, `${name}: ${now.length} bytes`);
  }
});

test("a cache file others may write is not used, and is replaced by one of our own", async (t) => {
  const { cache, run } = setup(t);
  await run();
  chmodSync(cache, 0o666);
  const before = snapshot(cache);
  await run();
  assert.notEqual(snapshot(cache), before);
  assert.equal(statSync(cache).mode & 0o777, 0o600);
});

for (const [name, extra] of [
  ["DO_NOT_TRACK=1", { DO_NOT_TRACK: "1" }],
  ["debug mode", { ALCHEMY_TELEMETRY_DEBUG: "1" }],
] as const) {
  test(`${name}: no cache is written`, async (t) => {
    const { dir, cache, run } = setup(t, extra);
    await run();
    await run();
    assert.equal(existsSync(cache), false);
    if (name === "DO_NOT_TRACK=1") assert.equal(existsSync(dir), false, "no directory either");
  });
}
