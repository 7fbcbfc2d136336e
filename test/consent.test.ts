import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { resolveConsent } from "../src/config/consent.js";
import { isFlagOn } from "../src/config/flags.js";
import { childEnv, runHost } from "./helpers/processes.js";
import { makeTempDir } from "./helpers/temp.js";

test("flag truth table: unset, empty, 0, false, no, off (any case, trimmed) are off", () => {
  for (const value of [undefined, "", "0", "false", "no", "off", " OFF ", "False", "\tno\n"]) {
    assert.equal(isFlagOn(value), false, JSON.stringify(value));
  }
  for (const value of ["1", "true", "yes", "on", "TRUE", "anything", "2"]) {
    assert.equal(isFlagOn(value), true, value);
  }
});

test("opting out by env beats a stored enable; a stored disable beats the default", () => {
  assert.equal(resolveConsent({ DO_NOT_TRACK: "1" }, true).enabled, false);
  assert.equal(resolveConsent({ ALCHEMY_TELEMETRY_DISABLED: "yes" }, true).enabled, false);
  assert.equal(resolveConsent({ ALCHEMY_TELEMETRY_DISABLED: "0" }, undefined).enabled, true);
  assert.equal(resolveConsent({}, false).enabled, false);
  assert.equal(resolveConsent({}, true).enabled, true);
  assert.match(resolveConsent({ DO_NOT_TRACK: "1" }, undefined).reason, /DO_NOT_TRACK/);
});

for (const [name, value] of [
  ["ALCHEMY_TELEMETRY_DISABLED", "1"],
  ["DO_NOT_TRACK", "1"],
  ["DO_NOT_TRACK", "true"],
] as const) {
  test(`${name}=${value}: no directory, no file, no notice, no child process`, async (t) => {
    const root = makeTempDir(t);
    const dir = join(root, "telemetry");
    const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, [name]: value });
    const host = await runHost({ resources: 3, print: "ok\n" }, { env, cwd: root });
    assert.equal(host.code, 0);
    assert.equal(host.stdout, "ok\n");
    assert.equal(host.stderr, "");
    assert.equal(existsSync(dir), false);
    // Not even the default config directory under HOME.
    assert.deepEqual(readdirSync(root), []);
  });
}

test("debug mode prints exactly the lines that would be sent, and writes nothing", async (t) => {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  // A repository, so the line carries the project id the uploader would resolve and send.
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", root, ...args], { encoding: "utf8" });
  git("init", "-q");
  git(
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.com",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "root",
  );
  const rootCommit = git("rev-list", "--max-parents=0", "HEAD").trim();
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_DEBUG: "1" });
  const host = await runHost({ resources: 1 }, { env, cwd: root });
  assert.equal(host.code, 0);
  const lines = host.stderr.trim().split("\n");
  assert.equal(lines.length, 4, "one line per event, nothing else");
  const events = lines.map((line) => JSON.parse(line) as { event: string; projectId: string });
  assert.deepEqual(
    events.map((event) => event.event),
    ["app.start", "resource.start", "resource.success", "app.success"],
  );
  const projectId = createHash("sha256").update(`alchemy-project:${rootCommit}`).digest("hex");
  assert.ok(events.every((event) => event.projectId === projectId));
  assert.equal(existsSync(dir), false);
});

test("a stored disable stops recording; the default config dir follows XDG_CONFIG_HOME", async (t) => {
  const root = makeTempDir(t);
  const config = join(root, "xdg");
  const env = childEnv(root, {
    XDG_CONFIG_HOME: config,
    ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/v1/events",
  });
  const { runCliCommand } = await import("./helpers/processes.js");
  const disabled = await runCliCommand(["disable"], { env });
  assert.equal(disabled.code, 0, disabled.stderr);
  const dir = join(config, "alchemy", "telemetry");
  assert.ok(existsSync(join(dir, "config.json")));
  await runHost({ resources: 2 }, { env, cwd: root });
  assert.deepEqual(readdirSync(dir).sort(), ["config.json"]);
});
