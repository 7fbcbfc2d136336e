import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRedactor } from "../src/event/redact.js";
import { serializeError } from "../src/event/serialize-error.js";
import { CUT_MARGIN, redactCapped, redactionWindow } from "../src/event/text.js";
import {
  ALL_CASES,
  CORPUS_CONTEXT,
  GENERIC_CASES,
  REPO_CASES,
  REPO_CONTEXT,
  REPO_SURVIVE_CASES,
  RESOURCE_NAME_CASES,
  SURVIVE_CASES,
  type PrivacyCase,
} from "./helpers/privacy-corpus.js";

const redact = createRedactor(CORPUS_CONTEXT);
const knowsNothing = createRedactor({});
const inRepo = createRedactor(REPO_CONTEXT);

function assertGone(output: string, { planted, label }: PrivacyCase): void {
  assert.ok(planted.length >= 3, `${label}: planted value too short to test`);
  assert.equal(output.toLowerCase().includes(planted.toLowerCase()), false, `${label}: ${output}`);
}

/** Gone from the text, capped or not, in every carrier; the part to keep is kept. */
function assertRedacted(redactor: (text: string) => string, item: PrivacyCase): void {
  const output = redactor(item.text);
  assertGone(output, item);
  if (item.keep !== undefined) assert.ok(output.includes(item.keep), `${item.label}: ${output}`);
  assertGone(redactCapped(item.text, redactor, 256), item);
  for (const [carrier, value] of carriersOf(item.text)) {
    assertGone(JSON.stringify(serializeError(value, redactor)), { ...item, label: carrier });
  }
}

/** The ways a planted value reaches serializeError: message, cause, member, stack, non-errors. */
function carriersOf(text: string): [string, unknown][] {
  const withStack = new Error("stack carrier");
  withStack.stack = `Error: ${text}\n    at run (${text})\n    at node:internal/main:1:1`;
  return [
    ["message", new Error(text)],
    ["cause", new Error("outer", { cause: new Error(text) })],
    ["deep cause", new Error("a", { cause: new Error("b", { cause: new TypeError(text) }) })],
    ["aggregate member", new AggregateError([new Error("ok"), new Error(text)], "many")],
    ["aggregate message", new AggregateError([], text)],
    ["stack", withStack],
    ["code", Object.assign(new Error("coded"), { code: text })],
    ["thrown string", text],
    ["thrown object", { message: text }],
  ];
}

describe("privacy corpus", () => {
  test("every planted value is really in its text", () => {
    for (const item of [...ALL_CASES, ...REPO_CASES]) {
      assert.ok(item.text.includes(item.planted), item.label);
    }
  });

  for (const item of [...ALL_CASES, ...RESOURCE_NAME_CASES]) {
    test(item.label, () => {
      assertRedacted(redact, item);
    });
  }

  for (const item of REPO_CASES) {
    test(`in a monorepo: ${item.label}`, () => {
      assertRedacted(inRepo, item);
      assert.equal(inRepo(inRepo(item.text)), inRepo(item.text), "idempotent");
    });
  }

  test("generic folders on the way to a monorepo package survive", () => {
    for (const text of [...REPO_SURVIVE_CASES, ...SURVIVE_CASES]) assert.equal(inRepo(text), text);
  });

  test("formats and other users' homes are redacted without knowing the machine", () => {
    for (const item of GENERIC_CASES) assertGone(knowsNothing(item.text), item);
    assert.equal(knowsNothing("/home/quillzoe/a.ts:1:2"), "~/a.ts:1:2");
  });

  test("as resource names", () => {
    for (const item of RESOURCE_NAME_CASES) {
      assertGone(redactCapped(item.text, redact, 256), item);
      if (item.keep !== undefined) assert.ok(redact(item.text).includes(item.keep), item.label);
    }
  });

  test("redaction is idempotent over the corpus", () => {
    for (const item of ALL_CASES) {
      const once = redact(item.text);
      assert.equal(redact(once), once, item.label);
    }
  });

  test("texts that only look secret survive unchanged", () => {
    for (const text of SURVIVE_CASES) {
      assert.equal(redact(text), text);
      assert.equal(redactCapped(text, redact, 256), text);
      assert.equal(serializeError(new Error(text), redact).message, text);
    }
  });

  test("a value cut at either redaction window does not leak its head", () => {
    // A private key block shrinks to one label, so whatever follows it reaches the output.
    const block = (length: number) =>
      `-----BEGIN PRIVATE KEY-----\n${"A".repeat(length - 54)}\n-----END PRIVATE KEY-----`;
    const window = redactionWindow(100);
    for (const item of GENERIC_CASES) {
      const start = item.text.indexOf(item.planted);
      for (const edge of [window, window - CUT_MARGIN]) {
        for (const cut of [4, 8, 12]) {
          const head = item.planted.slice(0, Math.max(cut, 3));
          const text = `${block(edge - cut - start - 1)} ${item.text} ${"tail ".repeat(400)}`;
          assert.equal(text.indexOf(item.planted), edge - cut);
          const output = redactCapped(text, redact, 100);
          assert.equal(output.includes(head), false, `${item.label} at ${edge}: ${output}`);
        }
      }
    }
  });
});
