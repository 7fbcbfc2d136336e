// Q: can this be traced back to me? A: not through the repository you work in: its name as its
// remotes spell it (`org/repo`) and a company's own git host are replaced wherever they stand
// (`fatal: repository 'https://github.com/[REDACTED:repo]/' not found`, `Could not resolve host:
// [REDACTED:host]`). The names come from the repository's own config file, read once and only
// when a text could hold them; git is never run on the host's path.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { normalizeRemoteUrl } from "../identity/remote-url.js";
import { caseless } from "./regex-source.js";
import { isPublicForge } from "./remote-patterns.js";
import type { RedactionRule } from "./rule.js";
import { DOT, SLASH, type Gate } from "./text-features.js";

/** A config file is a few hundred bytes; a huge one is read no further than this. */
const MAX_CONFIG_BYTES = 64 * 1024;

/** Texts that can hold `org/repo` or a host name. */
export const REPO_GATE: Gate = { needs: SLASH | DOT, minLength: 3 };

export interface RepoNames {
  /** `org/repo` (lowercase, without `.git`), as every remote of the repository names it. */
  readonly paths: readonly string[];
  /** The remotes' hosts that are not public forges (a company's own git server). */
  readonly privateHosts: readonly string[];
}

/** What the repository at `root` calls itself in its remotes; empty when anything is odd. */
export function readRepoNames(root: string | undefined): RepoNames {
  const paths = new Set<string>();
  const privateHosts = new Set<string>();
  const config = root === undefined ? undefined : attempt(() => readConfig(root));
  for (const url of config === undefined ? [] : remoteUrls(config)) {
    const remote = normalizeRemoteUrl(url);
    if (remote === null) continue;
    const slash = remote.indexOf("/");
    const host = remote.slice(0, slash);
    paths.add(remote.slice(slash + 1));
    if (!isPublicForge(host)) privateHosts.add(host);
  }
  return { paths: [...paths], privateHosts: [...privateHosts] };
}

/** Rules for the names, longest first so that `org/repo-api` goes before `org/repo`. */
export function buildRepoRules({ paths, privateHosts }: RepoNames): RedactionRule[] {
  const byLength = (a: string, b: string) => b.length - a.length;
  return [
    ...[...paths].sort(byLength).map((path): RedactionRule => ({
      label: "repo",
      gate: { needs: SLASH, minLength: path.length },
      hint: (text) => text.toLowerCase().includes(path),
      source: () => String.raw`(?<![\w.-])${caseless(path)}(?:\.git)?(?![\w-])`,
      replace: (match) =>
        match.toLowerCase().endsWith(".git") ? "[REDACTED:repo].git" : "[REDACTED:repo]",
    })),
    ...[...privateHosts].sort(byLength).map((host): RedactionRule => ({
      label: "host",
      gate: { needs: DOT, minLength: host.length },
      hint: (text) => text.toLowerCase().includes(host),
      source: () => String.raw`(?<![\w.-])${caseless(host)}(?![\w-]|\.[\w-])`,
    })),
  ];
}

/** The `url =` and `pushurl =` values of a git config file. */
function remoteUrls(config: string): string[] {
  const urls: string[] = [];
  for (const match of config.matchAll(/^[ \t]*(?:url|pushurl)[ \t]*=[ \t]*(.*?)[ \t]*$/gim)) {
    const value = (match[1] ?? "").replace(/^"(.*)"$/, "$1");
    if (value !== "") urls.push(value);
  }
  return urls;
}

/**
 * `<root>/.git/config`; for a worktree or submodule, `.git` is a file naming the git directory,
 * whose `commondir` (a worktree's) names the directory that holds the config.
 */
function readConfig(root: string): string | undefined {
  const dotGit = join(root, ".git");
  const stats = statSync(dotGit, { throwIfNoEntry: false });
  if (stats?.isDirectory()) return readSmall(join(dotGit, "config"));
  if (!stats?.isFile()) return undefined;
  const gitDirLine = /^gitdir:[ \t]*(.+?)[ \t]*$/m.exec(readSmall(dotGit) ?? "")?.[1];
  if (gitDirLine === undefined) return undefined;
  const gitDir = resolve(root, gitDirLine);
  const commonDir = readSmall(join(gitDir, "commondir"))?.trim();
  return readSmall(join(commonDir ? resolve(gitDir, commonDir) : gitDir, "config"));
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // A .git that cannot be read (permissions, a loop of links): no names.
  }
}

function readSmall(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES);
    const length = readSync(fd, buffer, 0, MAX_CONFIG_BYTES, 0);
    return buffer.subarray(0, length).toString("utf8");
  } catch {
    return undefined; // No such file, a directory, no permission: no names from it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
