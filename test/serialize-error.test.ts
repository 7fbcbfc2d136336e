import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runInNewContext } from "node:vm";
import { createRedactor } from "../src/event/redact.js";
import { serializeError, type SerializedError } from "../src/event/serialize-error.js";
import { TRUNCATION_MARKER } from "../src/event/text.js";

const redact = createRedactor({ homeDir: "/home/alice", userName: "alice", cwd: "/work/app" });
const serialize = (value: unknown) => serializeError(value, redact);
const json = (value: unknown) => JSON.stringify(serialize(value));
// Lone surrogates do not survive a UTF-8 round trip.
const isWellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8") === text;

function depthOf(error: SerializedError | undefined): number {
  return error === undefined ? 0 : 1 + depthOf(error.cause);
}

describe("errors", () => {
  test("keep name, message, code and a trimmed, redacted stack", () => {
    const error = Object.assign(new TypeError("cannot open /home/alice/app/x.ts"), {
      code: "ENOENT",
    });
    error.stack = [
      "TypeError: cannot open /home/alice/app/x.ts",
      "    at open (/home/alice/project/src/index.ts:12:5)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      ...Array.from(
        { length: 20 },
        (_, index) => `    at f${index} (/work/app/src/a.ts:${index}:1)`,
      ),
    ].join("\n");
    const result = serialize(error);
    assert.equal(result.name, "TypeError");
    assert.equal(result.message, "cannot open ~/app/x.ts");
    assert.equal(result.code, "ENOENT");
    const lines = result.stack?.split("\n") ?? [];
    assert.equal(lines[0], "TypeError: cannot open ~/app/x.ts");
    assert.equal(lines[1], "    at open (~/project/src/index.ts:12:5)");
    assert.equal(lines[2], "    at f0 (<cwd>/src/a.ts:0:1)");
    assert.equal(lines.length, 11);
    assert.equal(result.stack?.includes("node:internal"), false);
  });

  test("a numeric code becomes a string; other codes are dropped", () => {
    assert.equal(serialize(Object.assign(new Error("x"), { code: 42 })).code, "42");
    assert.equal(serialize(Object.assign(new Error("x"), { code: { a: 1 } })).code, undefined);
  });

  test("never carry other own properties", () => {
    const error = Object.assign(new Error("boom"), {
      request: { url: "https://api.example.com", headers: { authorization: "Bearer zzz" } },
      headers: { cookie: "session=planted-cookie" },
      env: { SECRET: "planted-env" },
      options: { cwd: "/work/app" },
      command: "deploy --token planted-cli",
    });
    const text = json(error);
    for (const planted of ["planted", "api.example.com", "request", "headers", "options"]) {
      assert.equal(text.includes(planted), false, planted);
    }
    assert.deepEqual(Object.keys(serialize(error)).sort(), ["message", "name", "stack"]);
  });

  test("follow causes to a bounded depth and stop at cycles", () => {
    let error = new Error("root cause");
    for (let index = 0; index < 10; index++) error = new Error(`level ${index}`, { cause: error });
    assert.equal(depthOf(serialize(error)), 4);
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.equal(depthOf(serialize(a)), 2);
  });

  test("keep at most five AggregateError members and bound the whole tree", () => {
    const members = Array.from({ length: 50 }, (_, index) => new Error(`member ${index}`));
    const result = serialize(new AggregateError(members, "many"));
    const errors = result.errors ?? [];
    assert.equal(errors.length, 5);
    assert.equal(errors[0]?.message, "member 0");
    const nested = new AggregateError(
      Array.from({ length: 5 }, () => new AggregateError(members.slice(0, 5), "inner")),
      "outer",
    );
    assert.ok(json(nested).length < 64 * 1024);
  });

  test("errors from another realm are still errors", () => {
    const foreign: unknown = runInNewContext("new RangeError('far away')");
    assert.equal(serialize(foreign).name, "RangeError");
  });
});

