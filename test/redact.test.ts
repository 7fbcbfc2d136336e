import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createRedactor, redactionContextFromProcess } from "../src/event/redact.js";
import { looksRandom } from "../src/event/opaque-token.js";
import { serializeError } from "../src/event/serialize-error.js";
import { capText, redactCapped, redactionWindow, TRUNCATION_MARKER } from "../src/event/text.js";
import { fakeToken } from "./helpers/privacy-corpus.js";
import { readableModule } from "./helpers/readable-copy.js";

// Lone surrogates do not survive a UTF-8 round trip.
const isWellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8") === text;

const alice = createRedactor({
  homeDir: "/home/alice",
  userName: "alice",
  hostName: "alice-laptop.local",
  cwd: "/work/app",
});

describe("paths keep their shape", () => {
  const cases: [string, string][] = [
    ["at main (/home/alice/project/src/index.ts:12:5)", "at main (~/project/src/index.ts:12:5)"],
    [
      "at main (file:///home/alice/project/src/index.ts:12:5)",
      "at main (~/project/src/index.ts:12:5)",
    ],
    ["open '%2Fhome%2Falice%2Fproject'", "open '~%2Fproject'"],
    ["/home/alice", "~"],
    ["/home/alice/", "~/"],
    ["at x (/Users/bob/project/src/index.ts:12:5)", "at x (~/project/src/index.ts:12:5)"],
    ["at x (C:\\Users\\Bob\\project\\src\\index.ts:12:5)", "at x (~\\project\\src\\index.ts:12:5)"],
    ["at x (c:/users/bob/project/src/index.ts:12:5)", "at x (~/project/src/index.ts:12:5)"],
    ["\\\\?\\C:\\Users\\carol\\x", "~\\x"],
    ["file:///C:/Users/dave/x.js:1:2", "~/x.js:1:2"],
    ['{"path":"C:\\\\Users\\\\erin\\\\x"}', '{"path":"~\\\\x"}'],
    ["C%3A%5CUsers%5Cfrank%5Cx", "~%5Cx"],
    ["at main (/work/app/src/index.ts:12:5)", "at main (<cwd>/src/index.ts:12:5)"],
    ["at main (file:///work/app/src/index.ts:12:5)", "at main (<cwd>/src/index.ts:12:5)"],
    ["/work/app2/x.ts", "/work/app2/x.ts"],
    ["/usr/lib/node_modules/x/index.js:1:1", "/usr/lib/node_modules/x/index.js:1:1"],
    // Spellings of other users' homes: escaped or encoded twice, names with spaces, old Windows.
    [String.raw`{"p":"C:\\Users\\erin\\x"}`, String.raw`{"p":"~\\x"}`],
    ["q=%252Fhome%252Fcorvin%252Fx", "q=~%252Fx"],
    ["open /Users/Nadia Brightwater/Library/x", "open ~/Library/x"],
    ["/mnt/c/Users/Nadia Brightwater/x", "~/x"],
    [String.raw`\\wsl$\Debian\home\ravendale\x`, String.raw`~\x`],
    [String.raw`C:\Documents and Settings\quintessa\x`, String.raw`~\x`],
    ["/home/bob and /home/carol/x", "~ and ~/x"],
    // Shared servers and NAS keep homes in `/home2`, `/homes`; other folders are no homes.
    ["at x (/home2/tamsinwolfe/app/a.ts:1:1)", "at x (~/app/a.ts:1:1)"],
    ["open /homes/tamsinwolfe/.npmrc", "open ~/.npmrc"],
    ["%2FHomes%2Ftamsinwolfe%2Fx", "~%2Fx"],
    [
      "/homework/bob/x /home200/bob/x /homepage/bob",
      "/homework/bob/x /home200/bob/x /homepage/bob",
    ],
  ];
  for (const [input, expected] of cases) {
    test(input, () => {
      assert.equal(alice(input), expected);
    });
  }
});

