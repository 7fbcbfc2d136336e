import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../src/collector/server.js";
import { childEnv, runCliCommand } from "./helpers/processes.js";
import { eventLines, makeSpool } from "./helpers/spool.js";
import { makeTempDir } from "./helpers/temp.js";

async function setup(t: TestContext, count = 3) {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  const spool = eventLines(count);
  makeSpool(dir, spool.lines);
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  return { root, dir, env, collector, ids: spool.ids };
}

test("--help lists every command; --version prints the version; each command has help", async (t) => {
  const { env } = await setup(t);
  const help = await runCliCommand(["--help"], { env });
  assert.equal(help.code, 0, help.stderr);
  for (const name of ["flush", "status", "show", "enable", "disable", "reset", "collector"]) {
    assert.match(help.stdout, new RegExp(`^  ${name} `, "m"));
    const own = await runCliCommand([name, "--help"], { env });
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, new RegExp(`^Usage: alchemy-telemetry ${name}`));
  }
  const version = await runCliCommand(["--version"], { env });
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test("unknown commands and bad flags: one-line error, usage, exit 2", async (t) => {
  const { env } = await setup(t);
  for (const args of [
    [],
    ["frobnicate"],
    ["--bogus"],
    ["--version", "extra"],
    ["help", "status", "extra"],
    ["status", "--bogus"],
    ["show", "--limit", "-3"],
    ["flush", "extra"],
  ]) {
    const result = await runCliCommand(args, { env });
    assert.equal(result.code, 2, args.join(" "));
    const [first, second] = result.stderr.trim().split("\n");
    assert.match(first ?? "", /^alchemy-telemetry: error: /);
    assert.match(second ?? "", /^usage: /);
    assert.equal(result.stdout, "");
  }
});

test("show prints pending events; --json prints the raw lines", async (t) => {
  const { env, ids } = await setup(t);
  const human = await runCliCommand(["show"], { env });
  assert.equal(human.code, 0);
  assert.equal(human.stdout.trim().split("\n").length, 3);
  assert.match(human.stdout, /resource\.success {2}cloudflare::Worker site/);
  const json = await runCliCommand(["show", "--json"], { env });
  assert.deepEqual(
    json.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id),
    ids,
  );
});

test("status reports on/off, files and pending; --json for scripts", async (t) => {
  const { env, dir } = await setup(t);
  const status = await runCliCommand(["status", "--json"], { env });
  assert.equal(status.code, 0);
  const parsed = JSON.parse(status.stdout) as {
    enabled: boolean;
    pending: { events: number };
    directory: string;
  };
  assert.equal(parsed.enabled, true);
  assert.equal(parsed.pending.events, 3);
  assert.equal(parsed.directory, dir);
  const off = await runCliCommand(["status"], { env: { ...env, DO_NOT_TRACK: "1" } });
  assert.match(off.stdout, /^telemetry: +off \(DO_NOT_TRACK is set\)/);
  assert.match(off.stdout, /spool\.ndjson/);
});

test("flush sends everything in the foreground and prints a summary", async (t) => {
  const { env, collector } = await setup(t, 30);
  const flush = await runCliCommand(["flush"], { env });
  assert.equal(flush.code, 0, flush.stderr);
  assert.equal(flush.stdout, "sent 30, dropped 0, left 0\n");
  assert.equal(collector.events.length, 30);
  const status = JSON.parse((await runCliCommand(["status", "--json"], { env })).stdout) as {
    lastRun: { outcome: string };
  };
  assert.equal(status.lastRun.outcome, "sent");
  const human = await runCliCommand(["status"], { env });
  assert.match(human.stdout, /last upload: \S+ sent \(sent 30, dropped 0\)/);
  assert.match(human.stdout, /uploader log \(latest last\):\n {2}\S+ \[\d+\] run drained: sent=30/);
});

test("flush exits 1 when something is left", async (t) => {
  const { env, collector } = await setup(t, 2);
  collector.setAlwaysFault({ kind: "status", status: 503, retryAfter: "3600" });
  const flush = await runCliCommand(["flush", "--json"], { env });
  assert.equal(flush.code, 1);
  assert.deepEqual(JSON.parse(flush.stdout), {
    sent: 0,
    dropped: 0,
    duplicatesSkipped: 0,
    left: 2,
    error: "HTTP 503",
  });
});

test("disable persists, deletes what is pending, and enable turns it back on", async (t) => {
  const { env, dir } = await setup(t);
  const disable = await runCliCommand(["disable"], { env });
  assert.equal(disable.code, 0, disable.stderr);
  assert.equal(disable.stdout, "telemetry disabled; 3 pending events deleted\n");
  assert.equal(existsSync(join(dir, "spool.ndjson")), false);
  const status = JSON.parse((await runCliCommand(["status", "--json"], { env })).stdout) as {
    enabled: boolean;
  };
  assert.equal(status.enabled, false);
  const enable = await runCliCommand(["enable"], { env: { ...env, DO_NOT_TRACK: "1" } });
  assert.equal(enable.code, 0, enable.stderr);
  assert.match(enable.stderr, /DO_NOT_TRACK is set/);
  assert.equal(
    (JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { enabled: boolean }).enabled,
    true,
  );
});

