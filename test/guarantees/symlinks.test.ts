// G1 and §2.3 ("nothing is ever written outside <dir>") with links planted in the telemetry
// directory: at the spool, the lock, a claimed batch, and the package's other files. The host
// behaves as when opted out, delivery goes on, and every link's target stays byte-for-byte and
// mtime-for-mtime unchanged.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../../src/collector/server.js";
import { account, describeAccount, problems } from "../helpers/accounting.js";
import { runBothWays, scenarioDirs, tags } from "../helpers/hosts.js";
import { childEnv } from "../helpers/processes.js";
import { makeEvent } from "../helpers/spool.js";
import { cleanupUploaders, runRealUploader, waitUploadersGone } from "../helpers/uploaders.js";

interface Plant {
  /** The name inside the telemetry directory where the link is planted. */
  readonly name: string;
  readonly target: "file" | "old-dir" | "fresh-dir";
  /** Whether the host's events can still be delivered with this link in place. */
  readonly delivers: boolean;
  readonly inRepository?: boolean;
}

const PLANTS: Plant[] = [
  { name: "spool.ndjson", target: "file", delivers: false },
  { name: "uploader.lock", target: "old-dir", delivers: false },
  { name: "uploader.lock", target: "fresh-dir", delivers: false },
  { name: "claimed-1000-deadbeef-99999999.ndjson", target: "file", delivers: true },
  { name: "drops.ndjson", target: "file", delivers: true },
  { name: "state.json", target: "file", delivers: true },
  { name: "id", target: "file", delivers: true },
  { name: "uploader.log", target: "file", delivers: true },
  { name: "done.ids", target: "file", delivers: true },
  { name: "host-code.cache", target: "file", delivers: true },
  { name: "uploader.started", target: "file", delivers: true },
  // In a git repository the host leaves the repository for the uploader under projects/.
  { name: "projects", target: "old-dir", delivers: true, inRepository: true },
];

/** What must not change: the target's bytes (or entries) and its mtime. */
function fingerprint(path: string): string {
  const stats = statSync(path);
  const content = stats.isDirectory() ? "<dir>" : readFileSync(path, "base64");
  return `${content} ${stats.mtimeMs}`;
}

for (const plant of PLANTS) {
  test(`a link planted at ${plant.name} (to a ${plant.target}) is never written through`, async (t) => {
    const { root, dir } = scenarioDirs(t);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (plant.inRepository) execFileSync("git", ["init", "-q", root]);
    const collector = await startCollector();
    t.after(() => collector.close());
    cleanupUploaders(t, dir);
    const target = join(root, "outside");
    if (plant.target === "file") {
      // A spool-like file: were it followed, its events would be sent and it would be consumed.
      writeFileSync(target, `${JSON.stringify(makeEvent())}\nkeep me\n`);
    } else {
      mkdirSync(target);
    }
    const past = new Date(Date.now() - (plant.target === "fresh-dir" ? 1_000 : 3600_000));
    utimesSync(target, past, past);
    symlinkSync(target, join(dir, plant.name));
    const before = fingerprint(target);
    // A line the uploader will drop as corrupt, so drops.ndjson gets written too.
    if (plant.delivers) writeFileSync(join(dir, "spool.ndjson"), "garbage\n");

    const env = childEnv(root, {
      ALCHEMY_TELEMETRY_DIR: dir,
      ALCHEMY_TELEMETRY_URL: collector.url,
    });
    const { on, off } = await runBothWays(
      { host: 0, events: 5, print: "ok\n", exitCode: 4 },
      { env, cwd: root },
    );
    assert.equal(on.code, off.code);
    assert.equal(on.stdout, off.stdout);
    await waitUploadersGone(dir);
    const run = await runRealUploader(dir, env);
    assert.equal(run.code, 0, run.stderr);

    assert.equal(fingerprint(target), before, "the link's target is unchanged");
    const result = account({ dir, collector, expected: tags(0, 5) });
    assert.deepEqual(
      problems(result, { allowPending: !plant.delivers }),
      [],
      describeAccount(result),
    );
    if (plant.delivers) assert.equal(result.delivered, 5);
    assert.ok(
      collector.events.every((event) =>
        tags(0, 5).some((tag) => JSON.stringify(event).includes(`"${tag}"`)),
      ),
      "nothing from the link's target was sent",
    );
  });
}