describe("the working directory rule", () => {
  test("a cwd under home is replaced whole, so the project name never appears", () => {
    const redact = createRedactor({ homeDir: "/home/alice", cwd: "/home/alice/secret-proj" });
    assert.equal(redact("/home/alice/secret-proj/src/a.ts:1:2"), "<cwd>/src/a.ts:1:2");
    assert.equal(redact("/home/alice/other/a.ts"), "~/other/a.ts");
  });
  test("a cwd that is home, above home or a root leaves home to the home rule", () => {
    for (const cwd of ["/home/alice", "/home", "/", "C:\\"]) {
      const redact = createRedactor({ homeDir: "/home/alice", cwd });
      assert.equal(redact("/home/alice/a.ts"), "~/a.ts", cwd);
    }
  });
  test("a cwd under home is also found in its `~/` spelling, before the home rule", () => {
    const redact = createRedactor({ homeDir: "/home/alice", cwd: "/home/alice/lumen-app" });
    assert.equal(redact("at f (~/lumen-app/src/x.ts:1:2)"), "at f (<cwd>/src/x.ts:1:2)");
    assert.equal(redact("$HOME/lumen-app/x"), "<cwd>/x");
    // A sibling named after the project still names it.
    assert.equal(redact("~/lumen-app-v2/x"), "~/<cwd>-v2/x");
  });
  test("the cwd only matches where a path starts", () => {
    const redact = createRedactor({ homeDir: "/root", cwd: "/app" });
    assert.equal(redact("at /app/src/index.ts:1:1"), "at <cwd>/src/index.ts:1:1");
    assert.equal(redact("/usr/lib/app/x"), "/usr/lib/app/x");
    assert.equal(
      redact("GET https://api.example.com/app/login 404"),
      "GET https://api.example.com/app/login 404",
    );
    assert.equal(redact("./app/x and ~/app/x"), "./app/x and ~/app/x");
  });
  test("a path is found percent-encoded, as an ES module's file URL prints it", () => {
    const redact = createRedactor({ cwd: "/srv/kunden/m\u00fcller-gmbh-7/infra" });
    assert.equal(
      redact("at boom (file:///srv/kunden/m%C3%BCller-gmbh-7/infra/src/boom.mjs:1:32)"),
      "at boom (<cwd>/src/boom.mjs:1:32)",
    );
    assert.equal(redact("f=%2Fsrv%2Fkunden%2Fm%25C3%25BCller-gmbh-7%2Finfra%2Fa"), "f=<cwd>%2Fa");
    const home = "/home/j\u00f6rgvalde";
    const underHome = createRedactor({
      homeDir: home,
      cwd: `${home}/Projekte/caf\u00e9-no\u00ebl-7`,
    });
    assert.equal(
      underHome("at x (file:///home/j%C3%B6rgvalde/Projekte/caf%C3%A9-no%C3%ABl-7/a.ts:1:1)"),
      "at x (<cwd>/a.ts:1:1)",
    );
    assert.equal(
      underHome("at x (~/Projekte/caf%C3%A9-no%C3%ABl-7/a.ts:1:1)"),
      "at x (<cwd>/a.ts:1:1)",
    );
    assert.equal(underHome("project caf%C3%A9-no%C3%ABl-7"), "project <cwd>");
  });
  test("the repository's root is replaced, and chosen folder names above the cwd", () => {
    const redact = createRedactor({
      cwd: "/srv/clients/globex-secretco/payroll-engine-9/packages/infra",
      repoRoot: "/srv/clients/globex-secretco/payroll-engine-9",
    });
    assert.equal(
      redact("at f (/srv/clients/globex-secretco/payroll-engine-9/packages/core/a.ts:1:1)"),
      "at f (<repo>/packages/core/a.ts:1:1)",
    );
    assert.equal(
      redact("workspace payroll-engine-9 in globex-secretco"),
      "workspace <dir> in <dir>",
    );
    assert.equal(redact("srv clients packages infra"), "srv clients packages infra");
    const dated = createRedactor({ cwd: "/srv/2024/v1.2/shop-api-3" });
    assert.equal(dated("since 2024 at v1.2"), "since 2024 at v1.2");
  });
  test("every given working directory is replaced: the process's and the host's option", () => {
    const redact = createRedactor({ cwd: ["/srv/one-7", "/srv/emberline-x9"] });
    assert.equal(redact("/srv/one-7/a /srv/emberline-x9/b"), "<cwd>/a <cwd>/b");
  });
  test("a distinctive cwd folder name is replaced wherever it stands as a word", () => {
    const redact = createRedactor({ cwd: "/srv/orchid-skunkworks-7" });
    assert.equal(redact("project orchid-skunkworks-7 failed"), "project <cwd> failed");
    assert.equal(redact("../orchid-skunkworks-7/x.ts"), "../<cwd>/x.ts");
    assert.equal(redact("orchid-skunkworks-7-worker"), "<cwd>-worker");
    assert.equal(redact("orchid-skunkworks-70"), "orchid-skunkworks-70");
  });
  test("a cwd folder named like a word is left alone", () => {
    for (const cwd of ["/srv/app", "/home/runner/work/website", "/code/frontend", "/srv/api"]) {
      const redact = createRedactor({ cwd });
      const name = cwd.split("/").pop() ?? "";
      assert.equal(redact(`the ${name} failed`), `the ${name} failed`, cwd);
    }
  });
  test("a Windows home matches every spelling, case-insensitively", () => {
    const redact = createRedactor({ homeDir: "C:\\Users\\Zed Smith", cwd: "D:\\code\\app" });
    assert.equal(redact("C:\\Users\\Zed Smith\\a.ts"), "~\\a.ts");
    assert.equal(redact("c:/users/zed smith/a.ts"), "~/a.ts");
    assert.equal(redact("file:///C:/Users/Zed%20Smith/a.ts"), "~/a.ts");
    assert.equal(redact("d:\\Code\\App\\src\\a.ts:1:1"), "<cwd>\\src\\a.ts:1:1");
  });
});

