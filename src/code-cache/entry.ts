// The module-sync entry (dist/src/index.bundle.js, Node 20.19+ and 22.12+). It runs the host
// code (dist/src/host-code.js) with V8's code cache: compiling 69 KB of code and then each
// function the host calls costs a host about 5 ms on every start, and the cache that an earlier
// run left in the telemetry directory takes most of that away. The first enabled run after an
// install or a Node upgrade makes it (see save.ts). When the environment opts out, the directory
// is not even looked at.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";
import { builtinsReachable } from "../builtin.js";
import { isOptedOutByEnv } from "../config/consent.js";
import { CODE_CACHE_NAME } from "../config/paths.js";
import { DISABLED } from "../disabled.js";
import { validateOptions } from "../options.js";
import { cacheDirFromEnv } from "./cache-dir.js";
import { readCodeCache, type CodeCacheRead } from "./cache-file.js";
import { codeCacheName } from "./cache-name.js";
import { HOST_CODE_ID } from "./host-code-id.js";
import type * as HostCode from "./host-code.js";

export { EVENT_NAMES } from "../event/names.js";

/** dist/src/host-code.js is CommonJS-shaped code wrapped in this function by the build. */
type HostCodeWrapper = (module: { exports: unknown }, moduleUrl: string, moduleDir: string) => void;

/**
 * A cache V8 refuses (another Node version or other V8 flags) or made for other code is
 * replaced at most once an hour: a machine that alternates between two of them pays the write
 * rarely, not on every run.
 */
const REPLACE_AFTER_MS = 3_600_000;

function loadHostCode(): typeof HostCode {
  const here = import.meta.dirname;
  const file = join(here, "host-code.js");
  const source = readFileSync(file, "utf8");
  const dir = cacheDirectory();
  // The build's hash of the code, and the file as it is now: a patched file is other code.
  const { size, mtimeMs } = statSync(file);
  const codeId = `${HOST_CODE_ID}-${size}-${Math.trunc(mtimeMs)}`;
  // Named by the process's Node flags, which V8 may refuse a cache over (cache-name.ts).
  const own =
    dir === undefined
      ? undefined
      : join(dir, codeCacheName(process.execArgv, process.env.NODE_OPTIONS));
  const cached = own === undefined ? {} : readCodeCache(own, codeId);
  const data = cached.data ?? sharedCache(dir, own, cached, codeId);
  const script = new Script(source, { filename: file, cachedData: data });
  const module = { exports: {} };
  (script.runInThisContext() as HostCodeWrapper)(module, import.meta.url, here);
  const host = module.exports as typeof HostCode;
  const usable = data !== undefined && script.cachedDataRejected !== true;
  const stale = cached.mtimeMs === undefined || Date.now() - cached.mtimeMs > REPLACE_AFTER_MS;
  if (dir !== undefined && own !== undefined && !usable && stale) {
    host.offerCodeCache({
      dir,
      path: own,
      codeId,
      createData: () => script.createCachedData(),
    });
  }
  return host;
}

/**
 * For a process with flags and no cache of its own yet, the one of a process without: most
 * flags (`--require`, `--import`, `--no-warnings`) are Node's alone, and V8 takes that cache.
 * Only when V8 refuses it does the process make a cache of its own.
 */
function sharedCache(
  dir: string | undefined,
  own: string | undefined,
  cached: CodeCacheRead,
  codeId: string,
): Buffer | undefined {
  if (dir === undefined || own === undefined || cached.mtimeMs !== undefined) return undefined;
  const plain = join(dir, CODE_CACHE_NAME);
  return plain === own ? undefined : readCodeCache(plain, codeId).data;
}

/** The telemetry directory as process.env names it; none when opted out or not on Node's V8. */
function cacheDirectory(): string | undefined {
  if (HOST_CODE_ID === "unbundled") return undefined;
  // Bun and Deno take V8's cache format as V8 makes it, or not at all: not theirs to read.
  if (process.versions.bun !== undefined || process.versions.deno !== undefined) return undefined;
  if (isOptedOutByEnv(process.env)) return undefined;
  return cacheDirFromEnv(process.env);
}

function loadOrUndefined(): typeof HostCode | undefined {
  // A runtime that picks this entry without process.getBuiltinModule gets telemetry off.
  if (!builtinsReachable()) return undefined;
  try {
    return loadHostCode();
  } catch {
    return undefined; // A broken install: the host still runs, as if opted out.
  }
}

const host = loadOrUndefined();

export const createTelemetry: typeof HostCode.createTelemetry =
  host?.createTelemetry ??
  ((options) => {
    validateOptions(options);
    return DISABLED;
  });
