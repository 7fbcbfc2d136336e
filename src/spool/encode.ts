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

/** What every event of one session carries alike: its ids and its context. */
export type SharedFields = Pick<TelemetryEvent, "userId" | "projectId" | "runId" | "context">;

/**
 * `plain`: the caller made the event's id, name and timestamp itself (random.uuid(), a name of
 * EVENT_NAMES, isoTimestamp()), none of which JSON escapes, so they are written as they are.
 */
export type LineEncoder = (event: TelemetryEvent, plain?: boolean) => Buffer | undefined;

/**
 * The line encoder of one session. The fields its events share are serialized once, and each
 * line is the event's own fields and properties around them: a host's events run cold, and the
 * context was half of each line's JSON. A line is byte for byte what encodeEventLine makes of
 * the same event; an event that does not carry these very fields, or is too long for a line,
 * takes that general path.
 */
export function createLineEncoder(shared: SharedFields): LineEncoder {
  const { userId, projectId, runId, context } = shared;
  const middle = `,"userId":${JSON.stringify(userId)},"projectId":${JSON.stringify(projectId)},"runId":${JSON.stringify(runId)},"properties":`;
  const tail = `,"context":${JSON.stringify(context)}}\n`;
  return (event, plain = false) => {
    const same =
      event.userId === userId &&
      event.projectId === projectId &&
      event.runId === runId &&
      event.context === context;
    if (!same) return encodeEventLine(event);
    // Run cold, each JSON.stringify of a short text left a host 0.2 KB of garbage.
    const own = plain
      ? `{"id":"${event.id}","event":"${event.event}","timestamp":"${event.timestamp}"`
      : `{"id":${JSON.stringify(event.id)},"event":${JSON.stringify(event.event)},"timestamp":${JSON.stringify(event.timestamp)}`;
    const line = Buffer.from(own + middle + JSON.stringify(event.properties) + tail);
    return line.length <= LIMITS.maxLineBytes ? line : encodeEventLine(event);
  };
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