describe("user and host names", () => {
  test("are replaced as words, in any case, not inside longer words", () => {
    assert.equal(alice("lock held by Alice"), "lock held by <user>");
    assert.equal(alice("alice-dev-bucket"), "<user>-dev-bucket");
    assert.equal(alice("alicent and malice"), "alicent and malice");
    assert.equal(alice("ssh alice-laptop.local"), "ssh <host>");
    assert.equal(alice("ssh alice-laptop"), "ssh <host>");
  });
  test("short and generic names are kept: they identify no one and are ordinary words", () => {
    assert.equal(createRedactor({ userName: "al" })("al dente"), "al dente");
    assert.equal(createRedactor({ userName: "root" })("root commit"), "root commit");
    assert.equal(createRedactor({ hostName: "localhost" })("localhost:8080"), "localhost:8080");
  });
  test("the home directory's last segment counts as a user name", () => {
    assert.equal(
      createRedactor({ homeDir: "/home/zedwick" })("zedwick was here"),
      "<user> was here",
    );
    assert.equal(createRedactor({ homeDir: "/home2/zedwick" })("zedwick ran"), "<user> ran");
    assert.equal(createRedactor({ homeDir: "/homes/zedwick" })("zedwick ran"), "<user> ran");
    assert.equal(createRedactor({ homeDir: "/srv/zedwick" })("zedwick ran"), "zedwick ran");
  });
  test("are replaced when glued to `_`, a digit or a following capital", () => {
    const redact = createRedactor({ userName: "vexmorrow", hostName: "zorblax-ws.lan.example" });
    assert.equal(
      redact("vexmorrow_backups vexmorrow2 vexmorrowStaging"),
      "<user>_backups <user>2 <user>Staging",
    );
    assert.equal(redact("backupVexmorrow"), "backup<user>");
    assert.equal(redact("zorblax-ws_cache zorblax-ws.lan.example"), "<host>_cache <host>");
    assert.equal(redact("vexmorrowing VEXMORROWX"), "vexmorrowing VEXMORROWX");
  });
  test("common and short names are never replaced, not even as a hostname's first label", () => {
    const redact = createRedactor({
      userName: "deploy",
      hostName: "api.prod.internal",
      homeDir: "/home/deploy",
    });
    assert.equal(redact("deploy failed: GET /api/users"), "deploy failed: GET /api/users");
    assert.equal(redact("ssh api.prod.internal"), "ssh <host>");
    assert.equal(createRedactor({ userName: "mark" })("MARKDOWN bookmark"), "MARKDOWN bookmark");
  });
  test("three letters are a name: the user name never appears (SPEC §4)", () => {
    assert.equal(createRedactor({ userName: "zoe" })("zoe failed"), "<user> failed");
    assert.equal(createRedactor({ hostName: "bob" })("ssh bob:22"), "ssh <host>:22");
    assert.equal(createRedactor({ userName: "zoe" })("zoeStaging ozone"), "<user>Staging ozone");
  });
  test("each part of a home folder name with spaces counts as a user name", () => {
    const redact = createRedactor({ homeDir: "C:\\Users\\Nadia Brightwater" });
    assert.equal(redact("owned by Brightwater, Nadia"), "owned by <user>, <user>");
  });
  test("a hostname's first label is replaced alone only when distinctive", () => {
    const redact = createRedactor({ hostName: "zorblax-ws.lan.example" });
    assert.equal(redact("worker on zorblax-ws died"), "worker on <host> died");
    assert.equal(
      createRedactor({ hostName: "3f9c2a7b1d4e" })("container 3f9c2a7b1d4e exited"),
      "container <host> exited",
    );
  });
});

describe("environment values", () => {
  const redact = createRedactor({
    env: {
      GITHUB_TOKEN: "abcdefgh12345678",
      SHORT_TOKEN: "abc",
      EDITOR: "vim-is-my-editor",
      DEPLOY_KEY: "production",
      SESSION_ID: "12345678",
      OUTER_SECRET: "prefix-abcdefgh12345678-suffix",
      PREVIEW_SECRET: "website-1",
      PWD: "/srv/some-project-dir",
      OLDPWD: "/srv/older-project-dir",
      CREDENTIALS_FILE: "/etc/app/creds.json",
    },
  });
  test("values of secret-named variables become their name", () => {
    assert.equal(redact("got abcdefgh12345678"), "got [REDACTED:env:GITHUB_TOKEN]");
    assert.equal(redact("x prefix-abcdefgh12345678-suffix"), "x [REDACTED:env:OUTER_SECRET]");
  });
  test("digits-only values are redacted too", () => {
    assert.equal(redact("retry 12345678"), "retry [REDACTED:env:SESSION_ID]");
  });
  test("a value is replaced where it stands alone, not inside a longer word", () => {
    assert.equal(redact("website-1 up"), "[REDACTED:env:PREVIEW_SECRET] up");
    assert.equal(redact("website-12 up, 123456789"), "website-12 up, 123456789");
  });
  test("short values, common words, working and file paths and other names are kept", () => {
    const text =
      "abc vim-is-my-editor production /srv/some-project-dir /srv/older-project-dir /etc/app/creds.json";
    assert.equal(redact(text), text);
  });
  test("values are trimmed and unquoted, and found raw, JSON-escaped and URL-encoded", () => {
    const quoted = createRedactor({
      env: {
        DEPLOY_TOKEN: "nlvalue-deploy-9913\n",
        WEBHOOK_SECRET: `"'quotedval-whsec-55'"`,
        JSON_PASSWORD: 'pa"ss\\wd-7781',
        SIGNING_SECRET: "ab/cd+ef=gh-1234",
        GPG_PASSPHRASE: "moss grows quietly",
      },
    });
    assert.equal(quoted("a nlvalue-deploy-9913 b"), "a [REDACTED:env:DEPLOY_TOKEN] b");
    assert.equal(quoted("'quotedval-whsec-55'"), "'[REDACTED:env:WEBHOOK_SECRET]'");
    assert.equal(
      quoted(String.raw`{"p":"pa\"ss\\wd-7781"}`),
      '{"p":"[REDACTED:env:JSON_PASSWORD]"}',
    );
    assert.equal(quoted("/hook/ab%2Fcd%2Bef%3Dgh-1234"), "/hook/[REDACTED:env:SIGNING_SECRET]");
    assert.equal(quoted("/hook/ab%2fcd%2bef%3dgh-1234"), "/hook/[REDACTED:env:SIGNING_SECRET]");
    assert.equal(quoted("q=moss+grows+quietly"), "q=[REDACTED:env:GPG_PASSPHRASE]");
  });
  test("secret-looking names include passes, passphrases, `_SK`, `_PW` and credentials", () => {
    const names = [
      "DB_PASS",
      "SMTP_PASS",
      "GPG_PASSPHRASE",
      "STRIPE_SK",
      "MYSQL_PW",
      "PGPWD",
      "AWS_CREDENTIALS",
      "MY_PRIVATE_THING",
      "REDIS_URL",
      "GITHUB_PAT",
      "AZURE_DEVOPS_EXT_PAT",
      "WALLET_MNEMONIC",
      "SEED_PHRASE",
      "ADMIN_PIN",
      "HMAC_SALT",
      "OTP_SEED",
      "ZAPIER_HOOK_URL",
    ];
    const env = Object.fromEntries(names.map((name, index) => [name, `value-${index}-abcdef`]));
    const named = createRedactor({ env });
    for (const [index, name] of names.entries()) {
      assert.equal(named(`x value-${index}-abcdef`), `x [REDACTED:env:${name}]`, name);
    }
  });
  test("every given environment counts: the process's and the host's `env` option", () => {
    const both = createRedactor({
      env: [{ A_TOKEN: "from-option-123" }, { B_TOKEN: "from-process-456" }],
    });
    assert.equal(
      both("from-option-123 from-process-456"),
      "[REDACTED:env:A_TOKEN] [REDACTED:env:B_TOKEN]",
    );
  });
});

