// Accounting: the check every guarantee scenario ends with (G2, G3).
//
// Method. The public API never returns an event's id, so a scenario names its events itself:
// the counting host (test/fixtures/counting-host.ts) tracks `resource.success` events whose
// resource name is a unique tag `h<host>-e<index>`; a scenario that seeds a spool directly
// knows the ids it wrote. Either way the test holds the full list of keys (tags or ids) that
// were handed to the package. The check then looks for every key in the three places an event
// may legitimately be, reading each one from its real source:
//   - delivered: the collector's deduplicated events (it saw the line, with its id);
//   - pending: every line of spool.ndjson and claimed-*.ndjson in the telemetry directory;
//   - dropped: drops.ndjson. Uploader drops carry the ids they dropped; host drops (spool
//     full, write failed, oversized) only carry counts, because the host never learnt the
//     id of an event it could not write. A key found nowhere is therefore explained only by
//     a host drop (or an uploader drop of a line this check never saw: `unattributed`), and
//     the number of such keys must equal those counted drops.
// A key must be in exactly one place. One exception is explained rather than forbidden: a
// pending copy of an id that is already delivered *and* recorded in the uploader's ledger
// (done.ids) is the late-writer rule's second copy, which the uploader skips without sending.
// A key seen under two different ids means an event was re-created, never allowed. Duplicates
// the collector counted (same id received twice) are reported for the scenario to bound: G3
// allows them only after a kill or timeout between the server's 2xx and the ledger write.
// Every line on disk must parse as an event: a torn or glued line is reported as `torn`.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSpooledEvent } from "../../src/spool/validate.js";

export const TAG = /^h\d+-e\d+$/;

export type Key = "tag" | "id";

export interface AccountInput {
  readonly dir: string;
  readonly collector: {
    readonly events: readonly Record<string, unknown>[];
    readonly duplicates: number;
  };
  /** Every key the scenario handed to the package. */
  readonly expected: readonly string[];
  readonly key?: Key;
}

export interface Account {
  readonly expected: number;
  readonly delivered: number;
  readonly pending: number;
  readonly droppedByUploader: number;
  /** Sum of the host's counted drops (events without ids). */
  readonly droppedByHost: number;
  /** Ids the uploader dropped whose line this check never saw, so whose key it cannot name. */
  readonly unattributed: number;
  readonly hostDropReasons: Record<string, number>;
  readonly uploaderDropReasons: Record<string, number>;
  /** Keys found nowhere. */
  readonly missing: readonly string[];
  /** Keys in two places (not counting explained stale copies). */
  readonly multiple: readonly string[];
  /** Keys seen under more than one id. */
  readonly reIdentified: readonly string[];
  /** Pending copies of ids already delivered and in the ledger: skipped, never resent. */
  readonly staleCopies: number;
  /** Lines on disk that do not parse as an event (torn, glued, garbage). */
  readonly torn: number;
  /** Same-id events the collector received again (G3). */
  readonly duplicates: number;
}

interface Sightings {
  readonly places: Map<string, Set<string>>;
  readonly ids: Map<string, Set<string>>;
}

function tagOf(event: Record<string, unknown>): string | undefined {
  const properties = event.properties as { resource?: { name?: unknown } } | undefined;
  const name = properties?.resource?.name;
  return typeof name === "string" && TAG.test(name) ? name : undefined;
}

function see(sightings: Sightings, key: string, id: string, place: string): void {
  let places = sightings.places.get(key);
  if (!places) sightings.places.set(key, (places = new Set()));
  places.add(place);
  let ids = sightings.ids.get(key);
  if (!ids) sightings.ids.set(key, (ids = new Set()));
  ids.add(id);
}

/** True for a regular file; a link planted at a package path is not the package's file. */
function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** Every line of the pending files; `torn` counts lines (and tails) that are not events. */
export function readPending(dir: string): { events: Record<string, unknown>[]; torn: number } {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const files = names
    .filter((name) => name === "spool.ndjson" || /^claimed-.*\.ndjson$/.test(name))
    .filter((name) => isFile(join(dir, name)));
  const events: Record<string, unknown>[] = [];
  let torn = 0;
  for (const name of files) {
    const text = readFileSync(join(dir, name), "utf8");
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    for (const line of lines) {
      const event = parseSpooledEvent(line);
      if (event) events.push(event.record);
      else torn += 1;
    }
  }
  return { events, torn };
}

export interface DropRecord {
  readonly source: string;
  readonly reasons: Record<string, number>;
  readonly ids?: string[];
}

