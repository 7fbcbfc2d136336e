import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeRemoteUrl } from "../src/identity/remote-url.js";

const SAME_REPO = [
  "git@github.com:org/repo.git",
  "git@github.com:org/repo",
  "https://user:token@github.com/org/repo",
  "ssh://git@github.com:22/org/repo",
  "ssh://git@ssh.github.com:443/org/repo.git",
  "git+ssh://git@github.com/org/repo.git",
  "https://x-access-token:ghs_abc123@github.com/org/repo.git",
  "git://github.com/org/repo",
  "HTTPS://GitHub.com/Org/Repo.git",
  "https://github.com/org/repo/",
  "https://github.com//org//repo.git//",
  "https://github.com./org/repo?ref=main#readme",
  "  https://github.com/org/repo.git\n",
  "persistent-https::https://github.com/org/repo",
  "[git@github.com:22]:org/repo.git",
  "user:pass@github.com:org/repo.git",
  "https://www.github.com/org/repo",
  "git@WWW.github.com:org/repo.git",
];

void test("spellings of one GitHub repository normalize to host/org/repo", () => {
  for (const url of SAME_REPO) assert.equal(normalizeRemoteUrl(url), "github.com/org/repo", url);
});

const CASES: [string, string | null][] = [
  ["https://gitlab-ci-token:xyz@gitlab.com/org/repo.git/", "gitlab.com/org/repo"],
  ["https://gitlab.com/group/sub/group/repo.git", "gitlab.com/group/sub/group/repo"],
  ["git@gitlab.example.com:2222/org/repo", "gitlab.example.com/2222/org/repo"],
  ["ssh://git@[::1]:2222/org/repo.git", "::1/org/repo"],
  ["git@[::1]:org/repo.git", "::1/org/repo"],
  ["https://dev.azure.com/org/project/_git/repo", "dev.azure.com/org/project/_git/repo"],
  ["https://host/org/my%20repo.git", "host/org/my repo"],
  ["host:org/my repo.git", "host/org/my repo"],
  ["git@host:/srv/git/repo.git", "host/srv/git/repo"],
  ["ssh://git@host/srv/git/repo.git", "host/srv/git/repo"],
  ["https://user:p/ss@host/org/repo", "host/org/repo"],
  // Only a `www.` label in front of a registrable name goes.
  ["https://www.example.co/org/repo", "example.co/org/repo"],
  ["https://www.internal/org/repo", "www.internal/org/repo"],
  // Not a network repository, or not parseable: no identity.
  ["/home/someone/src/repo", null],
  ["../repo.git", null],
  ["./repo", null],
  ["~/src/repo", null],
  ["repo", null],
  ["file:///home/someone/repo.git", null],
  ["FILE://localhost/srv/repo", null],
  ["C:\\Users\\someone\\repo", null],
  ["C:/Users/someone/repo", null],
  ["\\\\server\\share\\repo", null],
  ["codecommit::us-east-1://repo", null],
  ["https://github.com", null],
  ["https://github.com/", null],
  ["https://github.com/.git", null],
  ["git@github.com:", null],
  ["", null],
  ["   ", null],
  ["https://github.com/org/re\u0000po", null],
];

void test("normalization table", () => {
  for (const [url, expected] of CASES) assert.equal(normalizeRemoteUrl(url), expected, url);
});

void test("credentials never appear in the output", () => {
  const secrets = ["token", "ghs_abc123", "xyz", "pass", "p/ss", "user", "gitlab-ci-token"];
  for (const url of [...SAME_REPO, ...CASES.map(([url]) => url)]) {
    const out = normalizeRemoteUrl(url) ?? "";
    for (const secret of secrets) assert.ok(!out.includes(secret), `${secret} leaked from ${url}`);
  }
});

void test("never throws on odd input", () => {
  for (const url of ["%%%", "https://%zz@host/%zz", "[", "[x]:", "a@b@c:d", ":", "::", "://x/y"]) {
    assert.doesNotThrow(() => normalizeRemoteUrl(url), url);
  }
});
