// Q: can this be traced back to me? A: no more than to the repository: only a salted SHA-256 of
// its root commit (or of its credential-free origin host/path for shallow clones) comes out,
// never a raw hash, URL or path. Uploader side only: it runs git, which the host never does.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { execa } from "execa";
import { sha256Hex } from "./hash.js";
import { normalizeRemoteUrl } from "./remote-url.js";

export interface ResolveProjectOptions {
  /** Per git call; a hung git costs at most this much (plus a kill), never the uploader's life. */
  timeoutMs?: number;
  /** Merged over the process environment (tests point PATH elsewhere). */
  env?: Record<string, string | undefined>;
}

const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The anonymous project id of the repository at `repoRoot`, or null when there is none (not a
 * repository, no commits, shallow without origin, git missing, broken or hung). Never throws.
 * With several root commits (merged histories) the lexicographically smallest is used, so every
 * clone picks the same one whatever order git walks in.
 */
export async function resolveProjectId(
  repoRoot: string,
  options: ResolveProjectOptions = {},
): Promise<string | null> {
  try {
    const git = (args: string[]) => runGit(repoRoot, args, options);
    const probe = await git(["rev-parse", "--is-shallow-repository", "--git-path", "shallow"]);
    if (probe === null) return null;
    const [shallowFlag, shallowPath] = probe.split("\n");
    // A git too old for the flag echoes it back; the shallow file itself is the ground truth.
    const shallowFile = shallowPath ? resolve(repoRoot, shallowPath) : null;
    if (shallowFlag === "true" || (shallowFile !== null && existsSync(shallowFile))) {
      const remote = normalizeRemoteUrl(
        (await git(["config", "--get", "remote.origin.url"])) ?? "",
      );
      return remote === null ? null : sha256Hex("alchemy-remote:" + remote);
    }
    const roots = await git(["rev-list", "--max-parents=0", "HEAD", "--"]);
    const root = pickRoot(roots ?? "");
    return root === null ? null : sha256Hex("alchemy-project:" + root);
  } catch {
    // Whatever went wrong, the event is still worth sending without a project id.
    return null;
  }
}

/** The smallest well-formed commit id in rev-list output. */
function pickRoot(output: string): string | null {
  const ids = output.split("\n").filter((line) => COMMIT_ID.test(line));
  return ids.sort()[0] ?? null;
}

/** stdout of a git command, trimmed; null on any failure, non-zero exit or timeout. */
async function runGit(
  cwd: string,
  args: string[],
  { timeoutMs = 5000, env = {} }: ResolveProjectOptions,
): Promise<string | null> {
  const posix = process.platform !== "win32";
  const subprocess = execa("git", ["-c", "core.fsmonitor=false", ...args], {
    cwd,
    env: { ...env, ...gitEnv(cwd) },
    extendEnv: true,
    stdin: "ignore",
    stderr: "ignore",
    reject: false,
    timeout: timeoutMs,
    forceKillAfterDelay: 1000,
    maxBuffer: 1_000_000,
    windowsHide: true,
    // Its own process group, so a timeout also kills whatever a hung git started.
    detached: posix,
  });
  // execa waits for stdout to close, which a surviving grandchild would hold open.
  const timer = setTimeout(() => {
    if (posix && subprocess.pid !== undefined) killGroup(subprocess.pid);
    subprocess.stdout.destroy();
  }, timeoutMs);
  try {
    const result = await subprocess;
    if (result.failed || result.exitCode !== 0 || typeof result.stdout !== "string") return null;
    return result.stdout.trim();
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a whole process group, ignoring one that is already gone. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: everything in the group has already exited.
  }
}

/** An environment in which git never prompts, pages, locks, fetches or looks past `cwd`. */
function gitEnv(cwd: string): Record<string, string | undefined> {
  return {
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GCM_INTERACTIVE: "never",
    GIT_PAGER: "cat",
    PAGER: "cat",
    LC_ALL: "C",
    // Partial clones must not fetch missing objects over the network.
    GIT_NO_LAZY_FETCH: "1",
    // Replace refs are local and not cloned; honoring them would split one project in two.
    GIT_NO_REPLACE_OBJECTS: "1",
    // The repository is the one the host found at cwd, not a parent or an inherited GIT_DIR.
    GIT_CEILING_DIRECTORIES: dirname(resolve(cwd)),
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_COMMON_DIR: undefined,
    GIT_INDEX_FILE: undefined,
    GIT_OBJECT_DIRECTORY: undefined,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
    GIT_NAMESPACE: undefined,
  };
}
