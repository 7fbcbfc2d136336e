import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../src/collector/server.js";
import { loadOrCreateAnonymousId } from "../src/identity/anonymous-id.js";
import { ciUserId } from "../src/identity/ci-id.js";
import { childEnv, runHost, uploaderPids } from "./helpers/processes.js";
import { makeTempDir } from "./helpers/temp.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("concurrent first runs agree on one id and exactly one prints the notice", async (t) => {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/v1/events",
  });
  const hosts = await Promise.all(
    Array.from({ length: 8 }, () => runHost({ resources: 1 }, { env, cwd: root })),
  );
  t.after(() => {
    uploaderPids(dir).forEach((pid) => process.kill(pid, "SIGKILL"));
  });
  assert.ok(hosts.every((host) => host.code === 0));
  assert.equal(hosts.filter((host) => /anonymous usage telemetry/.test(host.stderr)).length, 1);
  const id = readFileSync(join(dir, "id"), "utf8").trim();
  assert.match(id, UUID_V4);
  const spooled = [
    join(dir, "spool.ndjson"),
    ...readdirSync(dir)
      .filter((n) => n.startsWith("claimed-"))
      .map((n) => join(dir, n)),
  ]
    .filter((path) => existsSync(path))
    .flatMap((path) => readFileSync(path, "utf8").trim().split("\n").filter(Boolean))
    .map((line) => (JSON.parse(line) as { userId: string }).userId);
  assert.ok(spooled.length > 0);
  assert.ok(spooled.every((userId) => userId === id));
  assert.equal(
    readdirSync(dir).filter((name) => name.endsWith(".tmp")).length,
    0,
    "no temp files left",
  );
});

test("in CI the id is ci:<provider>, no id file is written and no notice is printed", async (t) => {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  const collector = await startCollector();
  t.after(() => collector.close());
  const env = childEnv(root, {
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: collector.url,
    CI: "true",
    GITHUB_ACTIONS: "true",
  });
  const host = await runHost({ resources: 0 }, { env, cwd: root });
  assert.equal(host.stderr, "", "no notice in CI");
  await collector.waitForEvents(2);
  const [event] = collector.events as { userId: string; context: { ci: string } }[];
  assert.equal(event?.userId, "ci:github-actions");
  assert.equal(event.context.ci, "GitHub Actions");
  assert.ok(existsSync(dir), "the events were spooled");
  assert.equal(existsSync(join(dir, "id")), false);
});

test("ciUserId slugs the provider and falls back to generic", () => {
  assert.equal(ciUserId({ isCi: true, name: "GitHub Actions" }), "ci:github-actions");
  assert.equal(ciUserId({ isCi: true, name: null }), "ci:generic");
  assert.equal(ciUserId({ isCi: true, name: "AWS CodeBuild" }), "ci:aws-codebuild");
});

test("an empty or corrupt id file is replaced, without a second notice", (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, "id");
  for (const content of ["", "not-a-uuid\n", "\u0000\u0000"]) {
    writeFileSync(path, content);
    const { id, created } = loadOrCreateAnonymousId(path);
    assert.match(id, UUID_V4);
    assert.equal(created, false);
    assert.equal(readFileSync(path, "utf8").trim(), id);
  }
  mkdirSync(join(dir, "fresh"));
  const fresh = loadOrCreateAnonymousId(join(dir, "fresh", "id"));
  assert.equal(fresh.created, true);
  assert.deepEqual(loadOrCreateAnonymousId(join(dir, "fresh", "id")), {
    id: fresh.id,
    created: false,
  });
});