describe("non-errors", () => {
  const cases: [string, unknown, SerializedError][] = [
    ["string", "a string at /home/alice/x", { name: "NonError", message: "a string at ~/x" }],
    ["null", null, { name: "NonError", message: "null" }],
    ["undefined", undefined, { name: "NonError", message: "undefined" }],
    ["number", 42, { name: "NonError", message: "42" }],
    ["boolean", false, { name: "NonError", message: "false" }],
    ["bigint", 10n, { name: "NonError", message: "10" }],
    ["symbol", Symbol("sym"), { name: "NonError", message: "Symbol(sym)" }],
    ["function", () => "password=source", { name: "NonError", message: "[function]" }],
    [
      "object with message",
      { message: "from an object" },
      { name: "NonError", message: "from an object" },
    ],
    [
      "object",
      { secret: "planted", code: "E1" },
      { name: "NonError", message: "[object]", code: "E1" },
    ],
    ["map", new Map([["token", "planted"]]), { name: "NonError", message: "[object]" }],
  ];
  for (const [label, value, expected] of cases) {
    test(label, () => {
      assert.deepEqual(serialize(value), expected);
    });
  }
});

describe("hostile input", () => {
  test("throwing getters are treated as absent fields", () => {
    const error = new Error("x");
    for (const key of ["stack", "name", "message", "code", "cause", "errors"]) {
      Object.defineProperty(error, key, {
        get() {
          throw new Error("trap");
        },
      });
    }
    assert.deepEqual(serialize(error), { name: "Error", message: "" });
  });

  test("a Proxy that throws on every trap, and a revoked one", () => {
    const hostile = new Proxy(
      {},
      new Proxy(
        {},
        {
          get() {
            return () => {
              throw new Error("trap");
            };
          },
        },
      ),
    );
    assert.deepEqual(serialize(hostile), { name: "NonError", message: "[object]" });
    const { proxy, revoke } = Proxy.revocable(new Error("x"), {});
    revoke();
    assert.deepEqual(serialize(proxy), { name: "NonError", message: "[object]" });
    const error = Object.assign(new Error("x"), { errors: proxy, cause: hostile });
    assert.equal(serialize(error).cause?.message, "[object]");
  });

  test("toString and Symbol.toPrimitive are never called", () => {
    const explode = () => {
      throw new Error("called");
    };
    const value = { toString: explode, [Symbol.toPrimitive]: explode, valueOf: explode };
    assert.deepEqual(serialize(value), { name: "NonError", message: "[object]" });
    assert.equal(serialize(Object.assign(new Error("x"), { name: value })).name, "Error");
  });

  test("a 10 MB message stays fast and bounded", () => {
    const error = new Error(`${"x".repeat(10_000_000)} password=planted`);
    const started = performance.now();
    const result = serialize(error);
    // A guard against runaway work (seconds), not a speed target: `npm run bench` measures.
    assert.ok(performance.now() - started < 2000, "took too long");
    assert.ok(result.message.length <= 1000);
    assert.ok((result.stack?.length ?? 0) <= 2000);
    assert.ok(json(error).length < 8000);
  });

  test("a 10 MB stack keeps its frames", () => {
    const error = new Error("big");
    error.stack = `Error: ${"y ".repeat(5_000_000)}\n    at main (/home/alice/a.ts:1:2)`;
    const stack = serialize(error).stack ?? "";
    assert.ok(stack.endsWith("    at main (~/a.ts:1:2)"), stack.slice(-80));
  });

  test("a stack line is redacted before it is cut", () => {
    const redactEnv = createRedactor({ env: { DB_PASSWORD: "Sunflower Meadow 1987" } });
    for (let pad = 370; pad < 400; pad += 3) {
      const error = new Error(`${"y".repeat(pad)} Sunflower Meadow 1987 tail`);
      error.stack = `Error: ${error.message}\n    at f (/srv/x/${"z".repeat(pad)} Sunflower Meadow 1987.ts:1:1)`;
      const text = JSON.stringify(serializeError(error, redactEnv));
      assert.equal(text.includes("Sunflower"), false, text.slice(-120));
    }
  });

  test("a long message without spaces keeps up to the cap", () => {
    const result = serialize(new Error("m".repeat(5000)));
    assert.equal(
      result.message,
      `${"m".repeat(1000 - TRUNCATION_MARKER.length)}${TRUNCATION_MARKER}`,
    );
    assert.ok(result.stack?.startsWith(`Error: ${"m".repeat(300)}`));
  });

  test("lone surrogates become replacement characters", () => {
    const result = serialize(new Error("bad \uD800 text \uDFFF"));
    assert.equal(result.message, "bad \uFFFD text \uFFFD");
    assert.ok(isWellFormed(JSON.stringify(result)));
  });
});
