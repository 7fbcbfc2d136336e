// G1/G2/G7 with a hostile disk: a real short write (RLIMIT_FSIZE via prlimit), a real full disk
// (a tiny tmpfs), and a spool full of garbage, NUL bytes and a 50 MB line.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { account, describeAccount, problems, readPending } from "../helpers/accounting.js";
import {
  COUNTING_HOST,
  runCountingHost,
  scenarioDirs,
  tags,
  type CountingPlan,
} from "../helpers/hosts.js";
import { childEnv, runProcess, type ProcessResult } from "../helpers/processes.js";
import { makeEvent } from "../helpers/spool.js";
import { cleanupUploaders, runProbe, runRealUploader } from "../helpers/uploaders.js";

const PRLIMIT = "/usr/bin/prlimit";
const backOff = (dir: string) => {
  writeFileSync(join(dir, "state.json"), JSON.stringify({ nextAttemptAt: Date.now() + 3600_000 }));
};

/**
 * A first host's append is cut short; a second host, with room again, appends after it. Every
 * line the second host appended must arrive: the fragment must not swallow its first line.
 */
async function nextHostAfterTornWrite(
  t: TestContext,
  dir: string,
  root: string,
  firstHost: (env: Record<string, string>, plan: CountingPlan) => Promise<ProcessResult>,
  makeRoom: () => void,
  dropsFit: boolean,
) {
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
  const plan = { host: 0, events: 300, print: "ok\n" };
  const first = await firstHost(env, plan);
  const optedOut = await runCountingHost(plan, { env: { ...env, DO_NOT_TRACK: "1" }, cwd: root });
  assert.equal(first.code, optedOut.code);
  assert.equal(first.stdout, optedOut.stdout);
  const onDisk = readPending(dir);
  assert.ok(
    onDisk.events.length > 0 && onDisk.events.length < 300,
    `${onDisk.events.length} lines fit`,
  );
  assert.ok(onDisk.torn <= 1, "at most the one cut-off line");
  const fit = onDisk.events.length;

  makeRoom();
  const second = await runCountingHost({ host: 1, events: 5 }, { env, cwd: root });
  assert.equal(second.code, 0);
  assert.equal((await runRealUploader(dir, env)).code, 0);
  const delivered = new Set(collector.events.map((event) => JSON.stringify(event.properties)));
  const lost = tags(1, 5).filter(
    (tag) => ![...delivered].some((text) => text.includes(`"${tag}"`)),
  );
  assert.deepEqual(lost, [], "the second host's events all arrive");
  // Where the file size limit cut the spool short, the drop record still fits and every event
  // of the first host is accounted for; on a full disk not even the drop count can be written.
  const firstTags = dropsFit ? tags(0, plan.events) : tags(0, fit);
  const result = account({ dir, collector, expected: [...firstTags, ...tags(1, 5)] });
  assert.deepEqual(problems(result), [], describeAccount(result));
}

test(
  "a real short write (RLIMIT_FSIZE): the host is unharmed and the next host's lines stay whole",
  { skip: !existsSync(PRLIMIT) && "prlimit missing" },
  async (t) => {
    const { root, dir } = scenarioDirs(t);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    backOff(dir);
    await nextHostAfterTornWrite(
      t,
      dir,
      root,
      (env, plan) =>
        runProcess(
          PRLIMIT,
          ["--fsize=20000", process.execPath, COUNTING_HOST, JSON.stringify(plan)],
          { env, cwd: root },
        ),
      () => undefined, // The limit was the first host's alone.
      true,
    );
  },
);

test("a real full disk (tmpfs): the host is unharmed and the next host's lines stay whole", async (t) => {
  const { root } = scenarioDirs(t);
  // The mount point lives outside the temp root, so removing the root never meets a mount.
  const dir = mkdtempSync(join(tmpdir(), "alchemy-tmpfs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", dir], {
      stdio: "ignore",
    });
  } catch {
    rmSync(dir, { recursive: true });
    t.skip("cannot mount a tmpfs here");
    return;
  }
  t.after(() => {
    execFileSync("umount", ["-l", dir]);
    rmSync(dir, { recursive: true });
  });
  backOff(dir);
  writeFileSync(join(dir, "filler"), Buffer.alloc(16 * 1024));
  await nextHostAfterTornWrite(
    t,
    dir,
    root,
    (env, plan) => runCountingHost(plan, { env, cwd: root }),
    () => {
      rmSync(join(dir, "filler"));
    },
    false,
  );
});

test("garbage, NUL bytes, wrong-schema JSON and a 50 MB line: skipped and counted, in bounded memory", async (t) => {
  const { root, dir } = scenarioDirs(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const collector = await startCollector();
  t.after(() => collector.close());
  cleanupUploaders(t, dir);
  const good = Array.from({ length: 40 }, () => makeEvent());
  const bad: Buffer[] = [
    Buffer.from("garbage"),
    Buffer.from("\u0000\u0000\u0000\u0000"),
    Buffer.alloc(50 * 1024 * 1024, 0x78), // 50 MB of "x".
    Buffer.from('{"id":"x","event":"not.an.event"}'),
    Buffer.from('{"id":42,"event":"app.start"}'),
    Buffer.from("[1,2,3]"),
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from(JSON.stringify({ ...makeEvent(), properties: "not an object" })),
  ];
  const parts: Buffer[] = [];
  good.forEach((event, index) => {
    parts.push(Buffer.from(`${JSON.stringify(event)}\n`));
    const junk = bad[index % 5 === 0 ? index / 5 : -1];
    if (junk) parts.push(junk, Buffer.from("\n"));
  });
  parts.push(Buffer.from('{"id":"torn","event":"app.st')); // A torn tail.
  writeFileSync(join(dir, "spool.ndjson"), Buffer.concat(parts), { mode: 0o600 });
  const env = childEnv(root, { ALCHEMY_TELEMETRY_URL: collector.url });
  // The same run over the good lines alone, for what an uploader needs anyway. Holding the
  // 50 MB line, as a Buffer or a string, would add at least 50 MB to that; a busy machine's
  // collector timing moves a peak by 20 MB at most.
  const baselineDir = join(root, "baseline");
  mkdirSync(baselineDir, { mode: 0o700 });
  const goodLines = Array.from({ length: 40 }, () => `${JSON.stringify(makeEvent())}\n`);
  writeFileSync(join(baselineDir, "spool.ndjson"), goodLines.join(""), { mode: 0o600 });
  const baseline = await runProbe({ dir: baselineDir }, env);
  const probe = await runProbe({ dir }, env);
  assert.equal(probe.code, 0, probe.stderr);
  const peakMb = (result: typeof probe) => (result.output?.maxRssKb ?? Infinity) / 1024;
  const maxRssMb = peakMb(probe);
  const growthMb = maxRssMb - peakMb(baseline);
  assert.ok(growthMb < 40, `peak RSS ${maxRssMb.toFixed(1)} MB, ${growthMb.toFixed(1)} MB more`);
  const result = account({
    dir,
    collector,
    expected: good.map((event) => event.id as string),
    key: "id",
  });
  assert.deepEqual(problems(result), [], describeAccount(result));
  assert.deepEqual(result.uploaderDropReasons, { corrupt: bad.length + 1 });
  assert.equal((await runRealUploader(dir, env)).code, 0, "a second run finds nothing to redo");
  assert.equal(collector.duplicates, 0);
  t.diagnostic(
    `peak RSS ${maxRssMb.toFixed(1)} MB over a 50 MB line, ${growthMb.toFixed(1)} MB more`,
  );
});
