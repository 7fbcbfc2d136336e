import { posix, win32 } from "node:path";
import { explicitTelemetryDir } from "../config/paths.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The telemetry directory as resolveTelemetryDir finds it, from the environment alone: the
 * module-sync entry looks there for the code cache before any host code runs. Asking env-paths,
 * as the host code does, cost the entry 0.5 ms more on every start: it is compiled there
 * without a cache, and path.join runs cold. This follows env-paths' rule for `config` (name
 * "alchemy", no suffix); test/code-cache.test.ts holds the two together. Undefined where the
 * rule needs more than the environment (no home directory in it): no cache then. A wrong answer
 * costs speed only: the host saves the cache into its own directory alone (save.ts), and a
 * cache read from anywhere is checked before use (cache-file.ts).
 */
export function cacheDirFromEnv(env: Env, platform = process.platform): string | undefined {
  const explicit = explicitTelemetryDir(env);
  if (explicit !== undefined) return explicit;
  if (platform === "win32") {
    const home = env.USERPROFILE;
    const appData = env.APPDATA || (home ? win32.join(home, "AppData", "Roaming") : undefined);
    return appData ? win32.join(appData, "alchemy", "Config", "telemetry") : undefined;
  }
  // os.homedir() is HOME wherever HOME is set; without it, it reads the user database.
  const home = env.HOME;
  if (!home) return undefined;
  const config =
    platform === "darwin"
      ? posix.join(home, "Library", "Preferences")
      : env.XDG_CONFIG_HOME || posix.join(home, ".config");
  return posix.join(config, "alchemy", "telemetry");
}