describe("terminal escapes", () => {
  test("are removed before any rule, raw or printed", () => {
    const redact = createRedactor({ userName: "vexmorrow" });
    assert.equal(redact("\x1b[1mpassword\x1b[22m=Zx9Hq2LmN4vP"), "password=[REDACTED:password]");
    assert.equal(
      redact(`key \x1b[1mAKIA${fakeToken("", 16, 3).toUpperCase()}\x1b[22m`),
      "key [REDACTED:aws-access-key-id]",
    );
    assert.equal(redact("owner \x1b[1mvexmorrow\x1b[22m"), "owner <user>");
    assert.equal(redact(String.raw`\u001b[31mred\u001b[39m \x1b[1mbold`), "red bold");
    assert.equal(redact("\x1b]8;;https://x.example/?token=abc\x07link\x1b]8;;\x07"), "link");
    // A printed OSC (`\e]`) is an escape too: what it hides must not stay glued to a secret.
    const key = `AKIA${fakeToken("", 16, 3).toUpperCase()}`;
    assert.equal(redact(String.raw`\e]8;;x\a` + key), "[REDACTED:aws-access-key-id]");
  });
});

describe("zero-width characters", () => {
  test("are removed before any rule, so they hide no token or name", () => {
    const redact = createRedactor({ userName: "vexmorrow" });
    const token = fakeToken("ghp_", 36, 95);
    for (const invisible of [
      "\u200b",
      "\u200c",
      "\u200d",
      "\u2060",
      "\ufeff",
      "\u00ad",
      "\u200e",
      "\u202e",
      "\u2062",
      "\u2068",
      "\u180e",
    ]) {
      const hidden = `${token.slice(0, 2)}${invisible}${token.slice(2)}`;
      assert.equal(redact(`using ${hidden} now`), "using [REDACTED:github-token] now");
      assert.equal(redact(`owner vex${invisible}morrow`), "owner <user>");
    }
    // Other text beyond ASCII is left as it is.
    assert.equal(redact("caf\u00e9 \u00a0 \u2028"), "caf\u00e9 \u00a0 \u2028");
  });
});

describe("plain text is untouched", () => {
  const plain = [
    "website",
    "cloudflare::Worker",
    "neon::Project",
    "aws::SecretsManager::Secret",
    "created",
    "0.77.0",
    "commit 0123abc",
    "token == null",
    "my-sk-website-bucket-name-for-prod",
    "Basic authentication is disabled",
    "token authentication required",
    "author: Jane Doe",
    "tokenizer: unexpected input",
    "session: expired",
    "cookie: consent banner",
    "--no-auth flag given",
    "connect 10.0.0.5:5432 and 192.168.0.1 and 172.20.1.1 and 169.254.169.254",
    "requires version 1.2.3.4",
    "server -p 8080",
    "ssh -p 2222 host",
    "docker run -u 1000:1000 node",
    "docker run -u app:app node",
    "prod-WebsiteBucket-eu-west-1-Primary-Store",
    // Sentences about a secret, not its value.
    "token: expired",
    "Authorization: denied",
    "Invalid token: expected string, received number",
    'zod: Invalid input at "token": Expected string, received number',
    "Missing credentials: set CLOUDFLARE_API_TOKEN",
    "Error: Secret: already exists",
    "--token is deprecated, use --api-token",
    "PASSWORD_MIN_LENGTH=12 SESSION_TTL=3600 TOKEN_EXPIRY=86400",
    // CloudFormation names: a CDK hash, a physical id's random suffix.
    "ProdApiGatewayDeploymentStage7F3A2B1C",
    "MyStackWebsiteBucketPolicyE10E3F4B created",
    "bucket prod-WebsiteBucket75C24D94-1A2B3C4D5E6F exists",
    "git@github.com: Permission denied (publickey).",
    "ssh -T git@gitlab.com",
  ];
  for (const text of plain) {
    test(text, () => {
      assert.equal(alice(text), text);
    });
  }
});

