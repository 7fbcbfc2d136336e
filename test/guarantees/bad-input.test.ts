// G7 in a real host process: track() with every kind of bad input never throws, stays fast, and
// writes one valid line or drops and counts the event; calls from exit handlers behave; 100,000
// calls keep memory bounded and the spool at its cap.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test, type TestContext } from "node:test";
import { LIMITS } from "../../src/config/limits.js";
import { parseSpooledEvent } from "../../src/spool/validate.js";
import { readDrops } from "../helpers/accounting.js";
import { HOSTILE_CASES } from "../helpers/hostile.js";
import { scenarioDirs } from "../helpers/hosts.js";
import { childEnv, runProcess } from "../helpers/processes.js";
import { cleanupUploaders } from "../helpers/uploaders.js";

const HOSTILE_HOST = fileURLToPath(new URL("../fixtures/hostile-host.js", import.meta.url));

interface CaseResult {
  readonly name: string;
  readonly threw: boolean;
  readonly ms: number;
  readonly added: number;
}

async function runHostile(t: TestContext, mode: string, nodeFlags: string[] = []) {
  const { root, dir } = scenarioDirs(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  cleanupUploaders(t, dir);
  // No uploader: spawns back off, as after a failed run. The test reads the spool as written.
  writeFileSync(join(dir, "state.json"), JSON.stringify({ nextAttemptAt: Date.now() + 3600_000 }));
  const env = childEnv(root, { ALCHEMY_TELEMETRY_DIR: dir });
  const result = await runProcess(process.execPath, [...nodeFlags, HOSTILE_HOST, mode], {
    env,
    cwd: root,
  });
  const lines = readFileSync(join(dir, "spool.ndjson"), "utf8").split("\n").slice(0, -1);
  const hostDrops = readDrops(dir).filter((record) => record.source === "host");
  const dropped = hostDrops.reduce(
    (sum, record) => sum + Object.values(record.reasons).reduce((a, b) => a + b, 0),
    0,
  );
  return { result, lines, hostDrops, dropped };
}

function assertValidLines(lines: readonly string[]): void {
  for (const line of lines) {
    assert.ok(
      Buffer.byteLength(line) + 1 <= LIMITS.maxLineBytes,
      `a line of ${Buffer.byteLength(line)} bytes`,
    );
    assert.ok(parseSpooledEvent(line), `not a valid event: ${line.slice(0, 200)}`);
  }
}

test("bad input to track(): never throws, fast, one valid line or a counted drop", async (t) => {
  const { result, lines, dropped } = await runHostile(t, "cases");
  assert.equal(result.code, 0, result.stderr);
  const { results } = JSON.parse(result.stdout) as { results: CaseResult[] };
  assert.equal(results.length, HOSTILE_CASES.length);
  for (const entry of results) {
    assert.equal(entry.threw, false, `${entry.name} threw`);
    // Runaway work (a 10 MB string walked, a loop) takes seconds; speed itself is the bench's.
    assert.ok(entry.ms < 1000, `${entry.name} took ${entry.ms.toFixed(1)} ms`);
    const expected = entry.name === "a getter that calls track() again" ? [0, 2] : [0, 1];
    assert.ok(expected.includes(entry.added), `${entry.name} added ${entry.added} lines`);
  }
  assertValidLines(lines);
  const notWritten = results.filter((entry) => entry.added === 0).length;
  assert.equal(dropped, notWritten, "every event not written is counted as dropped");
  assert.equal(lines.length, 1 + results.reduce((sum, entry) => sum + entry.added, 0));
  const slowest = [...results].sort((a, b) => b.ms - a.ms)[0];
  t.diagnostic(
    `${results.length} cases, ${notWritten} dropped and counted, slowest ${slowest?.name} ${slowest?.ms.toFixed(1)} ms`,
  );
});

test("track() from exit handlers: no throw, the exit code kept, the events written", async (t) => {
  const { result, lines } = await runHostile(t, "exit");
  assert.equal(result.code, 7);
  assert.equal(result.stdout, "exit handlers set\n");
  assert.equal(result.stderr.includes("Error"), false, result.stderr);
  assertValidLines(lines);
  const names = lines.map((line) => (JSON.parse(line) as { event: string }).event).sort();
  assert.deepEqual(names, ["app.start", "app.success", "resource.success"]);
});

test("an event dropped in an exit handler after shutdown is still counted", async (t) => {
  const { hostDrops } = await runHostile(t, "exit");
  const unknown = hostDrops.reduce(
    (sum, record) => sum + (record.reasons["unknown-event"] ?? 0),
    0,
  );
  assert.equal(unknown, 1);
});

test("100,000 track() calls: bounded heap, the spool stops at its cap, the rest counted", async (t) => {
  const { result, lines, hostDrops } = await runHostile(t, "flood", ["--expose-gc"]);
  assert.equal(result.code, 0, result.stderr);
  const flood = JSON.parse(result.stdout) as {
    calls: number;
    ms: number;
    heapGrowth: number;
    lines: number;
  };
  assert.ok(
    flood.heapGrowth < 8 * 1024 * 1024,
    `heap grew by ${(flood.heapGrowth / 1048576).toFixed(1)} MB`,
  );
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  assert.ok(bytes <= LIMITS.maxSpoolBytes, `the spool holds ${bytes} bytes`);
  assertValidLines(lines);
  const full = hostDrops.reduce((sum, record) => sum + (record.reasons["spool-full"] ?? 0), 0);
  assert.equal(lines.length + full, flood.calls, "every call is a line or a counted drop");
  assert.ok(full > 0, "the cap was reached");
  t.diagnostic(
    `${flood.calls} calls in ${flood.ms.toFixed(0)} ms (${((flood.ms * 1000) / flood.calls).toFixed(1)} µs each), ${lines.length} lines, ${full} dropped at the cap`,
  );
});
