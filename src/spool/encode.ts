import { LIMITS } from "../config/limits.js";
import type { TelemetryEvent } from "../event/build.js";
import type { SerializedError } from "../event/serialize-error.js";

/**
 * One NDJSON line (with its newline) of at most LIMITS.maxLineBytes (G4). An oversized event
 * loses detail in steps, stacks first, then long messages, then nested errors; a line is never
 * split. Returns undefined when even the smallest form does not fit.
 */
export function encodeEventLine(event: TelemetryEvent): Buffer | undefined {
  for (const shrink of SHRINK_STEPS) {
    const line = Buffer.from(`${JSON.stringify(shrink(event))}\n`);
    if (line.length <= LIMITS.maxLineBytes) return line;
  }
  return undefined;
}

type Shrink = (event: TelemetryEvent) => TelemetryEvent;

const SHRINK_STEPS: readonly Shrink[] = [
  (event) => event,
  (event) => withError(event, (error) => mapError(error, dropStack)),
  (event) => withError(event, (error) => mapError(error, (e) => shortMessage(dropStack(e)))),
  (event) =>
    withError(event, (error) =>
      shortMessage(dropStack({ ...error, cause: undefined, errors: undefined })),
    ),
];

function withError(event: TelemetryEvent, change: (error: SerializedError) => SerializedError) {
  const error = event.properties.error;
  if (!error) return event;
  return { ...event, properties: { ...event.properties, error: change(error) } };
}

function mapError(
  error: SerializedError,
  change: (error: SerializedError) => SerializedError,
): SerializedError {
  const changed = change(error);
  return {
    ...changed,
    cause: changed.cause && mapError(changed.cause, change),
    errors: changed.errors?.map((member) => mapError(member, change)),
  };
}

function dropStack(error: SerializedError): SerializedError {
  return { ...error, stack: undefined };
}

function shortMessage(error: SerializedError): SerializedError {
  const max = 1024;
  return error.message.length > max
    ? { ...error, message: `${error.message.slice(0, max)}…[truncated]` }
    : error;
}
