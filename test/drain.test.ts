import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { gunzipSync } from "node:zlib";
import type { PostInit, PostResponse } from "../src/transport/http-post.js";
import { drainSpool } from "../src/uploader/drain.js";
import { makeEvent, makeSpool } from "./helpers/spool.js";
import { makeTempDir, waitFor } from "./helpers/temp.js";

const OK: PostResponse = { status: 200, headers: { get: () => null } };
const KEY = "0123456789abcdef";

/** A full first batch (500 events), then 20 events whose local project the drain must resolve. */
function spoolOfTwoBatches(t: TestContext) {
  const first = Array.from({ length: 500 }, () => makeEvent());
  const second = Array.from({ length: 20 }, () => makeEvent({ projectId: `local:${KEY}` }));
  const dir = join(makeTempDir(t), "telemetry");
  const files = makeSpool(
    dir,
    [...first, ...second].map((event) => JSON.stringify(event)),
  );
  const ids = [...first, ...second].map((event) => event.id as string);
  return { dir, files, ids };
}

/** A port that holds each POST until the test lets it go, and counts how many are open at once. */
function heldEndpoint() {
  const bodies: string[][] = [];
  const releases: ((response: PostResponse) => void)[] = [];
  let open = 0;
  let mostOpen = 0;
  let answerAll: PostResponse | undefined;
  const fetch = (_url: string, init: PostInit) => {
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    const text = gunzipSync(init.body).toString("utf8");
    bodies.push(text.trim().split("\n"));
    return new Promise<PostResponse>((resolve) => {
      const release = (response: PostResponse) => {
        open -= 1;
        resolve(response);
      };
      if (answerAll) release(answerAll);
      else releases.push(release);
    });
  };
  /** Answers the held POSTs and every later one with `response`. */
  const answerEvery = (response: PostResponse) => {
    answerAll = response;
    for (const release of releases.splice(0)) release(response);
  };
  return { fetch, bodies, releases, answerEvery, mostOpen: () => mostOpen };
}

function options(files: ReturnType<typeof makeSpool>, fetch: ReturnType<typeof heldEndpoint>) {
  const resolved: string[] = [];
  return {
    resolved,
    drain: {
      files,
      endpoint: "http://127.0.0.1:9/v1/events",
      userAgent: "test",
      deadline: Date.now() + 60_000,
      fetch: fetch.fetch,
      resolveProject: (key: string) => {
        resolved.push(key);
        return Promise.resolve("a".repeat(64));
      },
    },
  };
}

test("the next batch is read and prepared while one is on the wire, and sent only after it", async (t) => {
  const { files, ids, dir } = spoolOfTwoBatches(t);
  const endpoint = heldEndpoint();
  const { drain, resolved } = options(files, endpoint);
  const running = drainSpool(drain);

  await waitFor(() => endpoint.bodies.length === 1, { what: "the first POST", intervalMs: 1 });
  // Each line of the second batch names a local project: resolving it means it was prepared.
  // (The first of them is read before the first POST: it is what tells the first batch full.)
  await waitFor(() => resolved.length === 20, {
    what: "the second batch to be prepared",
    intervalMs: 1,
  });
  assert.equal(endpoint.bodies.length, 1, "no second POST before the first is answered");
  endpoint.releases[0]?.(OK);
  await waitFor(() => endpoint.bodies.length === 2, { what: "the second POST", intervalMs: 1 });
  endpoint.releases[1]?.(OK);

  const result = await running;
  assert.equal(result.outcome, "drained");
  assert.equal(result.sent, 520);
  assert.equal(endpoint.mostOpen(), 1);
  const sent = endpoint.bodies.flat().map((line) => JSON.parse(line) as { id: string });
  assert.deepEqual(
    sent.map((event) => event.id),
    ids,
  );
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith("claimed-")),
    [],
    "the file is removed once both batches are sent",
  );
});

test("a batch that cannot be delivered stops the drain: the one prepared behind it is not sent", async (t) => {
  const { files, dir } = spoolOfTwoBatches(t);
  const endpoint = heldEndpoint();
  const { drain, resolved } = options(files, endpoint);
  const running = drainSpool({ ...drain, sleep: () => Promise.resolve(), random: () => 0 });

  await waitFor(() => resolved.length === 20, {
    what: "the second batch to be prepared",
    intervalMs: 1,
  });
  // Every attempt of the first batch fails with a retryable status until the run gives up.
  endpoint.answerEvery({ status: 503, headers: { get: () => null } });
  const result = await running;
  assert.equal(result.outcome, "deferred");
  assert.equal(result.sent, 0);
  assert.ok(
    endpoint.bodies.every((lines) => lines.length === 500),
    "only the first batch was ever posted",
  );
  const claimed = readdirSync(dir).filter((name) => name.startsWith("claimed-"));
  assert.equal(claimed.length, 1, "the whole file stays for a later run");
});
