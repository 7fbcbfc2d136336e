import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createRedactor } from "../src/event/redact.js";
import { readRepoNames } from "../src/event/repo-names.js";
import { makeTempDir } from "./helpers/temp.js";

const CONFIG = `[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = https://ci-bot:ghp_notARealTokenButLongEnough1234@github.com/Globex-SecretCo/payroll-engine.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[remote "mirror"]
\turl = ssh://git@git.globex-secretco.example:2222/team/payroll.git
\tpushurl = "git@github.com:globex-secretco/payroll-engine-mirror.git"
`;

/** A repository as git leaves it on disk (no git needed): `<root>/.git/config`. */
function repoWithConfig(root: string, config = CONFIG): string {
  mkdirSync(join(root, ".git"), { recursive: true });
  writeFileSync(join(root, ".git", "config"), config);
  return root;
}

test("the names come from every url and pushurl of the repository's config", (t) => {
  const root = repoWithConfig(makeTempDir(t));
  assert.deepEqual(readRepoNames(root), {
    paths: [
      "globex-secretco/payroll-engine",
      "team/payroll",
      "globex-secretco/payroll-engine-mirror",
    ],
    privateHosts: ["git.globex-secretco.example"],
  });
});

test("the repository's names are redacted wherever a message spells them", (t) => {
  const root = repoWithConfig(makeTempDir(t));
  const redact = createRedactor({ cwd: join(root, "packages", "infra"), repoRoot: root });
  const cases: [string, string][] = [
    [
      "fatal: repository 'https://github.com/globex-secretco/payroll-engine/' not found",
      "fatal: repository 'https://github.com/[REDACTED:repo]/' not found",
    ],
    [
      "To https://github.com/Globex-SecretCo/Payroll-Engine",
      "To https://github.com/[REDACTED:repo]",
    ],
    ["To github.com:globex-secretco/payroll-engine.git", "To github.com:[REDACTED:repo].git"],
    [
      "GraphQL: Could not resolve to a Repository with the name 'globex-secretco/payroll-engine'.",
      "GraphQL: Could not resolve to a Repository with the name '[REDACTED:repo]'.",
    ],
    [
      "pushing to globex-secretco/payroll-engine-mirror failed",
      "pushing to [REDACTED:repo] failed",
    ],
    [
      "Could not resolve host: git.globex-secretco.example",
      "Could not resolve host: [REDACTED:host]",
    ],
    [
      "ssh: connect to host git.globex-secretco.example port 2222",
      "ssh: connect to host [REDACTED:host] port 2222",
    ],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

test("other repositories, public forges and look-alike names stay", (t) => {
  const root = repoWithConfig(makeTempDir(t));
  const redact = createRedactor({ cwd: root, repoRoot: root });
  for (const text of [
    "see https://github.com/nodejs/node/issues/1",
    "fetching from github.com",
    "globex-secretco/payroll-engine2 is another repository",
    "team/payrolls",
    "cloudflare::Worker",
  ]) {
    assert.equal(redact(text), text);
  }
});

test("a worktree's .git file leads to the common config", (t) => {
  const dir = makeTempDir(t);
  const main = repoWithConfig(join(dir, "main"));
  const gitDir = join(main, ".git", "worktrees", "feature");
  mkdirSync(gitDir, { recursive: true });
  writeFileSync(join(gitDir, "commondir"), "../..\n");
  const worktree = join(dir, "feature");
  mkdirSync(worktree);
  writeFileSync(join(worktree, ".git"), `gitdir: ${gitDir}\n`);
  assert.deepEqual(readRepoNames(worktree).privateHosts, ["git.globex-secretco.example"]);
  const redact = createRedactor({ cwd: worktree, repoRoot: worktree });
  assert.equal(redact("team/payroll: denied"), "[REDACTED:repo]: denied");
});

test("no repository, no config, an odd .git or no remotes: no names, no error", (t) => {
  const dir = makeTempDir(t);
  assert.deepEqual(readRepoNames(undefined), { paths: [], privateHosts: [] });
  assert.deepEqual(readRepoNames(join(dir, "missing")), { paths: [], privateHosts: [] });
  mkdirSync(join(dir, "no-config", ".git"), { recursive: true });
  assert.deepEqual(readRepoNames(join(dir, "no-config")), { paths: [], privateHosts: [] });
  mkdirSync(join(dir, "bad-file"));
  writeFileSync(join(dir, "bad-file", ".git"), "not a gitdir line\n");
  assert.deepEqual(readRepoNames(join(dir, "bad-file")), { paths: [], privateHosts: [] });
  const local = repoWithConfig(join(dir, "local"), '[remote "o"]\n\turl = /srv/git/repo.git\n');
  assert.deepEqual(readRepoNames(local), { paths: [], privateHosts: [] });
  const redact = createRedactor({ cwd: local, repoRoot: local });
  assert.equal(redact("srv/git/repo: fine"), "srv/git/repo: fine");
});