describe("shapes secret whatever their issuer", () => {
  const cases: [string, string][] = [
    // Under a password a phrase may be a passphrase, English or not: only a state word stays.
    ["password: too many secrets", "password: [REDACTED:password]"],
    ["password: must contain a digit", "password: [REDACTED:password]"],
    ["passphrase: wrong horse battery staple", "passphrase: [REDACTED:password]"],
    ['{"password":"is 1234"}', '{"password":"[REDACTED:password]"}'],
    [
      "Server=db;Password=found it 2024;Database=x",
      "Server=db;Password=[REDACTED:password];Database=x",
    ],
    ["--password=wrong", "--password=[REDACTED:password]"],
    ["password=Incorrect", "password=Incorrect"],
    ['secret: "expected 4821 9902 1234"', 'secret: "[REDACTED:secret]"'],
    // A full commit hash can be looked up on a public forge and names the repository.
    ["commit 0123456789abcdef0123456789abcdef01234567", "commit [REDACTED:hex]"],
    [
      "deploy --password hunter2secret --region us",
      "deploy --password [REDACTED:password] --region us",
    ],
    ["cmd --api-key=abcdefgh12345", "cmd --api-key=[REDACTED:key]"],
    ["cmd --token 'two words' --x", "cmd --token '[REDACTED:token]' --x"],
    ["cmd --token-file ./t.txt --auth-type basic", "cmd --token-file ./t.txt --auth-type basic"],
    ["Basic dXNlcjpwYXNzd29yZA== rejected", "Basic [REDACTED:credentials] rejected"],
    ["Authorization header Bearer abc.DEF-123_x", "Authorization header Bearer [REDACTED:token]"],
    ["GET /v1?key=abcdef123456&x=1", "GET /v1?key=[REDACTED:key]&x=1"],
    ["project 3f9c1a2b-7d4e-4f6a-9b8c-1d2e3f4a5b6c missing", "project [REDACTED:uuid] missing"],
    ["connect 203.0.113.9:443 refused", "connect [REDACTED:ip]:443 refused"],
    ["connect 127.0.0.1:8787 refused", "connect 127.0.0.1:8787 refused"],
    // After `=` or `@` an address is no version; IPv6 in full or compressed; in a host name.
    ["host=84.17.233.41 port=22", "host=[REDACTED:ip] port=22"],
    ["deploy@91.198.174.192: Permission denied", "deploy@[REDACTED:ip]: Permission denied"],
    [
      "version=1.2.3.4 >=1.2.3.4 ==1.2.3.4 v1.2.3.4",
      "version=1.2.3.4 >=1.2.3.4 ==1.2.3.4 v1.2.3.4",
    ],
    ["ssh -v 84.17.233.41 and v:91.198.174.192", "ssh -v [REDACTED:ip] and v:[REDACTED:ip]"],
    // Under ODBC's PWD a value is a password unless it reads as a path.
    [
      "UID=sa;PWD=$ecretPass99; PWD=~k9Lm2pQ;",
      "UID=sa;PWD=[REDACTED:password]; PWD=[REDACTED:password];",
    ],
    ["PWD=~/app OLDPWD=../x PWD=C:\\work", "PWD=~/app OLDPWD=../x PWD=C:\\work"],
    ["connect 2a02:8109:b6c0:3f00:9d4e:12ff:fe7a:4c21 443", "connect [REDACTED:ip] 443"],
    ["connect [2a02:8109::4c21]:443", "connect [[REDACTED:ip]]:443"],
    ["route 2001:DB8::/32 via fe80::1", "route [REDACTED:ip]/32 via fe80::1"],
    ["::1 fd00::5 ::ffff:10.0.0.1 at 12:30:45", "::1 fd00::5 ::ffff:10.0.0.1 at 12:30:45"],
    ["beef:cafe:dead:2bad cloudflare::Worker", "beef:cafe:dead:2bad cloudflare::Worker"],
    [
      "ec2-84-17-233-41.compute-1.amazonaws.com refused",
      "ec2-[REDACTED:ip].compute-1.amazonaws.com refused",
    ],
    ["ip-10-0-0-5.ec2.internal v1-2-3-4", "ip-10-0-0-5.ec2.internal v1-2-3-4"],
    // AWS account ids in ARNs and registry hosts; other 12-digit numbers stay.
    [
      "arn:aws:sts::482913650172:assumed-role/deploy/x",
      "arn:aws:sts::[REDACTED:aws-account]:assumed-role/deploy/x",
    ],
    [
      "layer arn:aws:lambda:us-east-1:123456789012:layer:sharp:3",
      "layer arn:aws:lambda:us-east-1:[REDACTED:aws-account]:layer:sharp:3",
    ],
    [
      "pull 482913650172.dkr.ecr.us-east-1.amazonaws.com/app:1",
      "pull [REDACTED:aws-account].dkr.ecr.us-east-1.amazonaws.com/app:1",
    ],
    ["trust arn:aws:iam::482913650172.", "trust arn:aws:iam::[REDACTED:aws-account]."],
    ["arn:aws:s3:::my-bucket order 482913650172", "arn:aws:s3:::my-bucket order 482913650172"],
    ["dop_v1_" + "a1b2c3d4".repeat(8), "dop_v1_[REDACTED:hex]"],
    ["git@github.com:org/repo.git: denied", "git@github.com:[REDACTED:repo].git: denied"],
    ["me@git.acme.example:team/app", "[REDACTED:user]@[REDACTED:host]:[REDACTED:repo]"],
    ["git@git.acme.example: Permission denied", "git@[REDACTED:host]: Permission denied"],
    ["ssh git@acme-gitlab said", "ssh git@[REDACTED:host] said"],
    ["mail agit@example.com", "mail [REDACTED:email]"],
    ["clone https://github.com/org/repo.git", "clone https://github.com/[REDACTED:repo].git"],
    ["ssh alice@example.com:22", "ssh [REDACTED:email]:22"],
    // A query string encoded twice writes `@` as `%2540`.
    ["GET /invite?to=zoe%2540example.com", "GET /invite?to=[REDACTED:email]"],
    ["curl -u admin:Tr1cky-cTg6yG x", "curl -u admin:[REDACTED:password] x"],
    ["mysql -uroot -pS0lid1Xq9Ey -h db", "mysql -uroot -p[REDACTED:password] -h db"],
    [
      "docker login -u bob -p Dock3rQ5qnnw r.example",
      "docker login -u bob -p [REDACTED:password] r.example",
    ],
    ["redis-cli -a Red1sPassw0rd ping", "redis-cli -a [REDACTED:password] ping"],
  ];
  for (const [input, output] of cases) {
    test(input, () => {
      assert.equal(alice(input), output);
    });
  }
});

