import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { sha256Hex } from "../src/identity/hash.js";
import { readCachedProjectId, rememberRepoToResolve } from "../src/identity/project-cache.js";
import { resolvePendingProject } from "../src/identity/project-resolve.js";
import { resolveProjectId } from "../src/identity/project-id.js";
import { findRepoRoot, repoKey } from "../src/identity/repo-root.js";
import { makeTempDir, waitFor } from "./helpers/temp.js";

// Tests must not depend on the machine's git configuration, and neither may the code under test.
const HERMETIC = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
const GIT_FLAGS = ["-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"];
const IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.com"];

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, ...HERMETIC };
  return execFileSync("git", [...GIT_FLAGS, ...IDENTITY, ...args], {
    cwd,
    env,
    encoding: "utf8",
  }).trim();
}

function commit(repo: string, name: string): void {
  writeFileSync(join(repo, name), name);
  git(repo, "add", name);
  git(repo, "commit", "-q", "-m", name);
}

function makeRepo(t: TestContext, commits = 2, prefix = "file"): string {
  const repo = makeTempDir(t);
  git(repo, "init", "-q");
  for (let i = 0; i < commits; i++) commit(repo, `${prefix}${i}.txt`);
  return repo;
}

function shallowClone(t: TestContext, source: string, origin: string): string {
  const clone = join(makeTempDir(t), "clone");
  git(source, "clone", "-q", "--depth", "1", `file://${source}`, clone);
  git(clone, "remote", "set-url", "origin", origin);
  return clone;
}

const resolveHermetic = (root: string, env: Record<string, string> = {}, timeoutMs?: number) =>
  resolveProjectId(root, { env: { ...HERMETIC, ...env }, timeoutMs });

void test("project id is the salted hash of the root commit, never the commit itself", async (t) => {
  const repo = makeRepo(t);
  const root = git(repo, "rev-list", "--max-parents=0", "HEAD");
  const id = await resolveHermetic(repo);
  assert.equal(id, sha256Hex("alchemy-project:" + root));
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.notEqual(id, root);
});

void test("a full clone shares the id; merged histories pick the smallest root", async (t) => {
  const repo = makeRepo(t);
  const clone = join(makeTempDir(t), "clone");
  git(repo, "clone", "-q", `file://${repo}`, clone);
  assert.equal(await resolveHermetic(clone), await resolveHermetic(repo));
  git(repo, "checkout", "-q", "--orphan", "other");
  commit(repo, "other.txt");
  git(repo, "checkout", "-q", "main");
  git(repo, "merge", "-q", "--allow-unrelated-histories", "-m", "merge", "other");
  const roots = git(repo, "rev-list", "--max-parents=0", "HEAD").split("\n").sort();
  const [smallest = "", largest] = roots;
  assert.ok(largest !== undefined && smallest < largest);
  assert.equal(await resolveHermetic(repo), sha256Hex("alchemy-project:" + smallest));
});

void test("shallow clones use the normalized origin, never the boundary commit", async (t) => {
  const source = makeRepo(t, 3);
  const a = shallowClone(t, source, "https://ci-token:s3cret@GitHub.com/Org/Repo.git");
  const b = shallowClone(t, source, "git@github.com:org/repo");
  assert.ok(existsSync(join(a, ".git", "shallow")));
  const expected = sha256Hex("alchemy-remote:github.com/org/repo");
  assert.equal(await resolveHermetic(a), expected);
  assert.equal(await resolveHermetic(b), expected);
  // A git too old for --is-shallow-repository echoes the flag; the shallow file still decides.
  const bin = makeTempDir(t);
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  const oldGit = `#!/bin/sh\nfor a; do shift; [ "$a" = --is-shallow-repository ] && a=--old; set -- "$@" "$a"; done\nexec '${realGit}' "$@"\n`;
  writeFileSync(join(bin, "git"), oldGit, { mode: 0o755 });
  const path = `${bin}:${process.env.PATH ?? ""}`;
  assert.equal(await resolveHermetic(a, { PATH: path }), expected);
  assert.equal(await resolveHermetic(shallowClone(t, source, "/srv/some/path")), null);
  git(b, "remote", "remove", "origin");
  assert.equal(await resolveHermetic(b), null);
});

void test("no repository, no commits, a corrupt HEAD or a missing git all give null", async (t) => {
  assert.equal(await resolveHermetic(makeTempDir(t)), null);
  const empty = makeTempDir(t);
  git(empty, "init", "-q");
  assert.equal(await resolveHermetic(empty), null);
  const broken = makeRepo(t);
  writeFileSync(join(broken, ".git", "HEAD"), "garbage\n");
  assert.equal(await resolveHermetic(broken), null);
  assert.equal(await resolveHermetic(makeRepo(t), { PATH: makeTempDir(t) }), null);
  assert.equal(await resolveHermetic(join(makeTempDir(t), "gone")), null);
});

void test("an inherited GIT_DIR does not redirect git to another repository", async (t) => {
  const repo = makeRepo(t);
  const other = makeRepo(t, 1, "other");
  const own = await resolveHermetic(repo);
  assert.equal(await resolveHermetic(repo, { GIT_DIR: join(other, ".git") }), own);
  assert.notEqual(await resolveHermetic(other), own);
});

