// The module-sync entry keeps V8's compiled host code in <dir>/host-code.cache: made by the first
// enabled run, reused (never rewritten) after that, refused when damaged, made for other code or
// refused by V8, replaced then (at most hourly), never followed through a link, never written
// when opted out or in debug mode. A host never fails or waits because of it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { test, type TestContext } from "node:test";
import { cacheDirFromEnv } from "../src/code-cache/cache-dir.js";
import { codeCacheName, isCodeCacheName } from "../src/code-cache/cache-name.js";
import { resolveTelemetryDir } from "../src/config/paths.js";
import { scenarioDirs } from "./helpers/hosts.js";
import { childEnv, HOST_FIXTURE, runProcess } from "./helpers/processes.js";
import { copyPackage } from "./helpers/readable-copy.js";
import { makeTempDir } from "./helpers/temp.js";

const HEADER = /^alchemy-telemetry code cache [0-9a-f]{32}-\d+-\d+\n/;
const HOUR_AND_A_BIT = 3_700_000;

/** How a host is told its telemetry directory: by name, or as env-paths finds it from HOME. */
type Location = "ALCHEMY_TELEMETRY_DIR" | "HOME" | "XDG_CONFIG_HOME";

function locate(root: string, location: Location): { dir: string; env: Record<string, string> } {
  if (location === "ALCHEMY_TELEMETRY_DIR") {
    const dir = join(root, "telemetry");
    return { dir, env: { ALCHEMY_TELEMETRY_DIR: dir } };
  }
  if (location === "XDG_CONFIG_HOME") {
    const config = join(root, "xdg-config");
    return { dir: join(config, "alchemy", "telemetry"), env: { XDG_CONFIG_HOME: config } };
  }
  const config = process.platform === "darwin" ? ["Library", "Preferences"] : [".config"];
  return { dir: join(root, ...config, "alchemy", "telemetry"), env: {} };
}

/** The machine's id, as every run but the first finds it (the first makes no cache). */
const STORED_ID = "11111111-1111-4111-8111-111111111111\n";

function setup(
  t: TestContext,
  extra: Record<string, string> = {},
  fixture = HOST_FIXTURE,
  location: Location = "ALCHEMY_TELEMETRY_DIR",
  { firstRun = false }: { firstRun?: boolean } = {},
) {
  const { root } = scenarioDirs(t);
  const { dir, env: where } = locate(root, location);
  const env = childEnv(root, { ...where, ...extra });
  if (extra.DO_NOT_TRACK === undefined) {
    // A backoff in force: no uploader starts, and the spool stays for the test to read.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, "state.json"), '{"nextAttemptAt": 99999999999999}\n', { mode: 0o600 });
    if (!firstRun) writeFileSync(join(dir, "id"), STORED_ID, { mode: 0o600 });
  }
  const cache = join(dir, "host-code.cache");
  const run = async (more: Record<string, string> = {}) => {
    const plan = JSON.stringify({ resources: 2, print: "ok\n" });
    const host = await runProcess(process.execPath, [fixture, plan], {
      env: { ...env, ...more },
      cwd: root,
    });
    assert.equal(host.code, 0, host.stderr);
    assert.equal(host.stdout, "ok\n");
    assert.ok(host.durationMs < 5_000, `host took ${Math.round(host.durationMs)} ms`);
    return host;
  };
  return { root, dir, env, cache, run };
}

/** Identity and content: a rewrite replaces the file (temp + rename), so the inode changes. */
function snapshot(path: string): string {
  const stats = statSync(path);
  const digest = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
  return `${stats.ino} ${stats.mtimeMs} ${digest}`;
}

function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

/** The header and V8's data, which the file holds twice. */
function parts(bytes: Buffer): { header: Buffer; data: Buffer } {
  const headerLength = bytes.indexOf(0x0a) + 1;
  const half = (bytes.length - headerLength) / 2;
  return {
    header: bytes.subarray(0, headerLength),
    data: bytes.subarray(headerLength, headerLength + half),
  };
}

/** The same header, naming another build of the host code. */
function otherCode(header: Buffer): Buffer {
  return Buffer.from(header.toString("latin1").replace(/[0-9a-f]{32}/, "0".repeat(32)), "latin1");
}

