import { posix, win32 } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `<env-paths config directory for "alchemy", no suffix>/telemetry`, from the environment alone:
 * env-paths' rule, which test/telemetry-dir.test.ts holds against env-paths itself. Loading and
 * asking env-paths cost a host 0.2-0.3 ms (and the module-sync entry, compiled without a cache,
 * 0.5 ms). Undefined where the rule needs more than the environment (no home directory in it):
 * env-paths then reads the user database, and its answer is the one to take.
 */
export function defaultTelemetryDirFromEnv(
  env: Env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform === "win32") {
    const home = env.USERPROFILE;
    const appData = env.APPDATA || (home ? win32.join(home, "AppData", "Roaming") : undefined);
    return appData ? win32.join(appData, "alchemy", "Config", "telemetry") : undefined;
  }
  // os.homedir(), which env-paths asks, is HOME wherever HOME is set.
  const home = env.HOME;
  if (!home) return undefined;
  const config =
    platform === "darwin"
      ? posix.join(home, "Library", "Preferences")
      : env.XDG_CONFIG_HOME || posix.join(home, ".config");
  return posix.join(config, "alchemy", "telemetry");
}
