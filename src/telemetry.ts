import { writeSync } from "node:fs";
import { builtinsReachable } from "./builtin.js";
import { saveCodeCache } from "./code-cache/save.js";
import { readStoredChoice } from "./config/choice.js";
import { isOptedOutByEnv, resolveConsent } from "./config/consent.js";
import { isFlagOn } from "./config/flags.js";
import { resolveTelemetryDir, telemetryFiles, type TelemetryFiles } from "./config/paths.js";
import { DISABLED } from "./disabled.js";
import { buildEvent } from "./event/build.js";
import { isoTimestamp } from "./event/timestamp.js";
import { random } from "./identity/random.js";
import { isEventName, type EventName, type ResourceInfo, type TrackArgs } from "./event/names.js";
import { validateOptions, type TelemetryOptions } from "./options.js";
import { openSession, type Session } from "./session.js";
import { appendLineOnce } from "./spool/append.js";
import { spawnUploaderIfNeeded, type SpawnDecision } from "./uploader/spawn.js";

export interface Telemetry {
  /** False when opted out (or no usable directory): every call is then a no-op. */
  readonly enabled: boolean;
  /** Records one event. Never throws, never waits, never prints (but in debug mode). */
  track<N extends EventName>(name: N, ...properties: TrackArgs<N>): void;
  /**
   * Times a resource operation: `resource.start`, then `resource.success` or `resource.error`
   * with the elapsed time. Returns (or rethrows) exactly what the operation does.
   */
  timeResource<T>(resource: ResourceInfo, operation: () => T): T;
  /** Hands the spool to the detached uploader and returns at once. Called at exit if not before. */
  shutdown(): void;
}

// Error zones: createTelemetry throws TypeError for bad options only; everything after that is
// the host zone, where nothing throws, rejects, prints or holds the process open.

