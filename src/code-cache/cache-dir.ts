import { defaultTelemetryDirFromEnv } from "../config/default-dir.js";
import { explicitTelemetryDir } from "../config/paths.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The telemetry directory as resolveTelemetryDir finds it, from the environment alone: the
 * module-sync entry looks there for the code cache before any host code runs. Undefined where
 * that takes more than the environment (no home directory in it): no cache then. A wrong answer
 * costs speed only: the host saves the cache into its own directory alone (save.ts), and a cache
 * read from anywhere is checked before use (cache-file.ts).
 */
export function cacheDirFromEnv(env: Env, platform = process.platform): string | undefined {
  return explicitTelemetryDir(env) ?? defaultTelemetryDirFromEnv(env, platform);
}