function assertWellFormed(path: string): void {
  const bytes = readFileSync(path);
  assert.match(bytes.subarray(0, 120).toString("latin1"), HEADER);
  const { header, data } = parts(bytes);
  assert.ok(data.length > 10_000, `${data.length} bytes of V8 data`);
  assert.ok(bytes.subarray(header.length + data.length).equals(data), "the data, twice");
}

test("the machine's first run, which makes the id, leaves the cache to the next run", async (t) => {
  // The first run's code (the id, the notice) is no later run's: a cache made then would leave
  // every later run compiling what it runs instead.
  const { dir, cache, run } = setup(t, {}, HOST_FIXTURE, "ALCHEMY_TELEMETRY_DIR", {
    firstRun: true,
  });
  const first = await run();
  assert.match(first.stderr, /anonymous usage telemetry/, "the first run, with the notice");
  assert.ok(existsSync(join(dir, "id")));
  assert.equal(existsSync(cache), false);
  await run();
  assertWellFormed(cache);
});

test("a host that records events makes the cache (0600, headed); later runs use it and leave it alone", async (t) => {
  const { dir, cache, run } = setup(t);
  await run();
  assertWellFormed(cache);
  assert.equal(statSync(cache).mode & 0o777, 0o600);
  const first = snapshot(cache);
  await run();
  age(cache, HOUR_AND_A_BIT); // Even an old cache, when V8 takes it, is left alone.
  const aged = snapshot(cache);
  await run();
  assert.notEqual(first, aged);
  assert.equal(snapshot(cache), aged, "an accepted cache is never rewritten");
  // The runs with the cache recorded exactly what the first one did.
  const events = readFileSync(join(dir, "spool.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { event: string }).event);
  assert.equal(events.length, 3 * 6);
  assert.deepEqual(events.slice(12), events.slice(0, 6));
});

for (const location of ["HOME", "XDG_CONFIG_HOME"] as const) {
  test(`a host that finds its directory from ${location} finds its cache there too`, async (t) => {
    // The entry looks for the cache from the environment (cache-dir.ts); the host saves it only
    // into the directory it resolved itself. Had the two disagreed, no cache would be made.
    const { cache, run } = setup(t, {}, HOST_FIXTURE, location);
    await run();
    assertWellFormed(cache);
    age(cache, HOUR_AND_A_BIT); // A cache the entry did not find, or V8 refused, is replaced.
    const aged = snapshot(cache);
    await run();
    assert.equal(snapshot(cache), aged, "found and used");
  });
}

test("the entry's directory for the cache follows env-paths' rule on each platform", () => {
  const home = { HOME: "/home/ada", USERPROFILE: "C:\\Users\\ada" };
  const cases: [NodeJS.Platform, Record<string, string>, string | undefined][] = [
    ["linux", home, "/home/ada/.config/alchemy/telemetry"],
    ["linux", { ...home, XDG_CONFIG_HOME: "/xdg" }, "/xdg/alchemy/telemetry"],
    ["linux", { ...home, XDG_CONFIG_HOME: "" }, "/home/ada/.config/alchemy/telemetry"],
    ["linux", {}, undefined],
    ["freebsd", home, "/home/ada/.config/alchemy/telemetry"],
    ["darwin", home, "/home/ada/Library/Preferences/alchemy/telemetry"],
    ["win32", { ...home, APPDATA: "D:\\Roaming" }, "D:\\Roaming\\alchemy\\Config\\telemetry"],
    ["win32", home, "C:\\Users\\ada\\AppData\\Roaming\\alchemy\\Config\\telemetry"],
    ["win32", { HOME: "/home/ada" }, undefined],
  ];
  for (const [platform, env, expected] of cases) {
    assert.equal(cacheDirFromEnv(env, platform), expected, `${platform} ${JSON.stringify(env)}`);
  }
  // The name wins everywhere, made absolute as the host makes it.
  assert.equal(cacheDirFromEnv({ ...home, ALCHEMY_TELEMETRY_DIR: " rel " }), resolve("rel"));
  // And on this machine it is the host's answer (which, without HOME, is env-paths' from the user
  // database: the entry then has no answer, and no cache). telemetry-dir.test.ts holds the
  // host's answer against env-paths itself.
  const expected = process.env.HOME ? resolveTelemetryDir(process.env) : undefined;
  assert.equal(cacheDirFromEnv(process.env), expected);
});

test("a damaged cache, or one for other code or refused by V8, is not used, then replaced", async (t) => {
  const { cache, run } = setup(t);
  await run();
  const good = readFileSync(cache);
  const { header, data } = parts(good);
  const flipped = Buffer.from(data);
  const middle = Math.floor(flipped.length / 2);
  flipped[middle] = (flipped[middle] ?? 0) ^ 0x10;
  const damaged: [string, Buffer][] = [
    // Release V8 checks no checksum: each of these would crash or hang a host that ran it.
    ["a flipped bit in the data", Buffer.concat([header, flipped, data])],
    ["a zeroed tail", Buffer.concat([header, data, Buffer.alloc(data.length)])],
    ["a cut-off file", good.subarray(0, good.length - 1000)],
    ["other code", Buffer.concat([otherCode(header), data, data])],
    // V8's own check: its magic number and version come first in its data.
    [
      "refused by V8",
      Buffer.concat([
        header,
        Buffer.alloc(16, 0xff),
        data.subarray(16),
        Buffer.alloc(16, 0xff),
        data.subarray(16),
      ]),
    ],
    ["header only", header],
    ["empty", Buffer.alloc(0)],
  ];
  for (const [name, bytes] of damaged) {
    writeFileSync(cache, bytes, { mode: 0o600 });
    age(cache, HOUR_AND_A_BIT);
    const before = snapshot(cache);
    await run();
    assert.notEqual(snapshot(cache), before, `${name}: replaced`);
    assertWellFormed(cache);
  }
});

test("hosts started with other V8 flags keep a cache of their own and leave the plain one alone", async (t) => {
  // V8 refuses a cache made under other flags: with one file, alternating between two setups
  // left one of them without a cache for up to an hour after each switch.
  const { dir, cache, run } = setup(t);
  const flagged = { NODE_OPTIONS: "--max-old-space-size=4096" };
  await run();
  await run(flagged);
  const own = join(dir, codeCacheName([], flagged.NODE_OPTIONS));
  assert.notEqual(own, cache);
  assertWellFormed(cache);
  assertWellFormed(own);
  // Both old enough that a refused one would be replaced: each setup must be using its own.
  age(cache, HOUR_AND_A_BIT);
  age(own, HOUR_AND_A_BIT);
  const plain = snapshot(cache);
  const theirs = snapshot(own);
  await run(flagged);
  await run();
  await run(flagged);
  assert.equal(snapshot(cache), plain, "the plain runs' cache, used and left alone");
  assert.equal(snapshot(own), theirs, "the flagged runs' cache, used and left alone");
});

test("a host started with flags V8 ignores uses the plain cache and makes none of its own", async (t) => {
  // --require, --import, --no-warnings: Node's alone. A cache per such set would split (and with
  // many projects' --require paths, thrash) a cache that every one of them could share.
  const { root, dir, cache, run } = setup(t);
  await run();
  age(cache, HOUR_AND_A_BIT); // Were V8 to refuse it, the flagged run would write its own.
  const plain = snapshot(cache);
  const preload = join(root, "preload.cjs");
  writeFileSync(preload, "");
  await run({ NODE_OPTIONS: `--no-warnings --require ${preload}` });
  await run({ NODE_OPTIONS: "--enable-source-maps" });
  assert.deepEqual(readdirSync(dir).filter(isCodeCacheName), ["host-code.cache"]);
  assert.equal(snapshot(cache), plain, "used by both, left alone");
});

/** Sets of flags V8 refuses the plain cache over: each makes a cache of its own. */
const heapSize = (size: number) => ({ NODE_OPTIONS: `--max-old-space-size=${size}` });

test("at most four caches, one per set of flags: those written longest ago go", async (t) => {
  const { dir, run } = setup(t);
  const sizes = [1024, 2048, 3072, 4096, 5120, 6144];
  const names = (size: number) => codeCacheName([], heapSize(size).NODE_OPTIONS);
  for (const [index, size] of sizes.entries()) {
    await run(heapSize(size));
    // Written in this order, a minute apart: no file system's clock can tie them.
    age(join(dir, names(size)), (sizes.length - index) * 60_000);
  }
  const left = readdirSync(dir).filter(isCodeCacheName).sort();
  assert.deepEqual(left, sizes.slice(2).map(names).sort());
});

test("pruning passes over what it cannot remove and leaves other files alone", async (t) => {
  const { dir, run } = setup(t);
  mkdirSync(join(dir, "host-code-00000000.cache")); // A directory with a cache's name.
  const link = join(dir, "host-code-11111111.cache");
  symlinkSync(join(dir, "gone"), link); // A dangling link, made long ago.
  lutimesSync(link, new Date(Date.now() - HOUR_AND_A_BIT), new Date(Date.now() - HOUR_AND_A_BIT));
  writeFileSync(join(dir, "notes.cache"), "mine\n");
  for (const size of [1024, 2048, 3072, 4096, 5120]) await run(heapSize(size));
  const left = readdirSync(dir).filter(isCodeCacheName);
  assert.ok(!left.includes("host-code-11111111.cache"), "the dangling link, as the oldest");
  assert.ok(left.includes("host-code-00000000.cache"), "a directory is no cache to prune");
  assert.equal(left.length, 5, "four caches and the directory");
  assert.equal(readFileSync(join(dir, "notes.cache"), "utf8"), "mine\n");
});

test("a cache's name: the plain one without flags, else one per set of flags", () => {
  assert.equal(codeCacheName([], undefined), "host-code.cache");
  assert.equal(codeCacheName([], "  "), "host-code.cache");
  const names = [
    codeCacheName(["--max-old-space-size=4096"], undefined),
    codeCacheName([], "--max-old-space-size=4096"),
    codeCacheName([], "--max-old-space-size=8192"),
    codeCacheName(["--expose-gc"], "--max-old-space-size=8192"),
  ];
  assert.equal(new Set(names).size, names.length);
  for (const name of [...names, "host-code.cache"]) assert.ok(isCodeCacheName(name), name);
  for (const name of ["host-code-1234.cache", "host-code-0123456g.cache", "host-code.cache.tmp"]) {
    assert.ok(!isCodeCacheName(name), name);
  }
});

test("a refused cache written minutes ago is not rewritten on every run", async (t) => {
  const { cache, run } = setup(t);
  await run();
  const { header, data } = parts(readFileSync(cache));
  writeFileSync(cache, Buffer.concat([otherCode(header), data, data]), { mode: 0o600 });
  age(cache, 60_000);
  const before = snapshot(cache);
  await run();
  await run();
  assert.equal(snapshot(cache), before);
});

test("a cache file others may write is not used, and is replaced by one of our own", async (t) => {
  const { cache, run } = setup(t);
  await run();
  chmodSync(cache, 0o666);
  age(cache, HOUR_AND_A_BIT);
  const before = snapshot(cache);
  await run();
  assert.notEqual(snapshot(cache), before);
  assert.equal(statSync(cache).mode & 0o777, 0o600);
});

test("a FIFO or a directory at the cache path: the host neither waits nor fails", async (t) => {
  for (const kind of ["fifo", "directory"] as const) {
    const { cache, run } = setup(t);
    if (kind === "fifo") execFileSync("mkfifo", [cache]);
    else mkdirSync(join(cache, "inside"), { recursive: true });
    age(cache, HOUR_AND_A_BIT);
    await run();
    await run();
  }
});

test("a patched host code file of the same length never runs the old bytecode", async (t) => {
  const root = makeTempDir(t);
  copyPackage(root);
  const fixture = join(root, "dist", "test", "fixtures", "host.js");
  const hostCode = join(root, "dist", "src", "host-code.js");
  const { dir, cache, run } = setup(t, {}, fixture);
  const spool = join(dir, "spool.ndjson");
  await run();
  assert.ok(existsSync(cache));
  // The context's field name, in code every run runs and the cache holds.
  assert.match(readFileSync(spool, "utf8"), /"osVersion":/);
  const source = readFileSync(hostCode, "utf8");
  const patched = source.replace("osVersion:", "osVersioN:");
  assert.notEqual(patched, source);
  writeFileSync(hostCode, patched);
  rmSync(spool);
  await run();
  assert.match(readFileSync(spool, "utf8"), /"osVersioN":/, "the patched code ran");
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