/** Creates the host's telemetry. Reads the environment once; opted out means no side effect. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const { version, phase, cwd } = validateOptions(options);
  const env = options.env ?? process.env;
  try {
    // The host bundle for Node 20.19+ reaches every built-in through process.getBuiltinModule: a
    // runtime that picks it without having that function gets telemetry off, never an error.
    if (!builtinsReachable()) return DISABLED;
    if (isOptedOutByEnv(env)) return DISABLED;
    const dir = resolveTelemetryDir(env);
    if (dir === undefined) return DISABLED;
    const files = telemetryFiles(dir);
    if (!resolveConsent(env, readStoredChoice(files.choice)).enabled) return DISABLED;
    const debug = isFlagOn(env.ALCHEMY_TELEMETRY_DEBUG);
    return createEnabledTelemetry({ files, env, cwd, version, phase: phase ?? null, debug });
  } catch {
    return DISABLED;
  }
}

interface EnabledInput {
  readonly files: TelemetryFiles;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string | undefined;
  readonly version: string;
  readonly phase: "up" | "destroy" | "read" | null;
  readonly debug: boolean;
}

function createEnabledTelemetry(input: EnabledInput): Telemetry {
  let session: Session | null | undefined; // undefined: not opened yet; null: unusable.
  let appendedSinceDecision = false;
  let spawned = false;
  let decidedAt: number | undefined; // When shutdown last found no uploader needed.
  let shutDown = false;
  const drops = new Map<string, number>();

  const countDrop = (reason: string) => {
    drops.set(reason, (drops.get(reason) ?? 0) + 1);
    // After shutdown (an exit handler still tracking) no later flush is coming: write it now.
    if (!shutDown || input.debug) return;
    try {
      flushDrops(input.files, drops);
    } catch {
      // Counting is telemetry's business; the host zone never sees it fail.
    }
  };
  const getSession = (): Session | null => {
    if (session !== undefined) return session;
    try {
      session = openSession({ ...input, printNotice: writeStderr });
    } catch {
      session = null; // Read-only or odd directory: behave as if opted out.
    }
    return session;
  };

  function record(name: unknown, properties: unknown): void {
    if (!isEventName(name)) {
      countDrop("unknown-event");
      return;
    }
    const current = getSession();
    if (!current) return;
    const meta = {
      id: random.uuid(),
      timestamp: isoTimestamp(Date.now()),
      userId: current.userId,
      projectId: current.projectId,
      runId: current.runId,
      context: current.context,
    };
    const event = buildEvent(name, properties, meta, current.redact);
    const line = current.encodeLine(event, true); // Its id, name and time are ours: plain text.
    if (!line) {
      countDrop("oversized");
      return;
    }
    if (!current.appender) {
      writeStderr(line.toString()); // Debug mode: exactly the line that would be sent.
      return;
    }
    const result = current.appender.append(line);
    if (result === "appended") appendedSinceDecision = true;
    else countDrop(result);
  }

  function shutdown(): void {
    try {
      shutDown = true;
      session?.appender?.close();
      if (input.debug) return;
      flushDrops(input.files, drops);
      // The exit after an explicit shutdown() asks again only if events came since, or if the
      // answer was "not needed" and is old enough to have changed (a backoff ended, an uploader
      // exited). A start that failed is tried again.
      const settled =
        spawned || (decidedAt !== undefined && monotonicMs() - decidedAt < DECISION_STANDS_MS);
      if (!settled || appendedSinceDecision) {
        const decision = spawnUploaderIfNeeded(input.files, input.env);
        spawned ||= decision === "spawned";
        decidedAt = NOT_NEEDED.has(decision) ? monotonicMs() : undefined;
        appendedSinceDecision = false;
      }
      // Once after an install or a Node upgrade: V8's compiled code, for the next start, made by
      // a run like the later ones (events, and not the first: its id and notice no later needs).
      if (session && !session.createdId) saveCodeCache(input.files.dir);
    } catch {
      // Shutdown must never reach the host.
    }
  }

  shutdownAtExit(shutdown);

  return {
    enabled: true,
    track(name, ...args) {
      try {
        record(name, args[0]);
      } catch {
        countDrop("invalid-input");
      }
    },
    timeResource: (resource, operation) => timeOperation(resource, operation, record),
    shutdown,
  };
}

/** How long a "no uploader needed" answer stands for a later shutdown of the same instance. */
const DECISION_STANDS_MS = 1_000;
const NOT_NEEDED: ReadonlySet<SpawnDecision> = new Set([
  "nothing-pending",
  "uploader-running",
  "uploader-starting",
  "backing-off",
]);

/** Not the wall clock, which can step; not `performance`, whose first use loads perf_hooks. */
function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

/** One exit listener for every instance, so many instances never trip the listener warning. */
const exitShutdowns = new Set<() => void>();

function shutdownAtExit(shutdown: () => void): void {
  if (exitShutdowns.size === 0) {
    process.once("exit", () => {
      for (const run of exitShutdowns) run();
    });
  }
  exitShutdowns.add(shutdown);
}

function flushDrops(files: TelemetryFiles, drops: Map<string, number>): void {
  if (drops.size === 0) return;
  const line = JSON.stringify({
    time: isoTimestamp(Date.now()),
    source: "host",
    reasons: Object.fromEntries(drops),
  });
  appendLineOnce(files.drops, `${line}\n`);
  drops.clear();
}

function writeStderr(text: string): void {
  try {
    writeSync(2, text.endsWith("\n") ? text : `${text}\n`);
  } catch {
    // stderr closed or a non-blocking pipe that is full: the host's output comes first.
  }
}

type Record_ = (name: EventName, properties: unknown) => void;

function timeOperation<T>(resource: ResourceInfo, operation: () => T, record: Record_): T {
  const safeRecord: Record_ = (name, properties) => {
    try {
      record(name, properties);
    } catch {
      // Recording is best effort; the operation's own outcome is what the host sees.
    }
  };
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  safeRecord("resource.start", { resource });
  const fail = (error: unknown) => {
    safeRecord("resource.error", { resource, elapsedMs: elapsed(), error });
  };
  let result: T;
  try {
    result = operation();
  } catch (error) {
    fail(error);
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value: unknown) => {
        safeRecord("resource.success", { resource, elapsedMs: elapsed() });
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  safeRecord("resource.success", { resource, elapsedMs: elapsed() });
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
