// Child process: prints N real event lines with the package's debug mode (which prints each
// line exactly as it would be sent, and writes and sends nothing). Argument: N.
import { createTelemetry } from "alchemy-telemetry";
import { RESOURCES } from "./cli-work.js";

const count = Number(process.argv[2]);
const telemetry = createTelemetry({ version: "0.77.0", phase: "up" });
for (let i = 0; i < count; i++) {
  const { name, type } = RESOURCES[i % RESOURCES.length];
  if (i % 2 === 0) telemetry.track("resource.start", { resource: { name, type } });
  else
    telemetry.track("resource.success", {
      resource: { name, type, status: "created" },
      elapsedMs: i % 997,
    });
}
