import { resolveTelemetryDir, telemetryFiles, type TelemetryFiles } from "../config/paths.js";
import type { CliIo } from "./command.js";

/** The CLI's typed errors carry a stable code; main maps them to exit codes. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function filesFor(io: CliIo): TelemetryFiles {
  const dir = resolveTelemetryDir(io.env);
  if (dir === undefined) {
    throw new CliError(
      "no telemetry directory could be found; set ALCHEMY_TELEMETRY_DIR",
      "ENODIR",
    );
  }
  return telemetryFiles(dir);
}
