import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createRandomSource, random } from "../src/identity/random.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("UUIDs are version 4 and distinct across many pool refills", () => {
  const ids = new Set<string>();
  const firstBytes = new Set<string>();
  for (let i = 0; i < 20_000; i += 1) {
    const id = random.uuid();
    assert.match(id, UUID_V4);
    ids.add(id);
    firstBytes.add(id.slice(0, 2));
  }
  assert.equal(ids.size, 20_000);
  // Every byte value is spelled, and spelled once: each appears about 78 times here.
  assert.equal(firstBytes.size, 256);
});

test("a UUID spells its 16 bytes, with the version and variant bits set", (t) => {
  if (process.platform === "win32") {
    t.skip("no /dev/zero: Windows takes its bytes from node:crypto");
    return;
  }
  // A character device of known bytes: the id is exactly what they and the RFC make of them.
  const zeros = createRandomSource("/dev/zero");
  assert.equal(zeros.uuid(), "00000000-0000-4000-8000-000000000000");
  assert.equal(zeros.uuid(), "00000000-0000-4000-8000-000000000000");
});

test("bytes are fresh on every call, also past the pool's end", () => {
  const source = createRandomSource();
  const first = source.bytes(4000);
  const second = source.bytes(200); // Refills: the pool is smaller than 4200 bytes.
  const large = source.bytes(10_000);
  assert.deepEqual([first.length, second.length, large.length], [4000, 200, 10_000]);
  assert.notDeepEqual(first.subarray(0, 200), second);
  // Independent copies: later draws never change what a caller holds.
  const held = Buffer.from(second);
  source.bytes(5000);
  assert.deepEqual(second, held);
});

test("a regular file at the device's path is never used as randomness", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "random-"));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const planted = join(dir, "urandom");
  writeFileSync(planted, Buffer.alloc(64 * 1024)); // All zeros: every id would be the same.
  const source = createRandomSource(planted);
  const ids = new Set(Array.from({ length: 100 }, () => source.uuid()));
  assert.equal(ids.size, 100);
});

test("without a kernel generator it falls back to node:crypto", () => {
  const source = createRandomSource("/nonexistent/urandom");
  const ids = new Set(Array.from({ length: 1000 }, () => source.uuid()));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, UUID_V4);
});
