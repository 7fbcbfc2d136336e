import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import { loadEnvPaths } from "../deps.js";
import { defaultTelemetryDirFromEnv } from "./default-dir.js";

export const DEFAULT_ENDPOINT = "https://telemetry.alchemy.run/v1/events";

/** The package's files inside the telemetry directory (SPEC §2.3). */
export interface TelemetryFiles {
  readonly dir: string;
  readonly spool: string;
  readonly id: string;
  readonly choice: string;
  readonly state: string;
  readonly drops: string;
  readonly ledger: string;
  readonly lockTarget: string;
  readonly lock: string;
  readonly started: string;
  readonly log: string;
  readonly projects: string;
  readonly codeCache: string;
}

/** V8's compiled host code (src/code-cache), read at import, before the other names are needed. */
export const CODE_CACHE_NAME = "host-code.cache";

export function telemetryFiles(dir: string): TelemetryFiles {
  const file = fileIn(dir);
  return {
    dir,
    spool: file("spool.ndjson"),
    id: file("id"),
    choice: file("config.json"),
    state: file("state.json"),
    drops: file("drops.ndjson"),
    ledger: file("done.ids"),
    lockTarget: file("uploader"),
    lock: file("uploader.lock"),
    started: file("uploader.started"),
    log: file("uploader.log"),
    projects: file("projects"),
    codeCache: file(CODE_CACHE_NAME),
  };
}

type PathApi = Pick<typeof import("node:path"), "isAbsolute" | "join" | "normalize" | "sep">;

/**
 * `join(dir, name)` for plain names, the directory normalized once: twelve join() calls, run
 * cold, cost an enabled host 0.1 ms. `path` is a port for tests (Windows' rules).
 */
export function fileIn(
  dir: string,
  path: PathApi = { isAbsolute, join, normalize, sep },
): (name: string) => string {
  const base = path.normalize(dir);
  // The telemetry directory is absolute; join's rules for the others ("." or "C:") and for a
  // leading "//" (on Windows, a network share that the name may complete) are its own.
  const twoSlashes = isSlash(dir.charCodeAt(0)) && isSlash(dir.charCodeAt(1));
  if (twoSlashes || !path.isAbsolute(base)) return (name) => path.join(dir, name);
  const prefix = base.endsWith(path.sep) ? base : `${base}${path.sep}`;
  return (name) => `${prefix}${name}`;
}

/** `/` or `\\`, by code: a regular expression would be compiled on the host's path. */
function isSlash(code: number): boolean {
  return code === 0x2f || code === 0x5c;
}

/** `ALCHEMY_TELEMETRY_DIR`, when set. */
export function explicitTelemetryDir(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const explicit = env.ALCHEMY_TELEMETRY_DIR?.trim();
  // Absolute, because the uploader runs with the directory itself as its working directory.
  return explicit ? resolve(explicit) : undefined;
}

/**
 * The telemetry directory: `ALCHEMY_TELEMETRY_DIR`, else `<env-paths config>/telemetry`.
 * Returns undefined when no directory can be found (e.g. no home directory at all), which the
 * host treats like an opt-out. env-paths' answer comes from its rule where the environment
 * holds it (default-dir.ts), and from env-paths itself where it does not. env-paths is loaded
 * lazily and guarded: it reads the home directory when imported, which throws when HOME is
 * unset and the uid has no passwd entry.
 */
export function resolveTelemetryDir(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const explicit = explicitTelemetryDir(env);
  if (explicit !== undefined) return explicit;
  // env-paths reads process.env, not the host's `env` option: so does its rule here.
  const fromEnvironment = defaultTelemetryDirFromEnv(process.env);
  if (fromEnvironment !== undefined) return fromEnvironment;
  try {
    return join(loadEnvPaths()("alchemy", { suffix: "" }).config, "telemetry");
  } catch {
    return undefined; // No usable home directory: telemetry stays off rather than failing.
  }
}

export function resolveEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  return env.ALCHEMY_TELEMETRY_URL?.trim() || DEFAULT_ENDPOINT;
}

/** The endpoint as `status` shows it: without credentials or a query, which may hold secrets. */
export function describeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.href;
  } catch {
    return "(not a URL)";
  }
}
