// G2, the late-writer race of a rename claim, produced deterministically with real processes:
// a host is stopped (SIGSTOP) with the spool open, an uploader claims the spool under it, and
// the host's next write lands in the claimed file. The appender's check must re-append it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { createSpoolAppender, type AppendFs } from "../../src/spool/append.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { scenarioDirs, spawnCountingHost, tags } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { makeTempDir, waitFor } from "../helpers/temp.js";
import {
  cleanupUploaders,
  finished,
  runRealUploader,
  spawnProbe,
  waitStopped,
  waitUploadersGone,
} from "../helpers/uploaders.js";

async function setup(t: TestContext) {
  const { root, dir } = scenarioDirs(t);
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  return { root, dir, collector, env };
}

/** Starts a host that tracks one event, then stops itself with the spool still open. */
async function stoppedHost(root: string, env: Record<string, string>, events: number) {
  const child = spawnCountingHost({ host: 0, events, stopAfter: 1 }, { env, cwd: root });
  const result = finished(child);
  await waitStopped(child.pid ?? 0);
  return { child, result };
}

test("a host stopped with the spool open writes after an uploader sent and removed it", async (t) => {
  const { root, dir, collector, env } = await setup(t);
  const host = await stoppedHost(root, env, 10);
  t.after(() => host.child.kill("SIGKILL"));

  const uploader = await runRealUploader(dir, env);
  assert.equal(uploader.code, 0);
  assert.equal(collector.events.length, 1, "the uploader claimed and sent the first event");
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith("claimed-")),
    [],
  );

  host.child.kill("SIGCONT");
  assert.equal((await host.result).code, 0);
  await collector.waitForEvents(10, 15_000);
  await waitUploadersGone(dir);
  const result = account({ dir, collector, expected: tags(0, 10) });
  assert.deepEqual(problems(result), [], describeAccount(result));
});

test("a write that lands in a claimed file after the uploader read it is re-appended", async (t) => {
  const { root, dir, collector, env } = await setup(t);
  const host = await stoppedHost(root, env, 10);
  t.after(() => host.child.kill("SIGKILL"));

  // The uploader claims the spool and reads it (one event), then stops before sending.
  const probe = spawnProbe({ dir, stopAt: "read" }, env);
  t.after(() => probe.kill("SIGKILL"));
  const probeResult = finished(probe);
  await waitStopped(probe.pid ?? 0);
  const [claimed] = readdirSync(dir).filter((name) => name.startsWith("claimed-"));
  assert.ok(claimed !== undefined, "the spool was claimed");

  // The host resumes: its next write goes into the claimed file, already read.
  host.child.kill("SIGCONT");
  const hostResult = await host.result;
  assert.equal(hostResult.code, 0);
  const late = readFileSync(join(dir, claimed), "utf8").trim().split("\n");
  assert.equal(late.length, 2, "the late write landed in the claimed file");
  assert.match(late[1] ?? "", /"h0-e1"/);

  probe.kill("SIGCONT");
  const done = await probeResult;
  assert.equal(done.code, 0, done.stderr);
  await waitFor(() => collector.events.length >= 10 || undefined, { what: "all ten events" });
  await waitUploadersGone(dir);
  const result = account({ dir, collector, expected: tags(0, 10) });
  assert.deepEqual(problems(result), [], describeAccount(result));
  assert.equal(result.delivered, 10);
});

test("an append whose spool is claimed and sent on every attempt is never reported as appended", (t) => {
  // Through the appender's fs port: before each write a whole uploader cycle runs (claim by
  // rename, read, send, remove), so each write goes to a file nobody will read again.
  const dir = makeTempDir(t);
  const path = join(dir, "spool.ndjson");
  let cycles = 0;
  const port: AppendFs = {
    ...fs,
    writeSync: ((fd: number, buffer: Buffer) => {
      if (existsSync(path)) {
        cycles += 1;
        fs.renameSync(path, join(dir, `claimed-${cycles}.ndjson`));
        fs.rmSync(join(dir, `claimed-${cycles}.ndjson`));
      }
      return fs.writeSync(fd, buffer);
    }) as AppendFs["writeSync"],
  };
  const appender = createSpoolAppender(path, { fs: port });
  const result = appender.append(Buffer.from('{"id":"raced"}\n'));
  appender.close();
  const onDisk = existsSync(path) && readFileSync(path, "utf8").includes("raced");
  assert.ok(cycles >= 3);
  assert.ok(onDisk || result !== "appended", `reported ${result}, but the line is nowhere`);
});
