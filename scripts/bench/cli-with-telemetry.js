// Host CLI with the package: imports it by its name (as an installed dependency would be),
// tracks the workload, calls shutdown() and exits on its own.
import { createTelemetry } from "alchemy-telemetry";
import { runWork } from "./cli-work.js";

const telemetry = createTelemetry({ version: "0.77.0", phase: "up" });
runWork((name, properties) => telemetry.track(name, properties));
telemetry.shutdown();
