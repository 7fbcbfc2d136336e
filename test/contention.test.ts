import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../src/collector/server.js";
import { childEnv, UPLOADER_ENTRY } from "./helpers/processes.js";
import { eventLines, makeSpool } from "./helpers/spool.js";
import { makeTempDir } from "./helpers/temp.js";

test("eight uploaders started at once: one drains, the others exit, every event arrives once", async (t) => {
  const root = makeTempDir(t);
  const dir = join(root, "telemetry");
  const { ids, lines } = eventLines(2000);
  const files = makeSpool(dir, lines);
  const collector = await startCollector({ alwaysFault: { kind: "delay", ms: 50 } });
  t.after(() => collector.close());
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });

  const exits = await Promise.all(
    Array.from({ length: 8 }, () => {
      const child = spawn(process.execPath, [UPLOADER_ENTRY], { env, stdio: "ignore" });
      return new Promise<number | null>((resolve) => child.on("exit", resolve));
    }),
  );
  assert.deepEqual(
    exits,
    Array.from({ length: 8 }, () => 0),
  );
  assert.equal(collector.events.length, 2000);
  assert.equal(collector.duplicates, 0);
  assert.deepEqual(new Set(collector.events.map((event) => event.id)), new Set(ids));
  const log = readFileSync(files.log, "utf8");
  assert.equal((log.match(/run drained/g) ?? []).length >= 1, true);
  assert.ok((log.match(/run busy/g) ?? []).length >= 1, "the others found the lock held");
});
