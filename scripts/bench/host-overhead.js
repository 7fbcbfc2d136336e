// SPEC §7 host overhead: the CLI with the package vs. without it vs. opted out, on a healthy,
// hung and refusing endpoint. Whole-process wall time, spawn to 'exit', interleaved rounds.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { startEndpoints } from "./endpoints.js";
import { measureExitPhase } from "./exit-phase.js";
import { installHostApp } from "./installed-host.js";
import { baseEnv } from "./paths.js";
import { timedRun } from "./proc.js";
import { median, percentile, seededRandom, shuffled, summarize, verdict } from "./stats.js";
import { listUploaders, quiesceUploaders } from "./uploaders.js";

const SPAWN_ONLY = "no package + spawn";
const MINIMAL_HOST = "minimal host";
const VARIANTS = [
  { name: "no package", script: "cli-without-telemetry.js", env: {} },
  { name: "opted out", script: "cli-with-telemetry.js", env: { ALCHEMY_TELEMETRY_DISABLED: "1" } },
  { name: "with package", script: "cli-with-telemetry.js", env: {} },
  // The fork's own cost, beside the healthy row, the one that starts an uploader on every run.
  {
    name: SPAWN_ONLY,
    script: "cli-spawn-only.js",
    env: {},
    endpoints: ["healthy"],
    about:
      "the CLI without the package starting one detached shell, as the package starts its uploader",
  },
  {
    name: MINIMAL_HOST,
    script: "cli-minimal-host.js",
    env: {},
    endpoints: ["healthy"],
    about:
      "the floor: the workload recorded by the least such a package can do, scripts/bench/minimal-host",
  },
];

/** A small git repository to run the hosts in, as a real project would be. */
export function createProject(temp) {
  const dir = temp.dir("project");
  try {
    const git = (...args) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    git(
      "-c",
      "user.name=bench",
      "-c",
      "user.email=bench@example.invalid",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "init",
    );
  } catch {
    // Without git the hosts simply run outside a repository.
  }
  return dir;
}

/**
 * A host with its own home: it finds its telemetry directory where a user's host does, in
 * env-paths' config directory, not through ALCHEMY_TELEMETRY_DIR (which spares it that lookup).
 */
function homeEnv(home, extra) {
  const env = baseEnv({ HOME: home, ...extra });
  delete env.XDG_CONFIG_HOME;
  return env;
}

/** The telemetry directory of a host whose HOME is `home` (no XDG_CONFIG_HOME). */
function defaultTelemetryDir(home) {
  return process.platform === "darwin"
    ? join(home, "Library", "Preferences", "alchemy", "telemetry")
    : join(home, ".config", "alchemy", "telemetry");
}

export async function measureHostOverhead({ temp, runs, probeRuns = runs, log }) {
  const endpoints = await startEndpoints();
  const cwd = createProject(temp);
  const app = installHostApp(temp);
  const cells = [];
  for (const endpoint of endpoints.cases) {
    for (const variant of VARIANTS) {
      if (variant.endpoints && !variant.endpoints.includes(endpoint.name)) continue;
      const home = temp.dir(`host-${endpoint.name}-${variant.name.replace(/ /g, "-")}`);
      const dir = defaultTelemetryDir(home);
      const env = homeEnv(home, { ALCHEMY_TELEMETRY_URL: endpoint.url, ...variant.env });
      cells.push({
        endpoint,
        variant,
        dir,
        env,
        first: undefined,
        samples: [],
        spawns: 0,
        spoolResets: 0,
        problems: [],
      });
    }
  }
  const random = seededRandom(7);
  try {
    for (let round = 0; round <= runs; round++) {
      // Round 0 is every variant's first run (the id is created then); it is reported apart.
      for (const cell of round === 0 ? cells : shuffled(cells, random)) {
        await runCell(cell, { round, cwd, app, root: temp.root });
      }
      // The run after the first writes the code cache (the first makes the id): not timed.
      if (round === 0)
        for (const cell of cells) await runCell(cell, { round: -1, cwd, app, root: temp.root });
      if (round % 10 === 0) log(`  host overhead: round ${round}/${runs}`);
    }
    const result = report(cells); // Before the probes below add events to the collector.
    const healthyUrl = endpoints.cases.find((endpoint) => endpoint.name === "healthy").url;
    result.exitPhase = await measureExitPhase({ temp, cwd, app, healthyUrl, runs: probeRuns });
    log("  host overhead: after-the-last-line probes done");
    return result;
  } finally {
    await endpoints.close();
  }
}

async function runCell(cell, { round, cwd, app, root }) {
  const before = new Set(listUploaders(root).map(({ pid }) => pid));
  const result = await timedRun(process.execPath, [app.script(cell.variant.script)], {
    env: cell.env,
    cwd,
  });
  const spawned = listUploaders(root).filter(
    ({ pid, dir }) => dir === cell.dir && !before.has(pid),
  );
  cell.spawns += spawned.length;
  if (result.code !== 0) cell.problems.push(`exit ${result.code ?? result.signal}`);
  if (result.stderr && round !== 0) cell.problems.push(`stderr: ${result.stderr.slice(0, 200)}`);
  if (round === 0)
    cell.first = { ms: result.ms, printedNotice: result.stderr.includes("telemetry") };
  else if (round > 0) cell.samples.push(result.ms);
  // The next timed run must not share the CPU with this run's uploader.
  await quiesceUploaders(root, { timeoutMs: 10_000 });
  if (resetFullingSpool(cell.dir)) cell.spoolResets += 1;
}

