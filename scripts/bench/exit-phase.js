// The host section's "after the last line" table, from runs of exit-probe.js apart from the
// timed rounds: how many young-generation bytes each step of the host path allocates, whether
// V8 collected that generation before the host's last line or at exit, and how long the
// process takes from that line to 'exit'.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseEnv } from "./paths.js";
import { timedRun } from "./proc.js";
import { median } from "./stats.js";
import { quiesceUploaders } from "./uploaders.js";

const STEPS = ["import", "createTelemetry()", "52 track()", "shutdown()"];

/**
 * `healthyUrl` is the collector's: the variant that starts an uploader sends to it. `app` holds
 * exit-probe.js beside the package installed as a host has it (installed-host.js).
 */
export async function measureExitPhase({ temp, cwd, app, healthyUrl, runs }) {
  const variants = [
    { name: "no package", mode: "none", env: {} },
    { name: "opted out", mode: "package", env: { ALCHEMY_TELEMETRY_DISABLED: "1" } },
    { name: "with package, no uploader due", mode: "package", env: {}, backOff: true },
    { name: "with package, starting one", mode: "package", env: {} },
    // The floor (host-overhead.js): which of the package's costs any such host pays as well.
    { name: "minimal host", mode: "minimal", env: {} },
  ].map((variant) => ({
    ...variant,
    dir: temp.dir("exit-phase"),
    samples: { timing: [], gc: [], alloc: [] },
    problems: [],
  }));
  // Round 0 makes the id, round 1 the code cache, as the first two runs after an install do.
  for (let round = 0; round <= runs + 1; round++) {
    for (const variant of variants) {
      // A backoff far ahead: this host has events to send but starts no uploader.
      if (variant.backOff) writeFileSync(join(variant.dir, "state.json"), '{"nextAttemptAt":1e15}');
      const env = baseEnv({
        // The minimal host has no ALCHEMY_TELEMETRY_DIR: its directory is under this one too.
        ...(variant.mode === "minimal" ? { XDG_CONFIG_HOME: variant.dir } : {}),
        ALCHEMY_TELEMETRY_DIR: variant.dir,
        ALCHEMY_TELEMETRY_URL: healthyUrl,
        ...variant.env,
      });
      for (const mode of MODES) {
        const flags =
          mode === "alloc"
            ? [
                `--min-semi-space-size=${HUGE_SEMI_SPACE_MB}`,
                `--max-semi-space-size=${HUGE_SEMI_SPACE_MB}`,
              ]
            : [];
        const args = [...flags, app.script("exit-probe.js"), variant.mode, mode];
        const result = await timedRun(process.execPath, args, { env, cwd, stdout: "pipe" });
        if (round > 1) record(variant, mode, result);
        await quiesceUploaders(temp.root, { timeoutMs: 10_000 });
      }
    }
  }
  return variants.map(summarizeVariant);
}

const MODES = ["timing", "gc", "alloc"];

/** MB: far more than a host run allocates, so that the young generation is never collected. */
const HUGE_SEMI_SPACE_MB = 64;

function record(variant, mode, result) {
  let sample;
  try {
    sample = JSON.parse(result.stdout);
  } catch {
    variant.problems.push(`exit ${result.code ?? result.signal}: ${result.stderr.slice(0, 200)}`);
    return;
  }
  if (sample.collectedInAllocRun)
    variant.problems.push("a collection in an allocation run: left out");
  else variant.samples[mode].push(sample);
}

function summarizeVariant({ name, mode, samples, problems }) {
  const allocated = {};
  for (const step of mode === "none" ? STEPS.slice(2, 3) : STEPS) {
    allocated[step] = median(samples.alloc.map((sample) => sample.allocatedKB[step]));
  }
  const { timing, gc } = samples;
  return {
    variant: name,
    runs: timing.length,
    allocatedKB: allocated,
    collectedBeforeEnd: gc.filter((sample) => sample.collectedBeforeEnd > 0).length,
    collectedAtExit: gc.filter((sample) => sample.collectedAtExit > 0).length,
    collectionMs: median(gc.map((sample) => sample.collectionMs)),
    lastLineToExitMs: median(timing.map((sample) => sample.lastLineToExitMs)),
    problems: problems.slice(0, 5),
  };
}
