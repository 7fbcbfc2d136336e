import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { test, type TestContext } from "node:test";
import { parseFault } from "../src/collector/faults.js";
import { startCollector, type CollectorOptions } from "../src/collector/server.js";
import { collectorCommand } from "../src/cli/commands/collector.js";
import { UsageError } from "../src/cli/command.js";
import { makeTempDir, waitFor } from "./helpers/temp.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/run-collector.js", import.meta.url));

function makeEvent(id: string, event = "app.start") {
  return { id, event, timestamp: "2026-11-26T15:00:00.000Z", properties: { elapsedMs: 1 } };
}

function toNdjson(...events: object[]): string {
  return events.map((event) => JSON.stringify(event) + "\n").join("");
}

async function post(url: string, body: string | Buffer, { gzip = false, method = "POST" } = {}) {
  const headers: Record<string, string> = {
    "content-type": "application/x-ndjson",
    "user-agent": "alchemy-telemetry/9.9.9",
  };
  if (gzip) headers["content-encoding"] = "gzip";
  const payload = gzip ? gzipSync(body) : Buffer.from(body);
  const response = await fetch(url, { method, body: payload, headers });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function start(t: TestContext, options: CollectorOptions = {}) {
  const collector = await startCollector(options);
  t.after(() => collector.close());
  return collector;
}

void test("accepts plain NDJSON, answers the counts and records the request", async (t) => {
  const lines: string[] = [];
  const collector = await start(t, { print: (line) => lines.push(line) });
  assert.match(collector.url, /^http:\/\/127\.0\.0\.1:\d+\/v1\/events$/);
  const body = toNdjson(makeEvent("a"), makeEvent("b", "resource.start"));
  const response = await post(collector.url, body);
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.text), { accepted: 2, duplicates: 0 });
  assert.deepEqual(collector.events, [makeEvent("a"), makeEvent("b", "resource.start")]);
  const [request] = collector.requests;
  assert.equal(collector.requests.length, 1);
  assert.ok(request);
  assert.equal(request.status, 200);
  assert.equal(request.events, 2);
  assert.equal(request.gzip, false);
  assert.equal(request.bytes, Buffer.byteLength(body));
  assert.equal(request.userAgent, "alchemy-telemetry/9.9.9");
  assert.equal(request.contentType, "application/x-ndjson");
  assert.ok(Math.abs(request.at - Date.now()) < 60_000);
  assert.equal(lines.length, 3, "one line for the request, one per event");
  assert.match(lines[0] ?? "", /^POST \/v1\/events 200 .*2 accepted, 0 duplicates$/);
  assert.match(lines[2] ?? "", /^ {2}\+ resource\.start b /);
});

void test("accepts gzip bodies on /v1/events and on /", async (t) => {
  const collector = await start(t);
  const first = await post(collector.url, toNdjson(makeEvent("g1")), { gzip: true });
  const root = collector.url.replace("/v1/events", "/");
  const second = await post(root, toNdjson(makeEvent("g2")), { gzip: true });
  assert.deepEqual([first.status, second.status], [200, 200]);
  assert.deepEqual(
    collector.events.map((event) => event.id),
    ["g1", "g2"],
  );
  const [request] = collector.requests;
  assert.ok(request);
  assert.equal(request.gzip, true);
  assert.equal(request.bytes, gzipSync(toNdjson(makeEvent("g1"))).length);
});

void test("deduplicates by id within a request and across requests", async (t) => {
  const collector = await start(t);
  const first = await post(collector.url, toNdjson(makeEvent("x"), makeEvent("x"), makeEvent("y")));
  assert.deepEqual(JSON.parse(first.text), { accepted: 2, duplicates: 1 });
  const again = await post(collector.url, toNdjson(makeEvent("y"), makeEvent("z")), { gzip: true });
  assert.deepEqual(JSON.parse(again.text), { accepted: 1, duplicates: 1 });
  assert.deepEqual(
    collector.events.map((event) => event.id),
    ["x", "y", "z"],
  );
  assert.equal(collector.duplicates, 2);
  assert.deepEqual(
    collector.requests.map((request) => [request.events, request.duplicates]),
    [
      [2, 1],
      [1, 1],
    ],
  );
});

void test("ignores empty lines and CRLF endings", async (t) => {
  const collector = await start(t);
  const body = `\n\n${JSON.stringify(makeEvent("crlf"))}\r\n   \n`;
  const response = await post(collector.url, body);
  assert.deepEqual(JSON.parse(response.text), { accepted: 1, duplicates: 0 });
  const empty = await post(collector.url, "");
  assert.deepEqual(JSON.parse(empty.text), { accepted: 0, duplicates: 0 });
});