/**
 * Half the spool's cap (10 MiB). A hung or refusing endpoint never drains the spool, so a run of
 * 200 rounds or more would fill it, and the hosts after that would time the cheaper path that
 * drops every event. Emptied between runs, untimed, once it passes this size.
 */
const SPOOL_RESET_BYTES = 5 * 1024 * 1024;

function resetFullingSpool(dir) {
  const spool = join(dir, "spool.ndjson");
  try {
    if (statSync(spool).size < SPOOL_RESET_BYTES) return false;
    truncateSync(spool, 0);
    return true;
  } catch {
    return false; // No spool yet (opted out, or claimed this moment): nothing to keep small.
  }
}

function report(cells) {
  const rows = [];
  const budgets = [];
  for (const cell of cells) {
    const stats = summarize(cell.samples);
    const samplesOf = (name) =>
      cells.find((c) => c.endpoint === cell.endpoint && c.variant.name === name).samples;
    const base = (name) => summarize(samplesOf(name));
    // Every round runs each cell once: a difference within a round leaves out the machine's
    // slower stretches, which a difference of medians over the whole run does not.
    const paired = (name) => median(cell.samples.map((ms, round) => ms - samplesOf(name)[round]));
    const row = {
      endpoint: cell.endpoint.name,
      variant: cell.variant.name,
      about: cell.variant.about,
      ...stats,
      firstRunMs: cell.first?.ms,
      firstRunNotice: cell.first?.printedNotice ?? false,
      uploadersSpawned: cell.spawns,
      spoolResets: cell.spoolResets,
      dir: describeDir(cell.dir),
      received:
        cell.endpoint.collector && cell.variant.name === "with package"
          ? cell.endpoint.collector.events.length
          : undefined,
      problems: cell.problems.slice(0, 5),
      samples: cell.samples.map((ms) => Number(ms.toFixed(3))),
    };
    if (cell.variant.name === SPAWN_ONLY || cell.variant.name === MINIMAL_HOST) {
      row.overNoPackageMs = stats.median - base("no package").median;
      row.overNoPackageMinMs = stats.min - base("no package").min;
      row.overNoPackagePairedMs = paired("no package");
    }
    if (cell.variant.name === "with package") {
      const none = base("no package");
      const out = base("opted out");
      row.overNoPackageMs = stats.median - none.median;
      row.overOptedOutMs = stats.median - out.median;
      row.overNoPackageMinMs = stats.min - none.min;
      row.overOptedOutMinMs = stats.min - out.min;
      row.overNoPackagePairedMs = paired("no package");
      row.overOptedOutPairedMs = paired("opted out");
      // What the package's own work costs above the floor, where the floor ran (healthy).
      if (cells.some((c) => c.endpoint === cell.endpoint && c.variant.name === MINIMAL_HOST)) {
        row.overMinimalHostMs = stats.median - base(MINIMAL_HOST).median;
        row.overMinimalHostPairedMs = paired(MINIMAL_HOST);
      }
      budgets.push(
        verdict(
          `host overhead vs no package, ${cell.endpoint.name}`,
          row.overNoPackageMs,
          12,
          "ms",
        ),
      );
      budgets.push(
        verdict(`host overhead vs opted out, ${cell.endpoint.name}`, row.overOptedOutMs, 5, "ms"),
      );
    }
    rows.push(row);
  }
  const resolution = resolutionOf(cells);
  for (const budget of budgets) budget.resolutionMs = resolution.ms;
  return { rows, budgets, noise: noiseOf(cells), resolution };
}

/**
 * How far apart this run put the medians of one program: the CLI without the package, and the
 * one opted out, each run in three cells that differ only by the endpoint's URL, which neither
 * reads. A difference of medians is as uncertain as that: a Δ closer to its budget than this
 * is not told apart from it in this run.
 */
function resolutionOf(cells) {
  const spreadOf = (name) => {
    const medians = cells
      .filter((cell) => cell.variant.name === name)
      .map((cell) => median(cell.samples));
    return { medians, ms: Math.max(...medians) - Math.min(...medians) };
  };
  const noPackage = spreadOf("no package");
  const optedOut = spreadOf("opted out");
  return { ms: Math.max(noPackage.ms, optedOut.ms), noPackage, optedOut };
}

/**
 * How much this machine moved the runs: the spread of the CLI without the package, which does
 * the same work every time. On a quiet machine its middle half spans a few ms; on a noisy one,
 * single medians move by more than the budgets' margins, and the minimums and paired figures
 * say more.
 */
function noiseOf(cells) {
  const samples = cells
    .filter((cell) => cell.variant.name === "no package")
    .flatMap((c) => c.samples);
  return { p25: percentile(samples, 25), p75: percentile(samples, 75), min: Math.min(...samples) };
}

/** What a run left in the telemetry directory: spool size, claimed batches, last upload. */
function describeDir(dir) {
  if (!existsSync(dir)) return { exists: false };
  const names = readdirSync(dir);
  const size = (name) => (names.includes(name) ? statSync(join(dir, name)).size : 0);
  let lastRun;
  try {
    lastRun = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")).lastRun?.outcome;
  } catch {
    lastRun = undefined;
  }
  return {
    exists: true,
    files: names.length,
    spoolBytes: size("spool.ndjson"),
    claimed: names.filter((name) => name.startsWith("claimed-")).length,
    lastUpload: lastRun,
  };
}