void test("a hung git is killed with its children and costs only the timeout", async (t) => {
  const bin = makeTempDir(t);
  const pidFile = join(bin, "child.pid");
  writeFileSync(join(bin, "git"), `#!/bin/sh\nsleep 60 &\necho $! > '${pidFile}'\nwait\n`);
  chmodSync(join(bin, "git"), 0o755);
  const started = Date.now();
  const id = await resolveHermetic(makeRepo(t), { PATH: `${bin}:${process.env.PATH ?? ""}` }, 300);
  assert.equal(id, null);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  const pid = readFileSync(pidFile, "utf8").trim();
  // Killed means gone or a zombie awaiting its reaper; /proc is only there on Linux.
  if (existsSync("/proc")) {
    await waitFor(() => !existsSync(`/proc/${pid}`) || / Z /.test(readStat(pid)), {
      what: `sleep ${pid} to be killed`,
    });
  }
});

function readStat(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return " Z ";
  }
}

void test("repo root walk: nested directory, .git file, no repository, odd ports", async (t) => {
  const repo = makeRepo(t);
  const nested = join(repo, "a", "b", "c");
  mkdirSync(nested, { recursive: true });
  assert.equal(findRepoRoot(nested), repo);
  assert.equal(findRepoRoot(repo), repo);
  const worktree = join(makeTempDir(t), "wt");
  git(repo, "worktree", "add", "-q", worktree);
  assert.ok(statSync(join(worktree, ".git")).isFile());
  assert.equal(findRepoRoot(join(worktree)), worktree);
  assert.equal(await resolveHermetic(worktree), await resolveHermetic(repo));
  assert.equal(findRepoRoot(makeTempDir(t)), null);
  let calls = 0;
  const counting = { statSync: () => (calls++, undefined) };
  assert.equal(findRepoRoot("/x/y/z", counting), null);
  assert.equal(calls, 4);
  const throwing = {
    statSync: (): never => {
      throw new Error("EACCES");
    },
  };
  assert.equal(findRepoRoot("/x", throwing), null);
  assert.match(repoKey(repo), /^[0-9a-f]{16}$/);
  assert.equal(repoKey(repo), repoKey(repo));
});

void test("cache: path kept only until resolved, git run once per repository", async (t) => {
  const repo = makeRepo(t);
  const dir = join(makeTempDir(t), "telemetry");
  const key = repoKey(repo);
  const file = join(dir, "projects", `${key}.json`);
  assert.equal(readCachedProjectId(dir, key), undefined);
  rememberRepoToResolve(dir, key, repo);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { root: repo });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, "projects")).mode & 0o777, 0o700);
  assert.equal(readCachedProjectId(dir, key), undefined);
  let calls = 0;
  const counted = (root: string) => {
    calls++;
    return resolveHermetic(root);
  };
  const id = await resolvePendingProject(dir, key, counted);
  assert.equal(id, await resolveHermetic(repo));
  assert.ok(!readFileSync(file, "utf8").includes(repo), "path dropped once resolved");
  rememberRepoToResolve(dir, key, repo);
  assert.equal(readCachedProjectId(dir, key), id);
  assert.equal(await resolvePendingProject(dir, key, counted), id);
  assert.equal(await resolvePendingProject(dir, key), id);
  assert.equal(calls, 1);
});

void test("cache: missing, corrupt and stale-null entries", async (t) => {
  const repo = makeRepo(t);
  const dir = makeTempDir(t);
  const key = repoKey(repo);
  const file = join(dir, "projects", `${key}.json`);
  assert.equal(await resolvePendingProject(dir, key), null);
  for (const junk of ["{", "[]", '{"root":"relative"}', '{"projectId":"ABC","resolvedAt":"x"}']) {
    mkdirSync(join(dir, "projects"), { recursive: true });
    writeFileSync(file, junk);
    assert.equal(readCachedProjectId(dir, key), undefined, junk);
    assert.equal(await resolvePendingProject(dir, key, () => Promise.reject(new Error())), null);
    assert.ok(!existsSync(file), "a corrupt entry is removed for the host to register again");
  }
  const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
  writeFileSync(file, JSON.stringify({ projectId: null, resolvedAt: old }));
  assert.equal(readCachedProjectId(dir, key), undefined, "a day-old null is retried");
  rememberRepoToResolve(dir, key, repo);
  // The default resolver (loaded lazily) sees the process environment: keep it hermetic too.
  const saved = { ...process.env };
  t.after(() => (process.env = saved));
  Object.assign(process.env, HERMETIC);
  assert.equal(await resolvePendingProject(dir, key), await resolveHermetic(repo));
  writeFileSync(join(dir, "blocker"), "");
  assert.doesNotThrow(() => {
    rememberRepoToResolve(join(dir, "blocker", "x"), key, repo);
  });
  assert.equal(readCachedProjectId(dir, "../../etc/passwd"), undefined);
});