void test("rejects a malformed body with 400 and records none of its events", async (t) => {
  const collector = await start(t);
  const good = JSON.stringify(makeEvent("good"));
  const cases: [string, string | Buffer, RegExp][] = [
    ["not JSON", `${good}\n{"id":`, /line 2: not valid JSON/],
    ["an array", `[1,2]`, /line 1: not a JSON object/],
    ["null", `null`, /not a JSON object/],
    ["no id", JSON.stringify({ event: "app.start" }), /missing string "id"/],
    ["numeric id", JSON.stringify({ id: 7, event: "app.start" }), /missing string "id"/],
    ["no event", JSON.stringify({ id: "q" }), /missing string "event"/],
    ["not UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
  ];
  for (const [what, body, reason] of cases) {
    const response = await post(collector.url, body);
    assert.equal(response.status, 400, what);
    assert.match(response.text, reason, what);
  }
  const badGzip = await fetch(collector.url, {
    method: "POST",
    headers: { "content-encoding": "gzip" },
    body: toNdjson(makeEvent("plain-but-says-gzip")),
  });
  assert.equal(badGzip.status, 400);
  assert.match(await badGzip.text(), /not valid gzip/);
  assert.equal(collector.events.length, 0);
  assert.equal(collector.requests.length, cases.length + 1);
  assert.ok(collector.requests.every((request) => request.status === 400 && request.events === 0));
});

void test("answers 404 for other paths, 405 for other methods, 415 for other encodings", async (t) => {
  const collector = await start(t);
  const base = collector.url.replace("/v1/events", "");
  assert.equal((await post(`${base}/v1/other`, toNdjson(makeEvent("p")))).status, 404);
  const get = await fetch(collector.url);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  await get.text();
  const brotli = await fetch(collector.url, {
    method: "POST",
    headers: { "content-encoding": "br" },
    body: toNdjson(makeEvent("br")),
  });
  assert.equal(brotli.status, 415);
  await brotli.text();
  assert.equal(collector.events.length, 0);
});

void test("answers 413 when the body exceeds maxBodyBytes, compressed or decompressed", async (t) => {
  const collector = await start(t, { maxBodyBytes: 1000 });
  const small = toNdjson(makeEvent("fits"));
  assert.equal((await post(collector.url, small)).status, 200);
  const big = toNdjson(...Array.from({ length: 40 }, (_, index) => makeEvent(`big-${index}`)));
  assert.ok(big.length > 1000);
  assert.equal((await post(collector.url, big)).status, 413);
  // Compresses far below the limit but inflates far above it.
  const bomb = toNdjson(...Array.from({ length: 400 }, () => makeEvent("same")));
  assert.ok(gzipSync(bomb).length < 1000);
  const inflated = await post(collector.url, bomb, { gzip: true });
  assert.equal(inflated.status, 413);
  assert.deepEqual(
    collector.events.map((event) => event.id),
    ["fits"],
  );
});

void test("a status fault answers without recording, Retry-After verbatim, then 2xx resumes", async (t) => {
  const date = "Wed, 21 Oct 2026 07:28:00 GMT";
  const collector = await start(t, {
    faults: [
      { kind: "status", status: 503, retryAfter: date },
      { kind: "status", status: 429 },
    ],
  });
  const body = toNdjson(makeEvent("r1"));
  const first = await post(collector.url, body, { gzip: true });
  assert.equal(first.status, 503);
  assert.equal(first.headers.get("retry-after"), date);
  const second = await post(collector.url, body);
  assert.equal(second.status, 429);
  assert.equal(second.headers.get("retry-after"), null);
  assert.equal(collector.events.length, 0);
  const third = await post(collector.url, body);
  assert.equal(third.status, 200);
  assert.deepEqual(
    collector.requests.map((request) => [request.status, request.events]),
    [
      [503, 0],
      [429, 0],
      [200, 1],
    ],
  );
  assert.equal(collector.requests[0]?.bytes, gzipSync(body).length);
});

// The timeout fails the test if close() waits for the hung socket instead of ending it.
void test(
  "a hang fault never answers, and close() ends the hung request",
  { timeout: 10_000 },
  async (t) => {
    const collector = await start(t, { faults: [{ kind: "hang" }] });
    let settled = false;
    const pending = post(collector.url, toNdjson(makeEvent("h"))).finally(() => {
      settled = true;
    });
    await waitFor(() => collector.requests.length === 1, { what: "the hung request" });
    assert.equal(collector.requests[0]?.status, "hang");
    assert.equal(settled, false, "a hung request must not be answered");
    await collector.close();
    await assert.rejects(pending);
    assert.equal(collector.events.length, 0);
  },
);

void test("a destroy fault drops the connection without an answer", async (t) => {
  const collector = await start(t, { faults: [{ kind: "destroy" }] });
  const body = toNdjson(makeEvent("d"));
  await assert.rejects(post(collector.url, body), TypeError);
  assert.equal(collector.requests[0]?.status, "destroy");
  assert.equal(collector.events.length, 0);
  assert.equal((await post(collector.url, body)).status, 200);
  assert.equal(collector.events.length, 1);
});

void test("a delay fault answers 2xx late and records its events only then", async (t) => {
  const delayMs = 400;
  const collector = await start(t, { faults: [{ kind: "delay", ms: delayMs }] });
  // Whichever of the two arrives first takes the delay; the other is answered at once.
  const send = async (id: string) => {
    const started = performance.now();
    const response = await post(collector.url, toNdjson(makeEvent(id)));
    const seen = collector.events.map((event) => event.id);
    return { id, status: response.status, elapsed: performance.now() - started, seen };
  };
  const results = await Promise.all([send("one"), send("two")]);
  const [fast, slow] = [...results].sort((a, b) => a.elapsed - b.elapsed);
  assert.ok(fast && slow);
  assert.deepEqual([fast.status, slow.status], [200, 200]);
  assert.ok(slow.elapsed >= delayMs - 5, `delayed answer took ${slow.elapsed} ms`);
  assert.deepEqual(fast.seen, [fast.id], "the delayed events are not recorded before the answer");
  assert.deepEqual(
    collector.events.map((event) => event.id),
    [fast.id, slow.id],
  );
});

void test("alwaysFault follows the queue; setFaults and setAlwaysFault change them live", async (t) => {
  const collector = await start(t, {
    faults: [{ kind: "status", status: 502 }],
    alwaysFault: { kind: "status", status: 500 },
  });
  const body = toNdjson(makeEvent("a1"));
  const statuses: number[] = [];
  for (let index = 0; index < 3; index++) statuses.push((await post(collector.url, body)).status);
  assert.deepEqual(statuses, [502, 500, 500]);
  collector.setFaults([{ kind: "status", status: 408 }]);
  assert.equal((await post(collector.url, body)).status, 408);
  assert.equal((await post(collector.url, body)).status, 500);
  collector.setAlwaysFault(undefined);
  assert.equal((await post(collector.url, body)).status, 200);
  collector.setFaults([{ kind: "status", status: 413 }]);
  collector.setFaults([]);
  assert.equal((await post(collector.url, toNdjson(makeEvent("a2")))).status, 200);
  assert.equal(collector.events.length, 2);
});

void test("--out gets each accepted event once, as received, and dedupes against it on restart", async (t) => {
  const out = join(makeTempDir(t), "events.ndjson");
  const lineA = `{"event":"app.start","id":"o1",  "properties":{}}`;
  const lineB = JSON.stringify(makeEvent("o2"));
  const first = await start(t, { out });
  await post(first.url, `${lineA}\n${lineB}\n${lineA}\n`, { gzip: true });
  await post(first.url, `${lineB}\n`);
  assert.equal(readFileSync(out, "utf8"), `${lineA}\n${lineB}\n`);
  await first.close();
  const second = await start(t, { out });
  const response = await post(second.url, toNdjson(makeEvent("o2"), makeEvent("o3")));
  assert.deepEqual(JSON.parse(response.text), { accepted: 1, duplicates: 1 });
  const lines = readFileSync(out, "utf8").trimEnd().split("\n");
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { id: string }).id),
    ["o1", "o2", "o3"],
  );
});

