// Child process (run with --expose-gc) for the track() section. Argument: a scratch directory.
// Prints JSON. Removes its telemetry directories before exiting, so that nothing is pending
// and the exit-time shutdown spawns no uploader.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTelemetry } from "alchemy-telemetry";
import { RESOURCES } from "./cli-work.js";

const scratch = process.argv[2];
const dirs = [];
const now = () => process.hrtime.bigint();

function instance() {
  const dir = join(scratch, `t${dirs.length}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  dirs.push(dir);
  const env = { ...process.env, ALCHEMY_TELEMETRY_DIR: dir };
  return { dir, telemetry: createTelemetry({ version: "0.77.0", phase: "up", env }) };
}

/** The i-th event of the host workload's mix: resource.start / resource.success. */
function trackNth(telemetry, i) {
  const { name, type } = RESOURCES[i % RESOURCES.length];
  if (i % 2 === 0) telemetry.track("resource.start", { resource: { name, type } });
  else
    telemetry.track("resource.success", {
      resource: { name, type, status: "created" },
      elapsedMs: i % 997,
    });
}

const lineCount = (dir) => {
  try {
    return readFileSync(join(dir, "spool.ndjson"), "latin1").split("\n").length - 1;
  } catch {
    return 0;
  }
};

/** Times `count` calls one by one; a fresh instance (and directory) every `freshEvery` calls. */
function timedCalls(count, freshEvery) {
  const times = new Float64Array(count);
  const sessions = [];
  let current;
  for (let i = 0; i < count; i++) {
    if (freshEvery && i % freshEvery === 0) {
      current = instance();
      const started = now();
      trackNth(current.telemetry, i); // The session opens on the first event: timed apart.
      sessions.push(Number(now() - started) / 1000);
    }
    const started = now();
    trackNth(current.telemetry, i);
    times[i] = Number(now() - started) / 1000;
  }
  return { times: Array.from(times), sessions };
}

function memory() {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
}

function loopWithMemory(count, freshEvery) {
  global.gc();
  const before = memory();
  let current = instance();
  const used = [current.dir];
  const started = now();
  for (let i = 0; i < count; i++) {
    if (freshEvery && i > 0 && i % freshEvery === 0) used.push((current = instance()).dir);
    trackNth(current.telemetry, i);
  }
  const perCallUs = Number(now() - started) / 1000 / count;
  const after = memory();
  global.gc();
  const afterGc = memory();
  const appended = used.reduce((sum, dir) => sum + lineCount(dir), 0);
  return { count, perCallUs, before, after, afterGc, appended, dropped: count - appended };
}

// Warm-up: 1,000 calls in a first instance.
const warm = instance();
for (let i = 0; i < 1000; i++) trackNth(warm.telemetry, i);

const belowCap = timedCalls(20_000, 10_000);
// At the cap: fill one spool until events are dropped, then time 20,000 more.
const full = instance();
for (let i = 0; i < 25_000; i++) trackNth(full.telemetry, i); // 25k × ~500 B > 10 MiB
const filledLines = lineCount(full.dir);
const atCap = { times: [], sessions: [] };
for (let i = 0; i < 20_000; i++) {
  const started = now();
  trackNth(full.telemetry, i);
  atCap.times.push(Number(now() - started) / 1000);
}
const loopOneDir = loopWithMemory(100_000, 0);
const loopFresh = loopWithMemory(100_000, 10_000);

for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({ belowCap, atCap: { ...atCap, filledLines }, loopOneDir, loopFresh }),
);
