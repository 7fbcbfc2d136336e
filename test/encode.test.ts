import assert from "node:assert/strict";
import { test } from "node:test";
import { LIMITS } from "../src/config/limits.js";
import { buildEvent, type TelemetryEvent } from "../src/event/build.js";
import type { EventContext } from "../src/event/context.js";
import { EVENT_NAMES } from "../src/event/names.js";
import { isoTimestamp } from "../src/event/timestamp.js";
import { random } from "../src/identity/random.js";
import { createLineEncoder, encodeEventLine, type SharedFields } from "../src/spool/encode.js";

const context = {
  os: "linux",
  osVersion: "6.1.0",
  arch: "x64",
  cpus: 2,
  memoryMb: 4096,
  runtime: "node",
  runtimeVersion: "20.20.2",
  ci: null,
  version: "0.77.0",
  phase: "up",
} as unknown as EventContext;

const shared: SharedFields = {
  userId: "d5d1ceb4-6ecc-4688-99eb-811f1e272451",
  projectId: "local:27c79c21035e0a63",
  runId: "59081eaa-7acc-41a7-a270-4fe8dc2e5723",
  context,
};

/** An event as the host builds it (buildEvent fixes the order of the fields). */
function event(properties: TelemetryEvent["properties"], overrides: Partial<TelemetryEvent> = {}) {
  const built = buildEvent("resource.error", {}, { ...meta, ...overrides }, (value) => value);
  return { ...built, properties };
}

const meta = {
  id: "ad2d7741-209c-435f-9aac-f17636893d14",
  timestamp: "2026-12-01T16:14:44.001Z",
  ...shared,
};

const text = (line: Buffer | undefined) => line?.toString("utf8");

test("a session's lines are byte for byte what the general encoder makes", () => {
  const encode = createLineEncoder(shared);
  const cases = [
    event({}),
    event({ elapsedMs: 12, resource: { name: "site", type: "cloudflare::Worker" } }),
    event({ resource: { name: 'quote " and \\ and \n', type: "ü😀\u2028", status: "created" } }),
    event({ error: { name: "TypeError", message: "boom", stack: "TypeError: boom\n    at x" } }),
    event({ resource: { name: "lone \uD800 surrogate", type: "\uDFFF" } }),
    event({ error: { name: "Error", message: "m", stack: undefined } }),
  ];
  for (const input of cases) {
    const expected = text(encodeEventLine(input));
    assert.equal(text(encode(input)), expected);
    // The host's own id, name and time need no escaping: written as they are, the same bytes.
    assert.equal(text(encode(input, true)), expected);
    assert.equal(expected, `${JSON.stringify(input)}\n`);
  }
});

test("plain lines from the host's own ids, times and every event name are the general path's", () => {
  // What record() vouches for: random.uuid(), isoTimestamp() (its Date fallback included) and
  // a name of EVENT_NAMES need no escaping, so writing them raw changes no byte.
  const encode = createLineEncoder(shared);
  for (const name of EVENT_NAMES) {
    for (const ms of [Date.now(), 0, 253_402_300_799_999, 253_402_300_800_000]) {
      const input = { ...event({ elapsedMs: 1 }), id: random.uuid(), event: name };
      const timed = { ...input, timestamp: isoTimestamp(ms) };
      assert.equal(text(encode(timed, true)), text(encodeEventLine(timed)), `${name} at ${ms}`);
    }
  }
});

test("a session without a project id: its lines too", () => {
  const none = { ...shared, projectId: null };
  const encode = createLineEncoder(none);
  const input = event({ elapsedMs: 3 }, { projectId: null });
  assert.equal(text(encode(input)), text(encodeEventLine(input)));
  assert.equal(text(encode(input)), `${JSON.stringify(input)}\n`);
});

test("the shared fields are serialized once per session, not per line", () => {
  let serialized = 0;
  const counted = {
    ...context,
    toJSON: () => {
      serialized += 1;
      return { ...context };
    },
  } as unknown as EventContext;
  const encode = createLineEncoder({ ...shared, context: counted });
  const lines = [1, 2, 3].map((elapsedMs) => encode(event({ elapsedMs }, { context: counted })));
  assert.equal(serialized, 1);
  for (const [index, line] of lines.entries()) {
    const expected = event({ elapsedMs: index + 1 }, { context: { ...context } });
    assert.equal(text(line), `${JSON.stringify(expected)}\n`);
  }
});

test("an event that does not carry the session's own fields is encoded as it is", () => {
  const encode = createLineEncoder(shared);
  const other = event(
    {},
    { userId: "0b4b7a4f-0a8b-4b5e-9c53-2f7d3f7e2a11", context: { ...context } },
  );
  assert.equal(text(encode(other)), `${JSON.stringify(other)}\n`);
  const nullProject = createLineEncoder({ ...shared, projectId: null });
  assert.equal(text(nullProject(event({}))), `${JSON.stringify(event({}))}\n`);
});

test("an event too long for one line is shrunk as the general encoder shrinks it", () => {
  const encode = createLineEncoder(shared);
  const stack = `Error: big\n${"    at f (/app/x.js:1:1)\n".repeat(4000)}`;
  const big = event({ error: { name: "Error", message: "big", stack } });
  assert.ok(JSON.stringify(big).length > LIMITS.maxLineBytes);
  const line = encode(big);
  assert.ok(line !== undefined && line.length <= LIMITS.maxLineBytes);
  assert.equal(text(line), text(encodeEventLine(big)));
  assert.equal((JSON.parse(text(line) ?? "") as TelemetryEvent).properties.error?.stack, undefined);
});

test("the limit is in bytes: a line of fewer characters than that but more bytes is shrunk", () => {
  const encode = createLineEncoder(shared);
  const message = "é".repeat(40_000); // 40,000 characters, 80,000 bytes
  const wide = event({ error: { name: "Error", message } });
  assert.ok(JSON.stringify(wide).length < LIMITS.maxLineBytes);
  const line = encode(wide);
  assert.ok(line !== undefined && line.length <= LIMITS.maxLineBytes);
  assert.equal(text(line), text(encodeEventLine(wide)));
});
