// Child process for the host section's "after the last line" table: the same work as the
// bench CLIs (cli-work.js), with the package (`package`), with the floor it is measured beside
// (`minimal`, minimal-host/), or with neither (`none`), in one of three modes, each as close to
// the bench CLI as its measurement allows. Prints JSON at exit.
//   timing  only the time from the host's last line to process 'exit'.
//   gc      the young-generation collections V8 ran, and whether before the last line or after
//           it (a PerformanceObserver, whose internals cli-work.js's performance.now() has
//           loaded already). V8 collects that generation when it is full or, once it is
//           mostly full, in a task that runs before the process exits: the one part of a
//           host's exit that telemetry can cause.
//   alloc   the young generation's bytes in use after each step, less what reading them costs,
//           run with a young generation too large to fill (--min/max-semi-space-size), so that
//           nothing is collected and the differences are what each step allocated. Under
//           those flags V8 refuses the other modes' code cache; these runs keep their own (one
//           per set of Node flags, src/code-cache/cache-name.ts), made by the first of them.
import { runWork } from "./cli-work.js";

// Not `import … from "node:fs"`, which the bench's CLIs never do: its ES module facade reads
// every lazy export (26 KB more of the young generation at the start), and with it the minimal
// host's runs here collected at exit in 4 of 4 traced runs, its own CLI's in none.
const { writeSync } = process.getBuiltinModule("node:fs");

const [variant, mode] = process.argv.slice(2);
const collections = [];
// Each module only in the mode that needs it, and without its ES module facade.
const perf = mode === "gc" ? process.getBuiltinModule("node:perf_hooks") : undefined;
const observer = perf && new perf.PerformanceObserver((list) => collect(list.getEntries()));
observer?.observe({ entryTypes: ["gc"] });
function collect(entries) {
  for (const entry of entries) {
    if (entry.detail?.kind === perf?.constants.NODE_PERFORMANCE_GC_MINOR) collections.push(entry);
  }
}

const v8 = mode === "alloc" ? process.getBuiltinModule("node:v8") : undefined;
const young = () => v8?.getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
const allocatedKB = {};
let collectedInAllocRun = false;
let before = young();
// What a mark allocates itself (reading the statistics), taken off every step.
const ownBytes = mode === "alloc" ? young().space_used_size - before.space_used_size : 0;
before = young();
const mark = (step) => {
  if (mode !== "alloc") return;
  const now = young();
  if (now.space_used_size < before.space_used_size || now.space_size !== before.space_size) {
    collectedInAllocRun = true; // Then the differences mean nothing: reported as a problem.
  }
  allocatedKB[step] = (now.space_used_size - before.space_used_size - ownBytes) / 1024;
  before = young();
};

let track = () => undefined;
let shutdown = () => undefined;
if (variant === "package" || variant === "minimal") {
  const { createTelemetry } = await import(
    variant === "package" ? "alchemy-telemetry" : "minimal-host"
  );
  mark("import");
  const telemetry = createTelemetry({ version: "0.77.0", phase: "up" });
  mark("createTelemetry()");
  track = (name, properties) => telemetry.track(name, properties);
  shutdown = () => telemetry.shutdown();
}
runWork(track);
mark("52 track()");
shutdown();
mark("shutdown()");
const lastLine = process.hrtime.bigint();
const lastLineAt = performance.now();
// Registered after the package's own exit listener, so the time includes it.
process.on("exit", () => {
  const lastLineToExitMs = Number(process.hrtime.bigint() - lastLine) / 1e6;
  if (observer) collect(observer.takeRecords()); // Collections not yet delivered.
  const after = collections.filter((entry) => entry.startTime >= lastLineAt);
  const result = {
    allocatedKB,
    collectedInAllocRun,
    lastLineToExitMs,
    collectedBeforeEnd: collections.length - after.length,
    collectedAtExit: after.length,
    collectionMs: collections.reduce((sum, entry) => sum + entry.duration, 0),
  };
  writeSync(1, JSON.stringify(result));
});