export function readDrops(dir: string): DropRecord[] {
  const path = join(dir, "drops.ndjson");
  if (!isFile(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  return lines.filter((line) => line !== "").map((line) => JSON.parse(line) as DropRecord);
}

function readLedger(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const name of ["done.ids.1", "done.ids"]) {
    const path = join(dir, name);
    if (!isFile(path)) continue;
    for (const id of readFileSync(path, "utf8").split("\n")) if (id !== "") ids.add(id);
  }
  return ids;
}

function addReasons(into: Record<string, number>, reasons: Record<string, number>): void {
  for (const [reason, count] of Object.entries(reasons)) into[reason] = (into[reason] ?? 0) + count;
}

/** Where every expected event is now. Reads the collector and the directory; changes nothing. */
export function account(input: AccountInput): Account {
  const keyOf = (event: Record<string, unknown>): string | undefined =>
    input.key === "id" ? (event.id as string) : tagOf(event);
  const sightings: Sightings = { places: new Map(), ids: new Map() };
  const delivered = new Set<string>();
  for (const event of input.collector.events) {
    const key = keyOf(event);
    delivered.add(event.id as string);
    if (key !== undefined) see(sightings, key, event.id as string, "delivered");
  }
  const ledger = readLedger(input.dir);
  const pending = readPending(input.dir);
  let staleCopies = 0;
  for (const event of pending.events) {
    const key = keyOf(event);
    const id = event.id as string;
    if (key === undefined) continue;
    if (delivered.has(id) && ledger.has(id)) staleCopies += 1;
    else see(sightings, key, id, "pending");
  }
  const hostDropReasons: Record<string, number> = {};
  const uploaderDropReasons: Record<string, number> = {};
  const idToKey = new Map<string, string>();
  let unattributed = 0;
  for (const [key, ids] of sightings.ids) for (const id of ids) idToKey.set(id, key);
  for (const record of readDrops(input.dir)) {
    if (record.source === "host") addReasons(hostDropReasons, record.reasons);
    else addReasons(uploaderDropReasons, record.reasons);
    for (const id of record.ids ?? []) {
      const key = input.key === "id" ? id : idToKey.get(id);
      if (key !== undefined) see(sightings, key, id, "dropped");
      else unattributed += 1;
    }
  }
  const expected = new Set(input.expected);
  const inPlace = (place: string) =>
    [...sightings.places].filter(([key, places]) => expected.has(key) && places.has(place)).length;
  const sum = (reasons: Record<string, number>) =>
    Object.values(reasons).reduce((a, b) => a + b, 0);
  return {
    expected: expected.size,
    delivered: inPlace("delivered"),
    pending: inPlace("pending"),
    droppedByUploader: inPlace("dropped"),
    droppedByHost: sum(hostDropReasons),
    unattributed,
    hostDropReasons,
    uploaderDropReasons,
    missing: [...expected].filter((key) => !sightings.places.has(key)),
    multiple: [...sightings.places].filter(([, places]) => places.size > 1).map(([key]) => key),
    reIdentified: [...sightings.ids].filter(([, ids]) => ids.size > 1).map(([key]) => key),
    staleCopies,
    torn: pending.torn,
    duplicates: input.collector.duplicates,
  };
}

export interface Expectation {
  /** Most same-id duplicates the scenario may explain (default 0). */
  readonly maxDuplicates?: number;
  /** Whether events may still wait on disk at the end (default false: all drained). */
  readonly allowPending?: boolean;
}

/** The common verdict; returns a problem list (empty when every event is accounted for). */
export function problems(result: Account, expectation: Expectation = {}): string[] {
  const found: string[] = [];
  const show = (keys: readonly string[]) => keys.slice(0, 5).join(", ");
  const counted = result.droppedByHost + result.unattributed;
  if (result.missing.length !== counted) {
    found.push(
      `${result.missing.length} events are nowhere, but ${counted} drops were counted (${show(result.missing)})`,
    );
  }
  if (result.multiple.length > 0) found.push(`in two places at once: ${show(result.multiple)}`);
  if (result.reIdentified.length > 0) found.push(`re-identified: ${show(result.reIdentified)}`);
  if (result.torn > 0) found.push(`${result.torn} torn or glued lines on disk`);
  if (result.duplicates > (expectation.maxDuplicates ?? 0)) {
    found.push(
      `${result.duplicates} duplicates, at most ${expectation.maxDuplicates ?? 0} explained`,
    );
  }
  if (!expectation.allowPending && result.pending > 0)
    found.push(`${result.pending} still pending`);
  return found;
}

/** One line for logs and stress summaries. */
export function describeAccount(result: Account): string {
  return [
    `events=${result.expected}`,
    `delivered=${result.delivered}`,
    `pending=${result.pending}`,
    `dropped=${result.droppedByUploader + result.droppedByHost}`,
    `duplicates=${result.duplicates}`,
    `stale-copies=${result.staleCopies}`,
    `torn=${result.torn}`,
  ].join(" ");
}
