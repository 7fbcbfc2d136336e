import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { OVERSIZED, spoolLines } from "../src/spool/read-lines.js";
import { makeTempDir } from "./helpers/temp.js";

async function readAll(iterator: AsyncGenerator<string | typeof OVERSIZED>) {
  const lines: (string | typeof OVERSIZED)[] = [];
  for await (const line of iterator) lines.push(line);
  return lines;
}

test("a last line still being written when the reader reaches it is read whole", async (t) => {
  const path = join(makeTempDir(t), "claimed.ndjson");
  // A late writer (it opened the spool before the claim) is halfway through its line.
  writeFileSync(path, '{"id":"a"}\n{"id":"b","ev');
  const attempts: number[] = [];
  const lines = await readAll(
    spoolLines(path, 1024, (attempt) => {
      attempts.push(attempt);
      appendFileSync(path, 'ent":"x"}\n'); // ... and finishes it while the reader waits.
      return Promise.resolve(true);
    }),
  );
  assert.deepEqual(lines, ['{"id":"a"}', '{"id":"b","event":"x"}']);
  assert.deepEqual(attempts, [0], "one wait, no more once the line is complete");
});

test("a torn tail that never ends (its writer died) is skipped after the waits", async (t) => {
  const path = join(makeTempDir(t), "claimed.ndjson");
  writeFileSync(path, '{"id":"a"}\n{"id":"b","ev');
  const attempts: number[] = [];
  const lines = await readAll(
    spoolLines(path, 1024, (attempt) => {
      attempts.push(attempt);
      return Promise.resolve(attempt < 2);
    }),
  );
  assert.deepEqual(lines, ['{"id":"a"}', OVERSIZED]);
  assert.deepEqual(attempts, [0, 1, 2]);
});

test("by default a dead writer's torn tail costs the reader a bounded wait", async (t) => {
  const path = join(makeTempDir(t), "claimed.ndjson");
  writeFileSync(path, '{"id":"a"}\n{"id":"b"');
  const lines = await readAll(spoolLines(path, 1024));
  assert.deepEqual(lines, ['{"id":"a"}', OVERSIZED]);
});

test("a file that ends with its newline is read without any wait", async (t) => {
  const path = join(makeTempDir(t), "claimed.ndjson");
  writeFileSync(path, '{"id":"a"}\n\n{"id":"b"}\n');
  const lines = await readAll(
    spoolLines(path, 1024, () => Promise.reject(new Error("no wait expected"))),
  );
  assert.deepEqual(lines, ['{"id":"a"}', '{"id":"b"}']);
});

test("an unfinished line already over the limit is skipped without a wait", async (t) => {
  const path = join(makeTempDir(t), "claimed.ndjson");
  writeFileSync(path, `{"id":"a"}\n{"id":"b","pad":"${"x".repeat(2048)}`);
  const lines = await readAll(
    spoolLines(path, 1024, () => Promise.reject(new Error("no wait expected"))),
  );
  assert.deepEqual(lines, ['{"id":"a"}', OVERSIZED]);
});
