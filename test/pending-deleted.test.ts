// `disable` and `reset` delete what is pending. An uploader already running when they do must
// not send those events afterwards: it checks before every request that telemetry is still on
// and that the batch it works on still exists.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCollector } from "../src/collector/server.js";
import { childEnv, runCliCommand } from "./helpers/processes.js";
import { eventLines, makeSpool } from "./helpers/spool.js";
import { makeTempDir, waitFor } from "./helpers/temp.js";
import { runRealUploader } from "./helpers/uploaders.js";

for (const command of ["disable", "reset"]) {
  test(`${command} while an uploader retries: the deleted events are never sent`, async (t) => {
    const root = makeTempDir(t);
    const dir = join(root, "telemetry");
    makeSpool(dir, eventLines(5).lines);
    const collector = await startCollector({ alwaysFault: { kind: "status", status: 503 } });
    t.after(() => collector.close());
    const env = childEnv(root, {
      ALCHEMY_TELEMETRY_DIR: dir,
      ALCHEMY_TELEMETRY_URL: collector.url,
    });
    const uploader = runRealUploader(dir, env);
    await waitFor(() => collector.requests.length > 0, { what: "the first, refused, request" });
    const done = await runCliCommand([command], { env });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /5 pending events deleted/);
    collector.setAlwaysFault(undefined); // From now on the server would accept them.
    assert.equal((await uploader).code, 0);
    assert.equal(collector.events.length, 0, `sent after \`${command}\``);
    // It was still running, and stopped: not a run that had given up before the fault was lifted.
    assert.match(readFileSync(join(dir, "uploader.log"), "utf8"), /run stopped/);
  });
}
