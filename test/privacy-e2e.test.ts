import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { startCollector } from "../src/collector/server.js";
import { telemetryFiles } from "../src/config/paths.js";
import { runUploader } from "../src/uploader/run.js";
import {
  CORPUS_ENV,
  CORPUS_REMOTE_CONFIG,
  CORPUS_REPO,
  CORPUS_USER,
} from "./helpers/privacy-corpus.js";
import { childEnv, runProcess } from "./helpers/processes.js";
import { makeTempDir } from "./helpers/temp.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/privacy-host.js", import.meta.url));

test("PRIVACY: no planted secret, path or env value reaches the spool or the collector", async (t) => {
  // A short prefix: `alchemy-telemetry-` and six random characters reach the 24 of a token, and
  // one such name in 60 reads as random, is replaced as one and hides the paths the test expects.
  const root = makeTempDir(t, "privacy-e2e-");
  const home = join(root, "home", CORPUS_USER);
  const cwd = join(home, "acme-stealth-project");
  mkdirSync(cwd, { recursive: true });
  const dir = join(root, "telemetry");
  const files = telemetryFiles(dir);
  mkdirSync(dir, { mode: 0o700 });
  // Hold the uploader back so the spool's bytes can be read exactly as the host left them.
  writeFileSync(files.state, JSON.stringify({ nextAttemptAt: Date.now() + 3_600_000 }));
  const collector = await startCollector({ out: join(root, "received.ndjson") });
  t.after(() => collector.close());
  const env = childEnv(home, {
    ...CORPUS_ENV,
    HOME: home,
    ALCHEMY_TELEMETRY_DIR: dir,
    ALCHEMY_TELEMETRY_URL: collector.url,
  });
  const plantedPath = join(root, "planted.json");
  // A second project, named only by the `cwd` option of a second instance.
  const optionCwd = join(root, "projects", "emberline-ventures-x9");
  // A third: a package of a monorepo outside home (a `.git` folder is all the host looks for).
  const repoRoot = join(root, ...CORPUS_REPO.split("/"));
  const repoCwd = join(repoRoot, "packages", "infra");
  mkdirSync(join(repoRoot, ".git"), { recursive: true });
  writeFileSync(join(repoRoot, ".git", "config"), CORPUS_REMOTE_CONFIG);
  mkdirSync(repoCwd, { recursive: true });

  const args = [FIXTURE, plantedPath, optionCwd, repoCwd, repoRoot];
  const host = await runProcess(process.execPath, args, { env, cwd });
  assert.equal(host.code, 0, host.stderr);
  const { planted, kept } = JSON.parse(readFileSync(plantedPath, "utf8")) as {
    planted: string[];
    kept: string[];
  };
  assert.ok(planted.length > 150, `only ${planted.length} planted values`);
  assert.ok(planted.includes("acme-stealth-project") && planted.includes(optionCwd));
  assert.ok(planted.includes("globex-secretco"), "the monorepo cases are planted");
  assert.ok(planted.includes("payroll/ledger-core"), "the remote cases are planted");
  assert.ok(
    planted.some((value) => value.includes("m%C3%BCller-payroll-9/")),
    "encoded paths",
  );

  const spool = readFileSync(files.spool, "utf8");
  const lines = spool.trim().split("\n");
  assert.ok(lines.length > 100);
  const leaks = (text: string) =>
    planted.filter((value) => value !== "" && text.toLowerCase().includes(value.toLowerCase()));
  assert.deepEqual(leaks(spool), [], "spool bytes");
  assert.deepEqual(leaks(readdirSync(dir).join("\n")), [], "file names");

  await runUploader({ files, env });
  await collector.waitForEvents(lines.length);
  assert.deepEqual(
    leaks(readFileSync(join(root, "received.ndjson"), "utf8")),
    [],
    "received bytes",
  );
  // Shape survives: stack frames keep their file and position.
  assert.match(spool, /<cwd>\/src\/deploy\.ts:1:5/);
  assert.match(spool, /~\/lib\/cli\.js:9:1/);
  // Real ES module stacks print encoded file URLs: the cwd and the monorepo root are still found.
  assert.match(spool, /boom \(<cwd>\/src\/boom\.mjs:1:\d+\)/);
  assert.match(spool, /boom \(<repo>\/node_modules\/fake-provider\/boom\.mjs:1:\d+\)/);
  // Texts that only look secret arrive as they were written.
  const missing = kept.filter((text) => !spool.includes(JSON.stringify(text).slice(1, -1)));
  assert.deepEqual(missing, [], "over-redacted");
});
