// Import cost of the package entry: in total (fresh process with the import vs. without,
// interleaved), per module (leaves-first import() timing in fresh processes), the host-path
// steps, and the check of which modules a tracking host loads.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startCollector } from "./endpoints.js";
import { checkHostModules, moduleLabel, topologicalOrder, traceModules } from "./module-check.js";
import { baseEnv, ENTRY, script } from "./paths.js";
import { timedRun } from "./proc.js";
import { median, seededRandom, summarize } from "./stats.js";
import { quiesceUploaders } from "./uploaders.js";
import { writeSkeleton } from "./skeleton.js";

export async function measureImportCost({ temp, runs, breakdownRuns, cwd, log }) {
  const collector = await startCollector();
  try {
    const env = (dir) =>
      baseEnv({ ALCHEMY_TELEMETRY_DIR: dir, ALCHEMY_TELEMETRY_URL: collector.url });
    const outFile = join(temp.root, "trace.ndjson");
    const traced = await traceModules([script("import-probe.js"), "index"], {
      env: env(temp.dir("trace")),
      cwd,
      outFile,
    });
    const order = topologicalOrder(traced.edges, pathToFileURL(ENTRY).href);

    const files = order.filter((url) => url.startsWith("file:")).length;
    const skeleton = writeSkeleton(temp.dir("skeleton"), order);
    // One file importing no built-in as an ES module (the bundle reaches them through
    // process.getBuiltinModule): nothing to split by calibration, the import is its own code.
    const split = files > 1 || skeleton.builtins.length > 0;
    const modes = {
      none: ["none"],
      ...(split && {
        builtins: ["files", skeleton.builtinsEntry],
        skeleton: ["files", skeleton.entry],
      }),
      index: ["index"],
    };
    // An enabled host's steady state: a directory where an earlier run left the code cache
    // (src/code-cache). A fresh directory each time is the first run, or an opted-out host.
    const cachedDir = temp.dir("cached");
    const cachePath = join(cachedDir, "host-code.cache");
    // The first run makes the id; the next one, like the runs after it, the cache.
    for (let run = 0; run < 3 && !existsSync(cachePath); run++) {
      await timedRun(process.execPath, [script("cli-with-telemetry.js")], {
        env: env(cachedDir),
        cwd,
      });
      await quiesceUploaders(temp.root);
    }
    const hasCache = existsSync(cachePath);
    if (hasCache) modes.cached = ["index"];
    const total = Object.fromEntries(Object.keys(modes).map((mode) => [mode, []]));
    for (let round = 0; round <= runs; round++) {
      const names = Object.keys(modes);
      for (const mode of round % 2 ? names.reverse() : names) {
        const args = [script("import-probe.js"), ...modes[mode]];
        const result = await timedRun(process.execPath, args, {
          env: env(mode === "cached" ? cachedDir : temp.dir("import")),
          cwd,
        });
        if (round > 0) total[mode].push(result.ms); // Round 0 warms the page cache.
      }
    }
    log("  import cost: totals done");

    // Each breakdown process imports the graph in its own random leaves-first order, so that a
    // one-off cost of the loader (JIT, first use of something) does not always land on one module.
    const random = seededRandom(11);
    const probes = [];
    for (let run = 0; run < breakdownRuns; run++) {
      const orderFile = join(temp.root, `import-order-${run}.json`);
      writeFileSync(
        orderFile,
        JSON.stringify(topologicalOrder(traced.edges, pathToFileURL(ENTRY).href, random)),
      );
      const args = [script("import-probe.js"), "breakdown", orderFile, skeleton.calibrationDir];
      const result = await timedRun(process.execPath, args, {
        env: env(hasCache ? cachedDir : temp.dir("breakdown")),
        cwd,
        stdout: "pipe",
      });
      probes.push(JSON.parse(result.stdout));
      await quiesceUploaders(temp.root);
    }
    log("  import cost: breakdown done");

    // The first track() step by step, in a directory that already holds an id (steady state).
    const sessionDir = temp.dir("session");
    const sessions = [];
    for (let run = 0; run <= breakdownRuns; run++) {
      const result = await timedRun(process.execPath, [script("session-probe.js")], {
        env: env(sessionDir),
        cwd,
        stdout: "pipe",
      });
      if (run > 0) sessions.push(JSON.parse(result.stdout)); // Run 0 creates the id.
    }

    const host = await traceModules([script("cli-with-telemetry.js")], {
      env: env(temp.dir("check")),
      cwd,
      outFile,
    });
    const bare = await traceModules([script("cli-without-telemetry.js")], {
      env: env(temp.dir("check")),
      cwd,
      outFile,
    });
    await quiesceUploaders(temp.root);
    const emptyImportMs = median(probes.flatMap((probe) => probe.emptyImports));
    const m = (mode) => median(total[mode]);
    return {
      entry: moduleLabel(pathToFileURL(ENTRY).href),
      total: {
        ...Object.fromEntries(Object.keys(total).map((mode) => [mode, summarize(total[mode])])),
        importMs: m("index") - m("none"),
        cachedImportMs: hasCache ? m("cached") - m("none") : undefined,
        files,
        builtinNames: skeleton.builtins,
        parts: split
          ? {
              builtins: m("builtins") - m("none"),
              graph: m("skeleton") - m("builtins"),
              code: m("index") - m("skeleton"),
            }
          : undefined,
      },
      emptyImportMs,
      modules: order.map((url) => {
        const raw = summarize(
          probes.map((probe) => probe.modules.find((entry) => entry.url === url).ms),
        );
        return { module: moduleLabel(url), ...raw, net: Math.max(0, raw.median - emptyImportMs) };
      }),
      stepsWithCodeCache: hasCache,
      steps: Object.keys(probes[0].steps).map((step) => ({
        step,
        ...summarize(probes.map((probe) => probe.steps[step])),
      })),
      session: sessions[0].map(({ step, error }, index) => ({
        step,
        error,
        ...summarize(sessions.map((list) => list[index].ms).filter(Number.isFinite)),
      })),
      check: checkHostModules(host, bare),
    };
  } finally {
    await collector.close();
  }
}