describe("key/value pairs", () => {
  const cases: [string, string][] = [
    [
      "headers: { 'x-api-key': 'Qm7vT2pLx9', accept: '*/*' }",
      "headers: { 'x-api-key': '[REDACTED:key]', accept: '*/*' }",
    ],
    [
      "Map(1) { 'x-auth-token' => 'GjbgmN0d7O5o' }",
      "Map(1) { 'x-auth-token' => '[REDACTED:token]' }",
    ],
    [String.raw`{\"password\":\"hunter2\"}`, String.raw`{\"password\":\"[REDACTED:password]\"}`],
    [
      "{ encryptionKey: 'encK3y-tIt4is', sortKey: 'user-42' }",
      "{ encryptionKey: '[REDACTED:key]', sortKey: 'user-42' }",
    ],
    ["password: correct horse Dv1EQk", "password: [REDACTED:password]"],
    ["password=hunter22 host=db", "password=[REDACTED:password] host=db"],
    ["(password=hunter22) end", "(password=[REDACTED:password]) end"],
    ["[token=abc123def] {secret: xyz987}", "[token=[REDACTED:token]] {secret: [REDACTED:secret]}"],
    ["token: abc def", "token: [REDACTED:token] def"],
    [
      "pass=plumCake pw: pwh42 pwd = x9y8",
      "pass=[REDACTED:password] pw: [REDACTED:password] pwd = [REDACTED:password]",
    ],
    [
      "DB_PASS=lav3nder PGPASSWORD=x PWD=/srv/app",
      "DB_PASS=[REDACTED:password] PGPASSWORD=[REDACTED:password] PWD=/srv/app",
    ],
    ["session=8f3k2m9x1q; theme=dark", "session=[REDACTED:session]; theme=dark"],
    ["Cookie: sid=s%3Aabc123def; consent=yes", "Cookie: sid=[REDACTED:session]; consent=yes"],
    ["Authorization: Basic dXNlcjpwYXNz, next", "Authorization: [REDACTED:authorization], next"],
    [
      "AccountKey=abc+def/ghi==;EndpointSuffix=core",
      "AccountKey=[REDACTED:key];EndpointSuffix=core",
    ],
    ["token: undefined, password: null", "token: undefined, password: null"],
    ["author: token=abc123def", "author: token=[REDACTED:token]"],
    ["tokenizer: password=hunter22", "tokenizer: password=[REDACTED:password]"],
    ["token: [REDACTED:github-token]", "token: [REDACTED:github-token]"],
    // A sentence starts with a word of the list, in lower case, and goes on in plain words.
    ["password: Too short", "password: [REDACTED:password]"],
    ["password: set to Hunter2xyz", "password: [REDACTED:password]"],
    ["password: too-Many-Secrets9", "password: [REDACTED:password]"],
    ["password: correct horse battery", "password: [REDACTED:password]"],
    ["--password mustBeSet9 --x", "--password [REDACTED:password] --x"],
    [
      "PASSWORD_MIN=hunter22 DB_PASSWORD_LENGTH_X=hunter22",
      "PASSWORD_MIN=[REDACTED:password] DB_PASSWORD_LENGTH_X=[REDACTED:password]",
    ],
  ];
  for (const [input, output] of cases) {
    test(input, () => {
      assert.equal(alice(input), output);
    });
  }
});

