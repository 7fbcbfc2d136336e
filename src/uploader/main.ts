// The detached uploader's entry point: started by the host at exit, never waited for.
import { LIMITS } from "../config/limits.js";
import { telemetryFiles } from "../config/paths.js";
import { writeLogLine } from "./log.js";
import { runUploader } from "./run.js";

const dir = process.env.ALCHEMY_TELEMETRY_DIR;

// Whatever happens below, the process ends within its lifetime (G5): no orphan lives on.
setTimeout(() => process.exit(0), LIMITS.uploaderLifetimeMs + 5_000).unref();

async function main(): Promise<void> {
  if (!dir) return;
  const files = telemetryFiles(dir);
  process.on("uncaughtException", (error) => {
    writeLogLine(files.log, `crashed: ${error.name}: ${error.message}`);
    process.exit(1);
  });
  const report = await runUploader({ files, env: process.env });
  if (report.status !== "ran") writeLogLine(files.log, `run ${report.status}`);
}

main().then(
  () => process.exit(0),
  () => process.exit(1),
);