test("help <command> prints that command's help", async (t) => {
  const { env } = await setup(t);
  const help = await runCliCommand(["help", "flush"], { env });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: alchemy-telemetry flush/);
});

test("reset replaces an existing anonymous id and deletes pending events", async (t) => {
  const { env, dir } = await setup(t);
  const old = "11111111-1111-4111-8111-111111111111";
  writeFileSync(join(dir, "id"), `${old}\n`, { mode: 0o600 });
  const reset = await runCliCommand(["reset"], { env });
  assert.equal(reset.code, 0, reset.stderr);
  const id = readFileSync(join(dir, "id"), "utf8").trim();
  assert.notEqual(id, old);
  assert.equal(reset.stdout, `new anonymous id ${id}; 3 pending events deleted\n`);
  assert.equal(statSync(join(dir, "id")).mode & 0o777, 0o600);
});

test("reset makes no id where none exists, in CI none at all, and no directory", async (t) => {
  const { env, dir, root } = await setup(t);
  const first = await runCliCommand(["reset"], { env });
  assert.equal(
    first.stdout,
    "no anonymous id yet; the next run makes one; 3 pending events deleted\n",
  );
  assert.equal(existsSync(join(dir, "id")), false, "the next run makes it, and says so");
  writeFileSync(join(dir, "id"), "11111111-1111-4111-8111-111111111111\n");
  const ci = await runCliCommand(["reset"], { env: { ...env, CI: "true" } });
  assert.match(ci.stdout, /^in CI the id is per provider, no id file is kept;/);
  assert.equal(existsSync(join(dir, "id")), false);
  const fresh = join(root, "never-used");
  const none = await runCliCommand(["reset"], { env: { ...env, ALCHEMY_TELEMETRY_DIR: fresh } });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(existsSync(fresh), false);
});

test("flush and status on a machine where nothing was recorded yet", async (t) => {
  const { env, root } = await setup(t);
  const fresh = { ...env, ALCHEMY_TELEMETRY_DIR: join(root, "fresh") };
  const flush = await runCliCommand(["flush", "--json"], { env: fresh });
  assert.equal(flush.code, 0, flush.stderr);
  assert.deepEqual(JSON.parse(flush.stdout), {
    sent: 0,
    dropped: 0,
    duplicatesSkipped: 0,
    left: 0,
  });
  const status = await runCliCommand(["status"], { env: fresh });
  assert.equal(status.code, 0, status.stderr);
  assert.equal(existsSync(join(root, "fresh")), false, "looking creates nothing");
});

test("status names claimed batches, where events wait after a failed upload", async (t) => {
  const { env, dir, collector } = await setup(t, 4);
  collector.setAlwaysFault({ kind: "status", status: 503, retryAfter: "3600" });
  assert.equal((await runCliCommand(["flush"], { env })).code, 1);
  const [claimed] = readdirSync(dir).filter((name) => name.startsWith("claimed-"));
  assert.ok(claimed, "the batch waits in a claimed file");
  const status = await runCliCommand(["status"], { env });
  assert.match(status.stdout, new RegExp(`${claimed}  \\(pending events an uploader took`));
  assert.match(status.stdout, /pending: +4 events/);
});

test("status names the code caches of hosts started with other Node flags", async (t) => {
  const { env, dir } = await setup(t, 1);
  const other = "host-code-0123abcd.cache";
  writeFileSync(join(dir, other), "x", { mode: 0o600 });
  writeFileSync(join(dir, "host-code.cache"), "x", { mode: 0o600 });
  const status = await runCliCommand(["status"], { env });
  assert.match(
    status.stdout,
    new RegExp(`${other}  \\(compiled host code, for hosts started with`),
  );
  assert.equal(status.stdout.split("host-code.cache  (").length, 2, "the plain one, once");
});

test("an endpoint that is not an http(s) URL: no retries, a clear error, a backoff", async (t) => {
  const { env, dir, collector } = await setup(t, 2);
  const flush = await runCliCommand(["flush", "--json"], {
    env: { ...env, ALCHEMY_TELEMETRY_URL: "not a url" },
  });
  assert.equal(flush.code, 1);
  assert.equal(
    (JSON.parse(flush.stdout) as { error: string }).error,
    "ALCHEMY_TELEMETRY_URL is not an http(s) URL",
  );
  const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as {
    nextAttemptAt: number;
  };
  assert.ok(state.nextAttemptAt > Date.now(), "hosts do not start an uploader per command");
  assert.equal(collector.requests.length, 0);
});