/** A seeded generator, so the statistical tests below are deterministic. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function randomString(length: number, alphabet: string, random: () => number): string {
  let text = "";
  for (let index = 0; index < length; index++) {
    text += alphabet.charAt(Math.floor(random() * alphabet.length));
  }
  return text;
}

describe("random-looking tokens", () => {
  const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const redact = createRedactor({});
  const survivalRate = (length: number, alphabet: string, suffix = "") => {
    const random = seededRandom(length * 7919 + alphabet.length);
    let survived = 0;
    for (let index = 0; index < 2000; index++) {
      const key = randomString(length, alphabet, random) + suffix;
      if (redact(`credentials ${key} rejected`).includes(key.slice(0, 12))) survived++;
    }
    return survived / 2000;
  };
  test("standalone base64 secrets are caught: AWS secret access keys, Azure account keys", () => {
    assert.ok(survivalRate(40, `${B62}+/`) <= 0.01);
    assert.ok(survivalRate(86, `${B62}+/`, "==") <= 0.01);
  });
  test("random runs of one case and digits, or mixed case without a digit, are caught", () => {
    assert.ok(survivalRate(32, "abcdefghijklmnopqrstuvwxyz0123456789") <= 0.01);
    assert.ok(survivalRate(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") <= 0.01);
    assert.ok(survivalRate(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") <= 0.02);
    assert.ok(survivalRate(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") <= 0.05);
    // Base64url: `-` and `_` count towards the length.
    assert.ok(survivalRate(24, `${B62}-_`) <= 0.02);
  });
  test("random tokens of 24 characters or more are caught", () => {
    assert.ok(survivalRate(24, B62) <= 0.01);
    assert.ok(survivalRate(40, `${B62}-_`) <= 0.01);
    assert.equal(
      redact("Vercel API rejected Tk83QGQ7zgX4ZiQQZkof2YXE"),
      "Vercel API rejected [REDACTED:token]",
    );
  });
  test("names built of words survive, however long and mixed", () => {
    const names = [
      "prod-WebsiteBucket-eu-west-1-Primary-Store",
      "MyStackDevBucket2024Prod",
      "AbstractSingletonProxyFactoryBean2",
      "UserProfileImageUploadBucket2",
      "IAmRoleForGitHubActionsOIDC2024",
      "WebsiteStaticAssets2024Q3Bucket",
      "useQueryClientProviderV5Hook",
      "src/components/HeaderMenu/Button2/index",
      "/srv/apps/packages/core/src/HeaderMenu/Button2/Index",
      "AlchemyCloudflareWorker2Binding",
    ];
    for (const name of names) assert.equal(redact(name), name);
  });
  test("a CloudFormation suffix is judged apart: a random run before it is still a token", () => {
    for (const suffix of ["7F3A2B1C", "75C24D94-1A2B3C4D5E6F", "-1A2B3C4D5E6F"]) {
      const token = fakeToken("", 24, 93);
      assert.equal(redact(`stack ${token}${suffix} failed`), "stack [REDACTED:token] failed");
    }
    // Too little is left before the suffix to read as a name.
    assert.equal(redact("Stage7F3A2B1C-1A2B3C4D5E6F"), "[REDACTED:token]");
    assert.equal(looksRandom("ProdApiGatewayDeploymentStage7F3A2B1C"), false);
  });
  test("a random part of a path is replaced, the path kept", () => {
    assert.equal(
      redact("GET /hooks/Tk83QGQ7zgX4ZiQQZkof2YXE/run"),
      "GET /hooks/[REDACTED:token]/run",
    );
    assert.equal(looksRandom("Tk83QGQ7zgX4ZiQQZkof2YXE"), true);
    assert.equal(looksRandom("MyStackDevBucket2024Prod"), false);
  });
  test("the second line of a wrapped token goes with the first", () => {
    const first = fakeToken("npm_", 18, 4);
    const second = fakeToken("", 19, 5);
    assert.equal(
      redact(`token ${first}\n${second} expired`),
      "token [REDACTED:npm-token]\n[REDACTED:npm-token] expired",
    );
    assert.equal(
      redact(`token ${first}\nDeploying website`),
      "token [REDACTED:npm-token]\nDeploying website",
    );
  });
});

describe("the redactor never throws", () => {
  test("on non-strings and hostile environments", () => {
    assert.equal(alice(undefined as unknown as string), "");
    const env = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("no");
        },
      },
    );
    const redact = createRedactor({ env });
    assert.equal(redact("token=abcdef"), "token=[REDACTED:token]");
  });
  test("stays linear on inputs built to make patterns backtrack", () => {
    const inputs = [
      `/${"token".repeat(2000)}:x`,
      "sk-".repeat(3000),
      "a@".repeat(5000),
      `C:\\Users\\${"a ".repeat(5000)}`,
      "-----BEGIN PRIVATE KEY-----".repeat(400),
      `"password":"${"\\".repeat(10000)}`,
      "aA1".repeat(3000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      alice(input);
      // Backtracking takes seconds here; the bound only has to survive a busy machine.
      assert.ok(performance.now() - started < 500, input.slice(0, 30));
    }
  });
  test("is idempotent", () => {
    const text = `password=x ${fakeToken("ghp_", 36)} alice@example.com /home/alice/a`;
    assert.equal(alice(alice(text)), alice(text));
  });
  test("returns well-formed text", () => {
    assert.equal(alice("a\uD800b"), "a\uFFFDb");
  });
  test("reads a process with no HOME, no passwd entry and a deleted cwd", (t) => {
    if (process.getuid?.() !== 0) {
      t.skip("needs root to run a child as a uid without a passwd entry");
      return;
    }
    // The parent is world-writable without the sticky bit, so the child may remove its own cwd.
    const parent = mkdtempSync(join(tmpdir(), "redact-cwd-"));
    chmodSync(parent, 0o777);
    const cwd = join(parent, "gone");
    mkdirSync(cwd);
    const script = [
      // From the world-readable copy: the clone itself may sit where only root can enter.
      `import { redactionContextFromProcess } from ${JSON.stringify(readableModule("dist/src/event/redact.js"))};`,
      `import { rmdirSync } from "node:fs";`,
      `rmdirSync(${JSON.stringify(cwd)});`,
      `const { env, ...context } = redactionContextFromProcess(process.env);`,
      `process.stdout.write(JSON.stringify(context));`,
    ].join("\n");
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd,
      env: {},
      uid: 54321,
      gid: 54321,
      encoding: "utf8",
    });
    rmSync(parent, { recursive: true, force: true });
    assert.equal(child.status, 0, child.stderr);
    const context = JSON.parse(child.stdout) as Record<string, unknown>;
    assert.equal(context.homeDir, undefined);
    assert.equal(context.userName, undefined);
    // Node may answer a deleted cwd from its cache; either way nothing throws.
    const [seen] = context.cwd as (string | null)[];
    assert.ok(seen === null || seen === cwd);
  });
  test("reads the process without throwing", () => {
    const context = redactionContextFromProcess({ HOME: "/nowhere" });
    assert.equal(typeof context.homeDir, "string");
    assert.equal(typeof createRedactor(context)("x"), "string");
  });
  test("adds the host's env and cwd options to the process's own", () => {
    const context = redactionContextFromProcess(
      { OPTION_TOKEN: "option-value-123" },
      "/srv/opt-dir-9",
    );
    const redact = createRedactor(context);
    assert.equal(
      redact("option-value-123 /srv/opt-dir-9/a"),
      "[REDACTED:env:OPTION_TOKEN] <cwd>/a",
    );
    assert.equal(redact(process.cwd() + "/x"), "<cwd>/x");
  });
});

describe("bounded text", () => {
  test("capText cuts with a marker and never splits a surrogate pair", () => {
    assert.equal(capText("short", 10), "short");
    const capped = capText("a".repeat(100), 20);
    assert.equal(capped.length, 20);
    assert.ok(capped.endsWith(TRUNCATION_MARKER));
    const emoji = "😀".repeat(20);
    for (let max = 13; max < 30; max++) {
      assert.ok(isWellFormed(capText(emoji, max)), `max ${max}`);
    }
    assert.equal(capText("abcdef", 3), "abc");
    assert.equal(capText("abc", Number.NaN), "");
  });
  test("a secret cut in half at the working window does not leak its prefix", () => {
    // A private key block shrinks under redaction, so text near the window edge reaches the output.
    const block = (fill: number) =>
      `-----BEGIN PRIVATE KEY-----\n${"A".repeat(fill)}\n-----END PRIVATE KEY----- `;
    const token = fakeToken("ghp_", 36);
    const edge = redactionWindow(100);
    for (let offset = 1; offset < token.length; offset += 3) {
      const text = `${block(edge - offset - block(0).length)}${token} tail`;
      assert.equal(text.indexOf(token), edge - offset);
      const out = redactCapped(text, alice, 100);
      assert.equal(out.includes(token.slice(0, 4)), false, out);
      assert.ok(out.startsWith("[REDACTED:private-key]"), out);
    }
  });
  test("text is redacted before it is cut: a spaced secret past the cap leaves nothing", () => {
    const redact = createRedactor({ env: { DB_PASSWORD: "Sunflower Meadow 1987" } });
    const cases = [
      `${"y".repeat(383)} Sunflower Meadow 1987 tail`,
      `${fakeToken("", 3981, 9)} Sunflower Meadow 1987 tail`,
    ];
    for (const text of cases) {
      for (const max of [256, 400, 1000]) {
        const out = redactCapped(text, redact, max);
        assert.equal(out.includes("Sunflower"), false, out.slice(-60));
        assert.ok(out.length <= max);
      }
    }
  });
  test("a stack's head is read as a cut text: the start of a secret on its cut goes", () => {
    // Past 12 KiB only the stack's first 4096 characters are read; random runs before the cut
    // shrink under redaction, so what stands at the cut reaches the 400 characters kept.
    const envSecret = "Velvet-Hammock-Quasar-Tundra-0042";
    const redact = createRedactor({ env: { LONG_PASSWORD: envSecret } });
    const filler = Array.from({ length: 13 }, (_, index) => fakeToken("", 300, index + 1)).join(
      " ",
    );
    const frames = Array.from(
      { length: 600 },
      (_, index) => `    at step${index} (x.js:${index}:1)`,
    );
    const planted = [envSecret, fakeToken("", 40, 90), fakeToken("npm_", 36, 91)];
    for (const secret of planted) {
      for (const before of [4, 12, 22]) {
        const head = `Error: deploy failed\n${filler} `;
        const pad = 4096 - before - head.length - 1;
        const line = `${head}${fakeToken("", pad, 92)} ${secret} rest of message`;
        assert.equal(line.indexOf(secret), 4096 - before);
        const error = new Error("long");
        error.stack = `${line}\n${frames.join("\n")}`;
        const stack = serializeError(error, redact).stack ?? "";
        assert.equal(stack.includes(secret.slice(0, before)), false, stack.split("\n")[1]);
        assert.match(stack, /^Error: deploy failed\n\[REDACTED:token\] /);
        assert.equal(stack.split("\n    at step").length - 1, 10, "the frames are kept");
      }
    }
  });
  test("a long text without spaces keeps up to the cap", () => {
    for (const length of [5000, 50_000]) {
      const out = redactCapped("m".repeat(length), alice, 1000);
      assert.equal(out, "m".repeat(1000 - TRUNCATION_MARKER.length) + TRUNCATION_MARKER);
    }
  });
  test("redactCapped bounds huge input quickly and returns well-formed text", () => {
    const huge = `${"word ".repeat(2_000_000)}\uD800`;
    const started = performance.now();
    const out = redactCapped(huge, alice, 1000);
    assert.ok(performance.now() - started < 1000, "bounded work, whatever the input's size");
    assert.ok(out.length <= 1000);
    assert.ok(out.endsWith(TRUNCATION_MARKER));
    assert.equal(redactCapped("a\uDC00", alice, 10), "a\uFFFD");
  });
});
