#!/usr/bin/env node
// A pretend infrastructure CLI, the way a real one embeds alchemy-telemetry: it "provisions"
// a few resources, one of which fails, and exits without waiting for the network.
import { createTelemetry } from "alchemy-telemetry";

const telemetry = createTelemetry({ version: "0.77.0", phase: "up" });
const started = performance.now();
telemetry.track("app.start");

const resources = [
  { name: "website", type: "cloudflare::Worker", status: "created", ms: 120 },
  { name: "assets", type: "cloudflare::R2Bucket", status: "updated", ms: 40 },
  { name: "queue", type: "cloudflare::Queue", status: "skipped", ms: 0 },
  { name: "db", type: "neon::Project", fail: true, ms: 60 },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const { name, type, status, fail, ms } of resources) {
  const resource = { name, type, ...(status ? { status } : {}) };
  if (status === "skipped") {
    telemetry.track("resource.skip", { resource });
    console.log(`  skip    ${type} ${name}`);
    continue;
  }
  try {
    await telemetry.timeResource(resource, async () => {
      await sleep(ms);
      if (fail) {
        const home = process.env.HOME ?? "/home/someone";
        throw new Error(`quota exceeded for ${home}/projects/demo (token=npm_${"a".repeat(36)})`);
      }
    });
    console.log(`  ${status.padEnd(7)} ${type} ${name}`);
  } catch (error) {
    console.log(`  failed  ${type} ${name}: ${error.message}`);
  }
}
telemetry.track("app.success", { elapsedMs: performance.now() - started });
telemetry.shutdown();
console.log("sample CLI done: it exits now; the uploader sends in the background");
