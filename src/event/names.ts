/** The eight events of the seed page; nothing else is recorded. */
export const EVENT_NAMES = [
  "app.start",
  "app.success",
  "app.error",
  "resource.start",
  "resource.success",
  "resource.error",
  "resource.skip",
  "resource.read",
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

const NAME_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isEventName(value: unknown): value is EventName {
  return typeof value === "string" && NAME_SET.has(value);
}

export type Phase = "up" | "destroy" | "read";
export const PHASES: readonly Phase[] = ["up", "destroy", "read"];

export interface ResourceInfo {
  /** The resource's logical name, e.g. "website". Redacted and capped before it is stored. */
  readonly name: string;
  /** The resource type, e.g. "cloudflare::Worker". */
  readonly type: string;
  /** Outcome such as "created", "updated", "deleted", "skipped". */
  readonly status?: string;
}

/** The properties each event accepts (SPEC §3); any other key is dropped. */
export interface EventProperties {
  "app.start": undefined;
  "app.success": { readonly elapsedMs?: number } | undefined;
  "app.error": { readonly elapsedMs?: number; readonly error?: unknown } | undefined;
  "resource.start": { readonly resource: ResourceInfo };
  "resource.success": { readonly resource: ResourceInfo; readonly elapsedMs?: number };
  "resource.error": {
    readonly resource: ResourceInfo;
    readonly elapsedMs?: number;
    readonly error?: unknown;
  };
  "resource.skip": { readonly resource: ResourceInfo };
  "resource.read": { readonly resource: ResourceInfo; readonly elapsedMs?: number };
}

/** `track("app.start")` needs no properties; resource events need one. */
export type TrackArgs<N extends EventName> = undefined extends EventProperties[N]
  ? [properties?: EventProperties[N]]
  : [properties: EventProperties[N]];
