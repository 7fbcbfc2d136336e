#!/usr/bin/env node
// `npm run bench`: the performance budgets of SPEC §7, side by side in one run.
//   BENCH_RUNS=<n>   rounds per variant for the whole-process timings (default 60)
//   --quick          a smoke run (3 rounds, one sample of the slow sections)
//   --strict         exit 1 when a budget fails (always exit 1 when a section crashed)
//   BENCH_NO_TIME=1  measure peak RSS by polling VmHWM instead of /usr/bin/time
//   --only <names>   run only these sections, comma-separated (host,import,track,uploader,peers)
// Prints tables and writes the same figures as JSON to bench-results/latest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createProject, measureHostOverhead } from "./bench/host-overhead.js";
import { measureImportCost } from "./bench/import-cost.js";
import { describeMachine, formatMachine } from "./bench/machine.js";
import { createTempRoot, RESULTS_DIR } from "./bench/paths.js";
import { measurePeers } from "./bench/peers.js";
import {
  renderBudgets,
  renderHost,
  renderPeers,
  renderTrack,
  renderUploader,
} from "./bench/report.js";
import { renderImport } from "./bench/report-import.js";
import { measureTrackCost } from "./bench/track-cost.js";
import { measureUploader } from "./bench/uploader-throughput.js";
import { killUploaders } from "./bench/uploaders.js";
import { verdict } from "./bench/stats.js";

const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? undefined : new Set((process.argv[onlyAt + 1] ?? "").split(","));
const runs = Math.max(1, Number(process.env.BENCH_RUNS) || (quick ? 3 : 60));
const scaled = (divisor, max) =>
  quick ? 1 : Math.max(1, Math.min(max, Math.round(runs / divisor)));
const config = {
  quick,
  runs,
  breakdownRuns: quick ? 3 : scaled(2, 15),
  uploaderRuns: scaled(6, 5),
  peerRuns: scaled(6, 5),
};

const print = (lines) => console.log([lines].flat().join("\n"));
const log = (line) => process.stderr.write(`${line}\n`);
const flags = [...(quick ? ["--quick"] : []), ...(only ? ["--only", [...only].join(",")] : [])];
const command =
  process.env.npm_lifecycle_event === "bench"
    ? ["npm run bench", ...(flags.length > 0 ? ["--", ...flags] : [])].join(" ")
    : ["node scripts/bench.js", ...flags].join(" ");

const machine = describeMachine();
print([
  `alchemy-telemetry bench — ${new Date().toISOString()}`,
  formatMachine(machine),
  `command: ${process.env.BENCH_RUNS ? `BENCH_RUNS=${process.env.BENCH_RUNS} ` : ""}${command}`,
  `config: ${runs} rounds (host overhead, import totals), ${config.breakdownRuns} breakdown processes, ${config.uploaderRuns} uploader runs, ${config.peerRuns} peer runs`,
]);

const temp = createTempRoot();
const results = {
  machine,
  command,
  config,
  startedAt: new Date().toISOString(),
  sections: {},
  budgets: [],
  errors: {},
};
process.once("SIGINT", () => {
  log("interrupted: ending uploaders and removing temporary files");
  void killUploaders(temp.root).finally(() => {
    temp.remove();
    process.exit(130);
  });
});

async function section(name, measure, render) {
  if (only && !only.has(name)) return;
  const started = Date.now();
  log(`[${name}] ...`);
  try {
    const data = await measure();
    results.sections[name] = data;
    results.budgets.push(...(data.budgets ?? []));
    print(render(data));
  } catch (error) {
    results.errors[name] = String(error?.stack ?? error);
    print(`\n[${name}] FAILED: ${error?.message ?? error}`);
    results.budgets.push({
      name: `${name} ran`,
      pass: false,
      value: NaN,
      limit: NaN,
      unit: "",
      margin: NaN,
    });
  } finally {
    await killUploaders(temp.root);
    log(`[${name}] ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

try {
  const cwd = createProject(temp);
  const context = { temp, cwd, log, runs };
  await section(
    "host",
    () => measureHostOverhead({ ...context, probeRuns: config.breakdownRuns }),
    (data) => renderHost(data, runs),
  );
  await section(
    "import",
    async () => {
      const data = await measureImportCost({ ...context, breakdownRuns: config.breakdownRuns });
      return {
        ...data,
        budgets: [
          {
            ...verdict(
              "host loads no uploader/CLI/collector/network module",
              data.check.failures.length,
              0,
              "modules",
            ),
          },
        ],
      };
    },
    renderImport,
  );
  await section("track", () => measureTrackCost(context), renderTrack);
  await section(
    "uploader",
    () => measureUploader({ ...context, runs: config.uploaderRuns }),
    renderUploader,
  );
  await section(
    "peers",
    async () => {
      const rows = await measurePeers({ ...context, runs: config.peerRuns });
      const ours = rows.find((row) => row.peer.startsWith("alchemy"));
      return {
        rows,
        budgets: [
          {
            ...verdict(
              "every event delivered by our uploader (200 ms endpoint)",
              ours.allDelivered ? 0 : 1,
              0,
              "runs missing",
            ),
          },
        ],
      };
    },
    (data) => renderPeers(data.rows),
  );
} finally {
  const left = await killUploaders(temp.root);
  if (left) log(`ended ${left} leftover uploader(s)`);
  temp.remove();
}

print(renderBudgets(results.budgets));
results.finishedAt = new Date().toISOString();
mkdirSync(RESULTS_DIR, { recursive: true });
const out = join(RESULTS_DIR, "latest.json");
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
print(`\nresults: ${out}`);
const crashed = Object.keys(results.errors).length > 0;
const failed = results.budgets.some((budget) => !budget.pass);
process.exitCode = crashed || (failed && process.argv.includes("--strict")) ? 1 : 0;
