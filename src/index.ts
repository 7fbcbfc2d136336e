export { createTelemetry, type Telemetry } from "./telemetry.js";
export type { TelemetryOptions } from "./options.js";
export {
  EVENT_NAMES,
  type EventName,
  type EventProperties,
  type Phase,
  type ResourceInfo,
} from "./event/names.js";
export type { TelemetryEvent } from "./event/build.js";
export type { SerializedError } from "./event/serialize-error.js";