void test("--out that ends mid-line still gets whole lines appended", async (t) => {
  const out = join(makeTempDir(t), "events.ndjson");
  writeFileSync(out, `${JSON.stringify(makeEvent("old"))}\n{"id":"torn`);
  const collector = await start(t, { out });
  await post(collector.url, toNdjson(makeEvent("new")));
  const lines = readFileSync(out, "utf8").split("\n");
  assert.equal(lines.at(-2), JSON.stringify(makeEvent("new")));
  assert.equal(lines.at(-3), `{"id":"torn`);
});

void test("an unwritable --out makes startCollector reject", async (t) => {
  const dir = makeTempDir(t);
  await assert.rejects(startCollector({ out: dir }), { code: "EISDIR" });
});

void test("waitForEvents resolves once enough events arrived and rejects on timeout", async (t) => {
  const collector = await start(t);
  const waiting = collector.waitForEvents(2, 5000);
  await post(collector.url, toNdjson(makeEvent("w1")));
  await post(collector.url, toNdjson(makeEvent("w2")));
  await waiting;
  await collector.waitForEvents(1);
  await assert.rejects(collector.waitForEvents(3, 50), /expected 3 events, got 2/);
});

void test("survives garbage HTTP, a client that leaves mid-body and a throwing print", async (t) => {
  const collector = await start(t, {
    print: () => {
      throw new Error("broken terminal");
    },
  });
  const garbage = await sendRaw(collector.port, "NOT HTTP AT ALL\r\n\r\n", true);
  assert.match(garbage, /^HTTP\/1\.1 400/);
  const head = `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n`;
  await sendRaw(collector.port, `${head}{"id":"partial"`, false);
  const response = await post(collector.url, toNdjson(makeEvent("after")));
  assert.equal(response.status, 200);
  assert.deepEqual(
    collector.events.map((event) => event.id),
    ["after"],
  );
});

