import { mkdirSync } from "node:fs";
import type { TelemetryFiles } from "./config/paths.js";
import { collectContext, type EventContext } from "./event/context.js";
import type { Phase } from "./event/names.js";
import { createRedactor, redactionContextFromProcess } from "./event/redact.js";
import {
  loadOrCreateAnonymousId,
  readAnonymousId,
  type AnonymousId,
} from "./identity/anonymous-id.js";
import { ciUserId, detectCi } from "./identity/ci-id.js";
import { random } from "./identity/random.js";
import { readCachedProjectId, rememberRepoToResolve } from "./identity/project-cache.js";
import { resolveProjectIdNow } from "./identity/project-id-now.js";
import { findRepoRoot, repoKey } from "./identity/repo-root.js";
import { formatFirstRunNotice } from "./notice.js";
import { createSpoolAppender, type SpoolAppender } from "./spool/append.js";
import { createLineEncoder, type LineEncoder } from "./spool/encode.js";
import { LIMITS } from "./config/limits.js";

/** Everything one host process needs to record events, set up on its first event. */
export interface Session {
  readonly userId: string;
  readonly projectId: string | null;
  readonly runId: string;
  readonly context: EventContext;
  readonly redact: (text: string) => string;
  /** The event's NDJSON line, or undefined when it does not fit one (see spool/encode.ts). */
  readonly encodeLine: LineEncoder;
  /** Undefined in debug mode: nothing is written. */
  readonly appender: SpoolAppender | undefined;
  /** This process made the anonymous id: the machine's first run, unlike every later one. */
  readonly createdId: boolean;
}

export interface SessionInput {
  readonly files: TelemetryFiles;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string | undefined;
  readonly version: string;
  readonly phase: Phase | null;
  readonly debug: boolean;
  readonly printNotice: (text: string) => void;
}

/** One run id per process, shared by every telemetry instance in it. */
let runId: string | undefined; // Made on the first session, not at import: importing has no effects.

/** Opens the session; throws when the directory cannot be used, and the host then records nothing. */
export function openSession(input: SessionInput): Session {
  const { files, debug } = input;
  const ci = detectCi();
  const storedId = ci.isCi || debug ? undefined : readAnonymousId(files.id);
  // A stored id means the directory is there already: no mkdir on the common path.
  if (!debug && storedId === undefined) mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const root = findRepoRoot(input.cwd ?? safeCwd());
  const user = ci.isCi
    ? { id: ciUserId(ci), created: false }
    : storedId !== undefined
      ? { id: storedId, created: false }
      : resolveUserId(input);
  const shared = {
    userId: user.id,
    projectId: resolveProjectId(input, root),
    runId: (runId ??= random.uuid()),
    context: collectContext(input.version, input.phase, ci.name),
  };
  return {
    ...shared,
    encodeLine: createLineEncoder(shared),
    redact: createRedactor(redactionContextFromProcess(input.env, input.cwd, { root })),
    appender: debug
      ? undefined
      : createSpoolAppender(files.spool, { maxBytes: LIMITS.maxSpoolBytes }),
    createdId: user.created,
  };
}

function resolveUserId({ files, debug, printNotice }: SessionInput): AnonymousId {
  // Debug mode writes nothing, so without an id yet it shows a throwaway one.
  if (debug) return { id: readAnonymousId(files.id) ?? random.uuid(), created: false };
  const user = loadOrCreateAnonymousId(files.id);
  if (user.created) printNotice(formatFirstRunNotice(files.dir));
  return user;
}

/**
 * The project id without running git: a cached id, or a local placeholder (`local:<key>`, never
 * a path) that the uploader resolves and replaces before sending. Debug mode alone runs git.
 */
function resolveProjectId({ files, debug }: SessionInput, root: string | null): string | null {
  if (root === null) return null;
  const key = repoKey(root);
  const cached = readCachedProjectId(files.dir, key);
  if (cached !== undefined) return cached;
  // Debug mode shows the line as it would be sent, so it resolves now, and caches nothing.
  if (debug) return resolveProjectIdNow(root);
  rememberRepoToResolve(files.dir, key, root);
  return `${PROJECT_PLACEHOLDER_PREFIX}${key}`;
}

export const PROJECT_PLACEHOLDER_PREFIX = "local:";

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return "/"; // The working directory was deleted under us.
  }
}
