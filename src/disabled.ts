import type { Telemetry } from "./telemetry.js";

/** What an opted-out host gets: every call a no-op, timeResource just runs the operation. */
export const DISABLED: Telemetry = {
  enabled: false,
  track: () => undefined,
  timeResource: (_resource, operation) => operation(),
  shutdown: () => undefined,
};