/** Writes raw bytes; waits for the answer when `readAnswer`, else hangs up right away. */
function sendRaw(port: number, text: string, readAnswer: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      resolve(answer);
    });
    socket.write(text, () => {
      if (!readAnswer) socket.destroy();
    });
  });
}

void test("parseFault reads the fault spec grammar and refuses anything else", () => {
  const date = "Wed, 21 Oct 2026 07:28:00 GMT";
  assert.deepEqual(parseFault("503"), { kind: "status", status: 503 });
  assert.deepEqual(parseFault("429:retry-after=2"), {
    kind: "status",
    status: 429,
    retryAfter: "2",
  });
  assert.deepEqual(parseFault(`503:Retry-After=${date}`), {
    kind: "status",
    status: 503,
    retryAfter: date,
  });
  assert.deepEqual(parseFault(" HANG "), { kind: "hang" });
  assert.deepEqual(parseFault("destroy"), { kind: "destroy" });
  assert.deepEqual(parseFault("delay=1500"), { kind: "delay", ms: 1500 });
  const bad = ["foo", "", "99", "600", "5030", "503:", "503:retry-after=", "503:retry-after=a\nb"];
  for (const spec of [...bad, "delay=", "delay=-1", "delay=1.5", "delay=99999999999"]) {
    assert.equal(parseFault(spec), undefined, spec);
  }
});

function captureIo() {
  const out = { stdout: "", stderr: "" };
  const io = {
    stdout: (text: string) => void (out.stdout += text),
    stderr: (text: string) => void (out.stderr += text),
    env: {},
    isTty: false,
  };
  return { out, io };
}

void test("the collector command refuses bad flags with a one-line UsageError", async () => {
  const { io } = captureIo();
  const attempts: [string[], RegExp][] = [
    [["--fault", "foo"], /^Expected `--fault` to be a status.*got `foo`$/],
    [["--always", "delay=x"], /^Expected `--always` to be .*got `delay=x`$/],
    [["--port", "70000"], /^Expected `--port` to be an integer from 0 to 65535, got `70000`$/],
    [["--nope"], /nope/],
  ];
  for (const [args, message] of attempts) {
    await assert.rejects(collectorCommand.run(args, io), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
  const help = captureIo();
  assert.equal(await collectorCommand.run(["--help"], help.io), 0);
  assert.match(help.out.stdout, /429:retry-after=2/);
});

void test("the collector command reports a port in use on stderr and returns 1", async (t) => {
  const taken = await start(t);
  const { out, io } = captureIo();
  const code = await collectorCommand.run(["--port", String(taken.port)], io);
  assert.equal(code, 1);
  assert.equal(out.stdout, "");
  assert.match(
    out.stderr,
    /^error: cannot listen on 127\.0\.0\.1:\d+: the port is already in use\n$/,
  );
});

void test("the collector command runs as a process until SIGTERM", async (t) => {
  const file = join(makeTempDir(t), "received.ndjson");
  const args = ["--port", "0", "--out", file, "--print", "--fault", "503:retry-after=7"];
  const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const url = await waitFor(() => /^collector listening on (http:\/\/\S+)\n/.exec(stdout)?.[1], {
    what: `the address on stdout (stderr: ${stderr})`,
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1\/events$/);
  const body = toNdjson(makeEvent("cli-1", "resource.success"));
  const faulted = await post(url, body, { gzip: true });
  assert.deepEqual([faulted.status, faulted.headers.get("retry-after")], [503, "7"]);
  assert.equal((await post(url, body, { gzip: true })).status, 200);
  await waitFor(() => stdout.includes("+ resource.success cli-1"), { what: "the printed event" });
  assert.match(stdout, /POST \/v1\/events 503 \(fault 503:retry-after=7\)/);
  assert.equal(readFileSync(file, "utf8"), body);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.match(stdout, /collector stopped: events accepted: 1, duplicates: 0, requests: 2\n$/);
  assert.equal(stderr, "");
});
