import { isEventName } from "../event/names.js";

/** The fields the uploader needs from a spooled line; anything malformed is skipped (G7). */
export interface SpooledEvent {
  readonly id: string;
  readonly timestamp: string;
  readonly projectId: string | null;
  readonly record: Record<string, unknown>;
}

/** Parses one spool line; undefined for garbage, torn lines and wrong-schema JSON. */
export function parseSpooledEvent(line: string): SpooledEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { id, event, timestamp, userId, runId, projectId, properties, context } = record;
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return undefined;
  if (!isEventName(event) || typeof userId !== "string" || typeof runId !== "string")
    return undefined;
  if (typeof timestamp !== "string" || Number.isNaN(Date.parse(timestamp))) return undefined;
  if (projectId !== null && typeof projectId !== "string") return undefined;
  if (!isPlainObject(properties) || !isPlainObject(context)) return undefined;
  return { id, timestamp, projectId, record };
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
