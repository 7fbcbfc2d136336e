// The bench's host CLI with the minimal host (minimal-host/index.js) in the package's place.
import { createTelemetry } from "minimal-host";
import { runWork } from "./cli-work.js";

const telemetry = createTelemetry({ version: "0.77.0", phase: "up" });
runWork((name, properties) => telemetry.track(name, properties));
telemetry.shutdown();
