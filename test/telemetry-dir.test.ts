import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, posix, win32 } from "node:path";
import { test } from "node:test";
import { fileIn, telemetryFiles } from "../src/config/paths.js";

// The telemetry directory comes from env-paths' rule where the environment holds the answer
// (config/default-dir.ts), and from env-paths itself where it does not. Each case runs in its
// own process, because env-paths reads the environment and the home directory once, at import.
const ENV_PATHS = import.meta.resolve("env-paths");
const PATHS = new URL("../src/config/paths.js", import.meta.url).href;

interface Answers {
  readonly envPaths: string;
  readonly ours: string;
}

function answers(
  env: Record<string, string>,
  { platform, hostEnv }: { platform?: NodeJS.Platform; hostEnv?: Record<string, string> } = {},
): Answers {
  const script = [
    platform ? `Object.defineProperty(process, "platform", { value: "${platform}" });` : "",
    `const { default: envPaths } = await import(${JSON.stringify(ENV_PATHS)});`,
    `const { resolveTelemetryDir } = await import(${JSON.stringify(PATHS)});`,
    `const { join } = await import("node:path");`,
    `let envPathsDir;`,
    `try { envPathsDir = join(envPaths("alchemy", { suffix: "" }).config, "telemetry"); }`,
    `catch { envPathsDir = "(throws)"; }`,
    `const hostEnv = ${hostEnv ? JSON.stringify(hostEnv) : "process.env"};`,
    `const ours = resolveTelemetryDir(hostEnv) ?? "(none)";`,
    `process.stdout.write(JSON.stringify({ envPaths: envPathsDir, ours }));`,
  ].join("\n");
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env,
    encoding: "utf8",
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Answers;
}

const HOME = { HOME: "/home/ada" };

test("the directory is env-paths' own on POSIX, with or without XDG_CONFIG_HOME", () => {
  const cases: Record<string, string>[] = [
    HOME,
    { HOME: "/home/ada/" },
    { ...HOME, XDG_CONFIG_HOME: "/xdg" },
    { ...HOME, XDG_CONFIG_HOME: "" },
    { ...HOME, XDG_CONFIG_HOME: "relative/config" },
    // The environment alone cannot say: env-paths asks the user database.
    { HOME: "" },
    {},
  ];
  for (const env of cases) {
    const { envPaths, ours } = answers(env);
    assert.equal(ours, envPaths, JSON.stringify(env));
  }
  // Not a vacuous match: the rule's answer for a plain HOME is the expected path.
  assert.equal(answers(HOME).ours, "/home/ada/.config/alchemy/telemetry");
});

test("on macOS it is env-paths' Preferences directory, whatever XDG_CONFIG_HOME says", () => {
  for (const env of [HOME, { ...HOME, XDG_CONFIG_HOME: "/xdg" }]) {
    const { envPaths, ours } = answers(env, { platform: "darwin" });
    assert.equal(ours, envPaths, JSON.stringify(env));
    assert.equal(ours, "/home/ada/Library/Preferences/alchemy/telemetry");
  }
});

test("the host's env option names the directory only through ALCHEMY_TELEMETRY_DIR", () => {
  // env-paths looks at the process's environment, and so does its rule here.
  const elsewhere = { HOME: "/home/bob", XDG_CONFIG_HOME: "/xdg-bob" };
  const { envPaths, ours } = answers(HOME, { hostEnv: elsewhere });
  assert.equal(envPaths, "/home/ada/.config/alchemy/telemetry");
  assert.equal(ours, envPaths);
  const named = answers(HOME, { hostEnv: { ...elsewhere, ALCHEMY_TELEMETRY_DIR: "/srv/t" } });
  assert.equal(named.ours, "/srv/t");
});

test("the files' paths are join()'s, on POSIX and Windows, for any directory", () => {
  const dirs = [
    ...["/a/b", "/a/b/", "/", "//a", "/a//b/./c/..", "/a/b/..", "/..", "/a/ b", "/tmp/ü"],
    ...["C:\\a\\b", "C:\\a\\b\\", "C:\\", "\\\\server\\share", "\\\\server\\share\\", "C:/a/b"],
    ...[".", "", "a", "a/", "./a", "../a", "a/..", "C:", "C:a", "a\\.."], // Relative: join itself.
  ];
  for (const api of [posix, win32]) {
    for (const dir of dirs) {
      for (const name of ["id", "spool.ndjson", "uploader.lock"]) {
        assert.equal(fileIn(dir, api)(name), api.join(dir, name), `${dir} + ${name}`);
      }
    }
  }
  const dir = "/home/u/.config/alchemy/telemetry/";
  assert.equal(telemetryFiles(dir).spool, join(dir, "spool.ndjson"));
});
