import { join, resolve } from "node:path";
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
  return {
    dir,
    spool: join(dir, "spool.ndjson"),
    id: join(dir, "id"),
    choice: join(dir, "config.json"),
    state: join(dir, "state.json"),
    drops: join(dir, "drops.ndjson"),
    ledger: join(dir, "done.ids"),
    lockTarget: join(dir, "uploader"),
    lock: join(dir, "uploader.lock"),
    started: join(dir, "uploader.started"),
    log: join(dir, "uploader.log"),
    projects: join(dir, "projects"),
    codeCache: join(dir, CODE_CACHE_NAME),
  };
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
