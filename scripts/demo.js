#!/usr/bin/env node
// `npm run demo`: a collector on loopback, the sample CLI with telemetry on against it, and
// what arrived. Everything lives in a temp directory that is removed afterwards.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCollector } from "../dist/src/collector/server.js";

const root = mkdtempSync(join(tmpdir(), "alchemy-telemetry-demo-"));
const dir = join(root, "telemetry");
const collector = await startCollector();
const env = {
  ...process.env,
  ALCHEMY_TELEMETRY_DIR: dir,
  ALCHEMY_TELEMETRY_URL: collector.url,
  ALCHEMY_TELEMETRY_DISABLED: "",
  DO_NOT_TRACK: "",
  ALCHEMY_TELEMETRY_DEBUG: "",
};
const bin = fileURLToPath(new URL("../bin/alchemy-telemetry.js", import.meta.url));

try {
  console.log(`collector listening on ${collector.url}`);
  console.log(`telemetry directory ${dir}\n`);
  console.log("$ sample-cli up");
  const started = performance.now();
  spawnSync(process.execPath, [fileURLToPath(new URL("./sample-cli.js", import.meta.url))], {
    env,
    stdio: "inherit",
  });
  console.log(`(the sample CLI took ${Math.round(performance.now() - started)} ms in all)\n`);

  await collector.waitForEvents(8, 15_000);
  console.log(
    `the collector received ${collector.events.length} events in ${collector.requests.length} request(s):`,
  );
  for (const event of collector.events) {
    const { resource, elapsedMs, error } = event.properties;
    const what = resource
      ? `${resource.type} ${resource.name}${resource.status ? ` ${resource.status}` : ""}`
      : "";
    const time = elapsedMs === undefined ? "" : `${elapsedMs} ms`;
    console.log(`  ${event.event.padEnd(17)}${what.padEnd(36)}${time}`);
    if (error) console.log(`      error: ${error.message}`);
  }
  const sample = collector.events.find((event) => event.event === "resource.error");
  console.log("\none event as it arrived (note the redacted path and token):");
  console.log(JSON.stringify(sample, null, 2));
  console.log("\n$ alchemy-telemetry status");
  spawnSync(process.execPath, [bin, "status"], { env, stdio: "inherit" });
} finally {
  await collector.close();
  rmSync(root, { recursive: true, force: true });
}
