// Child process for the import-cost section.
//   none                 exits (the baseline process)
//   index                imports the package entry and exits
//   files <entry>        imports <entry> (a generated module importing N empty modules)
//   breakdown <order> <calibration dir>
//                        imports 6 empty modules from <calibration dir> (the first warms the
//                        loader up; the other 5 measure what one import() of an empty module
//                        costs), then the modules listed in the JSON file <order> one at a
//                        time, leaves first, timing each import() (so each one evaluates only
//                        that module: its dependencies are already loaded), then times the
//                        package name's resolution and each step of the host path. Prints
//                        JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runWork } from "./cli-work.js";

const now = () => process.hrtime.bigint();
const ms = (from, to = now()) => Number(to - from) / 1e6;

// Through the package's exports map, as a host resolves it, but by the package's self-reference
// from inside this repository: no node_modules lookup, and its package.json already read (about
// 0.4 ms less than for an installed package; the host section runs installed, installed-host.js).
// Timed here, and left out of the import below (which gets the resolved file), as every mode of
// the probe resolves it.
const resolveStarted = now();
const ENTRY = fileURLToPath(import.meta.resolve("alchemy-telemetry"));
const firstResolveMs = ms(resolveStarted);

const [mode, orderFile, calibrationDir] = process.argv.slice(2);

if (mode === "index") await import(pathToFileURL(ENTRY).href);
if (mode === "files") await import(pathToFileURL(orderFile).href);
if (mode === "breakdown") await breakdown();

async function breakdown() {
  const emptyImports = [];
  for (let i = 0; i < 6; i++) {
    const started = now();
    await import(pathToFileURL(join(calibrationDir, `empty-${i}.js`)).href);
    if (i > 0) emptyImports.push(ms(started));
  }
  const modules = [];
  for (const url of JSON.parse(readFileSync(orderFile, "utf8"))) {
    const started = now();
    await import(url);
    modules.push({ url, ms: ms(started) });
  }
  const steps = {};
  const time = (name, run) => {
    const started = now();
    const value = run();
    steps[name] = ms(started);
    return value;
  };
  steps["resolve the name 'alchemy-telemetry' (through its exports map)"] = firstResolveMs;
  const { createTelemetry } = await import(pathToFileURL(ENTRY).href);
  const telemetry = time("createTelemetry()", () =>
    createTelemetry({ version: "0.77.0", phase: "up" }),
  );
  let calls = 0;
  let firstMs = 0;
  const started = now();
  runWork((name, properties) => {
    if (calls++ === 0) {
      const first = now();
      telemetry.track(name, properties);
      firstMs = ms(first);
    } else telemetry.track(name, properties);
  });
  const allMs = ms(started);
  steps["first track() (session incl. ci-info: id, repo walk, redactor, spool)"] = firstMs;
  steps[`other ${calls - 1} track() calls`] = allMs - firstMs;
  time("shutdown() (close spool, checks, spawn detached uploader)", () => telemetry.shutdown());
  process.stdout.write(JSON.stringify({ emptyImports, modules, steps }));
}
