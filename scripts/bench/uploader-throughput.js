// SPEC §7 uploader: a 20,000-event spool and a spool at the 10 MiB cap, drained to a loopback
// collector by the real uploader entry as a child process. Wall time spawn→exit; peak RSS from
// /usr/bin/time (%M, the child's maximum resident set) or, without it, VmHWM polled every ms.
import { existsSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { join } from "node:path";
import { startCollector } from "./endpoints.js";
import { baseEnv, script, UPLOADER_ENTRY } from "./paths.js";
import { timedRun } from "./proc.js";
import { summarize, verdict } from "./stats.js";

const CAP = 10 * 1024 * 1024;
const TIME = process.env.BENCH_NO_TIME ? "/nonexistent" : "/usr/bin/time";

/** Real event lines, from the package's own debug output (run outside any repository). */
async function generateLines(temp, count) {
  const dir = temp.dir("lines");
  const file = join(dir, "stderr.txt");
  const fd = openSync(file, "w");
  const { spawn } = await import("node:child_process");
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script("debug-lines.js"), String(count)], {
      cwd: dir,
      env: baseEnv({ ALCHEMY_TELEMETRY_DEBUG: "1", ALCHEMY_TELEMETRY_DIR: join(dir, "t") }),
      stdio: ["ignore", "ignore", fd],
    });
    child.once("error", reject);
    child.once("exit", resolve);
  });
  closeSync(fd);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"));
}

function spoolOf(lines, { events, maxBytes }) {
  const chosen = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (chosen.length >= events || bytes + size > maxBytes) break;
    chosen.push(line);
    bytes += size;
  }
  return { text: chosen.join("\n") + "\n", events: chosen.length, bytes };
}

async function drainOnce(temp, spool) {
  const collector = await startCollector();
  const dir = temp.dir("upload");
  try {
    writeFileSync(join(dir, "spool.ndjson"), spool.text, { mode: 0o600 });
    const rssFile = join(dir, "..", `${dir.split("/").at(-1)}-rss.txt`);
    const useTime = existsSync(TIME);
    const command = useTime ? TIME : process.execPath;
    const args = useTime
      ? ["-f", "%M", "-o", rssFile, process.execPath, UPLOADER_ENTRY]
      : [UPLOADER_ENTRY];
    const env = baseEnv({ ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
    const poller = useTime ? undefined : pollPeakRss();
    const options = { env, cwd: dir, timeoutMs: 90_000, onSpawn: poller?.watch };
    const result = await timedRun(command, args, options);
    const peakRssMb = useTime
      ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) / 1024
      : poller.stop() / 1024;
    const requests = collector.requests;
    return {
      ms: result.ms,
      peakRssMb,
      code: result.code,
      received: collector.events.length,
      requests: requests.length,
      wireBytes: requests.reduce((sum, request) => sum + request.bytes, 0),
      gzip: requests.every((request) => request.gzip),
      leftover: existsSync(join(dir, "spool.ndjson")),
    };
  } finally {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Without /usr/bin/time: the highest VmHWM seen while polling the child every millisecond. */
function pollPeakRss() {
  let peakKb = 0;
  let timer;
  return {
    watch(child) {
      timer = setInterval(() => {
        try {
          const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
          if (match) peakKb = Math.max(peakKb, Number(match[1]));
        } catch {
          // Gone: the last value seen stands.
        }
      }, 1);
    },
    stop() {
      clearInterval(timer);
      return peakKb;
    },
  };
}

export async function measureUploader({ temp, runs, log }) {
  const lines = await generateLines(temp, 25_000);
  const cases = [
    // Small spools for context (no budget): the uploader's floor, and how memory scales.
    { name: "1 event (context)", spool: spoolOf(lines, { events: 1, maxBytes: Infinity }) },
    { name: "1,000 events (context)", spool: spoolOf(lines, { events: 1000, maxBytes: Infinity }) },
    { name: "20,000 events", spool: spoolOf(lines, { events: 20_000, maxBytes: Infinity }) },
    { name: "10 MiB (at the cap)", spool: spoolOf(lines, { events: Infinity, maxBytes: CAP }) },
  ];
  const samples = new Map(cases.map((c) => [c, []]));
  for (let round = 0; round < runs; round++) {
    for (const c of round % 2 ? [...cases].reverse() : cases)
      samples.get(c).push(await drainOnce(temp, c.spool));
  }
  log("  uploader: done");
  const rows = cases.map((c) => {
    const list = samples.get(c);
    const last = list.at(-1);
    return {
      case: c.name,
      events: c.spool.events,
      spoolBytes: c.spool.bytes,
      lineBytes: Math.round(c.spool.bytes / c.spool.events),
      wall: summarize(list.map((s) => s.ms)),
      peakRss: summarize(list.map((s) => s.peakRssMb)),
      allDelivered: list.every((s) => s.received === c.spool.events && s.code === 0 && !s.leftover),
      received: list.map((s) => s.received),
      requests: last.requests,
      wireBytesGzip: last.wireBytes,
      gzip: last.gzip,
      // Without gzip the bodies are the same lines, sent unchanged: exactly the spool's bytes.
      wireBytesPlain: c.spool.bytes,
    };
  });
  const budgets = rows
    .filter((row) => !row.case.includes("context"))
    .flatMap((row) => [
      verdict(`uploader wall, ${row.case}`, row.wall.median, 1000, "ms"),
      verdict(`uploader peak RSS, ${row.case}`, row.peakRss.median, 80, "MB"),
    ]);
  const peakRssMethod = existsSync(TIME)
    ? "/usr/bin/time -f %M (wall then includes time's own fork/exec, under 1 ms)"
    : "VmHWM of /proc/<pid>/status polled every ms";
  return { rows, budgets, peakRssMethod };
}
