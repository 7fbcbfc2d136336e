import { LIMITS } from "../config/limits.js";
import type { EventContext } from "./context.js";
import type { EventName } from "./names.js";
import { serializeError, type SerializedError } from "./serialize-error.js";
import { redactCapped } from "./text.js";

/** One event exactly as it is spooled and sent (SPEC §2.4). */
export interface TelemetryEvent {
  readonly id: string;
  readonly event: EventName;
  readonly timestamp: string;
  readonly userId: string;
  readonly projectId: string | null;
  readonly runId: string;
  readonly properties: EventPayload;
  readonly context: EventContext;
}

export interface EventPayload {
  elapsedMs?: number;
  resource?: { name: string; type: string; status?: string };
  error?: SerializedError;
}

export interface EventMetadata {
  readonly id: string;
  readonly timestamp: string;
  readonly userId: string;
  readonly projectId: string | null;
  readonly runId: string;
  readonly context: EventContext;
}

type Redact = (text: string) => string;

/** Builds the event from the allow-list of SPEC §3: unknown keys are dropped, never passed on. */
export function buildEvent(
  name: EventName,
  properties: unknown,
  meta: EventMetadata,
  redact: Redact,
): TelemetryEvent {
  return {
    id: meta.id,
    event: name,
    timestamp: meta.timestamp,
    userId: meta.userId,
    projectId: meta.projectId,
    runId: meta.runId,
    properties: pickProperties(name, properties, redact),
    context: meta.context,
  };
}

function pickProperties(name: EventName, input: unknown, redact: Redact): EventPayload {
  const payload: EventPayload = {};
  if (typeof input !== "object" || input === null) return payload;
  const props = input as Record<string, unknown>;
  if (name.endsWith(".success") || name.endsWith(".error") || name === "resource.read") {
    const elapsedMs = toElapsedMs(props.elapsedMs);
    if (elapsedMs !== undefined) payload.elapsedMs = elapsedMs;
  }
  if (name.startsWith("resource.")) {
    const resource = pickResource(props.resource, redact);
    if (resource) payload.resource = resource;
  }
  if (name.endsWith(".error") && "error" in props) {
    payload.error = serializeError(props.error, redact);
  }
  return payload;
}

function toElapsedMs(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value);
}

function pickResource(value: unknown, redact: Redact): EventPayload["resource"] {
  if (typeof value !== "object" || value === null) return undefined;
  const resource = value as Record<string, unknown>;
  const name = toField(resource.name, redact);
  const type = toField(resource.type, redact);
  const status = toField(resource.status, redact);
  // Two literals, not a spread: run cold, copying an object costs a host per event.
  return status === undefined
    ? { name: name ?? "", type: type ?? "" }
    : { name: name ?? "", type: type ?? "", status };
}

function toField(value: unknown, redact: Redact): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  return redactCapped(value, redact, LIMITS.maxFieldChars);
}
