// The redactor skips a rule when a text lacks what every match holds (its gate and marks), and
// reads an environment variable only when a cheap test of its name lets it through. Each of these
// shortcuts must be a necessary condition: a text its pattern matches always passes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildNameRule, collectMachineNames } from "../src/event/machine-names.js";
import { buildPathRules, PATH_GATE } from "../src/event/path-patterns.js";
import type { RedactionRule } from "../src/event/rule.js";
import { isSecretEnvName, mayBeSecretEnvName } from "../src/event/secret-keys.js";
import { createRedactor, patternRules } from "../src/event/redact.js";
import {
  ALL,
  BACKSLASH,
  BLANK,
  COLON,
  DASH,
  DIGIT,
  featuresOf,
  LOWER,
  OTHER,
  passesGate,
  UPPER,
} from "../src/event/text-features.js";
import {
  ALL_CASES,
  CORPUS_CONTEXT,
  CORPUS_CWD,
  CORPUS_HOME,
  CORPUS_REPO,
  CORPUS_REPO_CWD,
  fakeHex,
  fakeToken,
  REPO_CASES,
  REPO_SURVIVE_CASES,
  RESOURCE_NAME_CASES,
  SURVIVE_CASES,
} from "./helpers/privacy-corpus.js";

const CWDS = [CORPUS_CWD, "C:\\Users\\Nadia Brightwater\\shop-api-2", CORPUS_REPO_CWD];
const REPO_ROOTS = [CORPUS_REPO];
const PATH_RULES = buildPathRules({ homeDir: CORPUS_HOME, cwds: CWDS, repoRoots: REPO_ROOTS });
const NAMES = collectMachineNames({ ...CORPUS_CONTEXT, cwds: CWDS, repoRoots: REPO_ROOTS });
const NAME_RULE = buildNameRule([...NAMES, { text: "Nadia", replacement: "<user>" }]);

// The redactor's own list, so that a table added there is checked here too.
const RULES: readonly RedactionRule[] = [
  ...patternRules(),
  ...PATH_RULES,
  ...(NAME_RULE === undefined ? [] : [NAME_RULE]),
];

// Shortest forms: tokens cut after eight characters, bare addresses, flags, pairs.
const SHORT_CASES = [
  "ghp_abcdefgh",
  "github_pat_abcdefgh",
  "gldt-abcdefgh",
  "npm_abcdefgh",
  "AKIAABCDEFGH",
  "sk_live_abcdefgh",
  "whsec_abcdefgh",
  "xoxb-abcdefgh",
  "xapp-abcdefgh",
  "sk-ant-abcdefgh",
  `sk-${"aB1".repeat(7)}`,
  "AIzaabcdefgh",
  "GOCSPX-abcdefgh",
  "ya29.abcdefgh",
  "dckr_pat_abcdefgh",
  "dapiabcdef01",
  "hf_abcdefgh",
  "shpat_abcdef01",
  "sbp_abcdef01",
  "pul-abcdef01",
  "hvs.abcdefgh",
  "SKabcdef01",
  `SG.${"a".repeat(22)}.abcdefgh`,
  `123456:AA${"a".repeat(30)}`,
  "ab1Q~abcdefgh",
  "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst",
  "eyJabcdefgh",
  "eyJhbGciO.eyJzdWIi.sig",
  "PuTTY-User-Key-File-2:",
  "-----BEGIN PRIVATE KEY-----",
  "hooks.slack.com/x",
  "://@",
  "a://b:c@",
  "git@github.com:a/b",
  "a@b:x/y",
  "ssh://h/a.git",
  "a@b.cd",
  "a%40b.cd",
  "a%2540b.cd",
  "a\\u0040b.cd",
  "a\\x40b.cd",
  "pw:x",
  "pw=x",
  "'token' => 'x'",
  "-pw=x",
  "--token abc",
  "-pSECRET",
  "-ualice:pw1",
  "mysql -pSECRET",
  "-Pabc",
  "-N abc",
  "config set a b",
  "gh secret set -b x",
  "htpasswd a b",
  "echo x|",
  "a/b@//",
  "%3A%2F%2Fa%40",
  ":\\/\\/a@",
  "default password x",
  "pw:\n x",
  "token abcdefgh",
  "Basic%20dXNlcjpwYXNz",
  "?key=x",
  "&sig=abc",
  fakeHex(32),
  "0123456789abcdef01234567",
  `key-${"a1b2c3d4e5".repeat(2)}`,
  "zpFYznVWJalOapESmKuqiDeC",
  "8.8.8.8",
  "1.2.3.4",
  "a=8.8.8.8",
  "2a02::",
  "2a02:1:2:3:4:5:6:7",
  "1-1-1-1.a",
  "arn:aws:s::123456789012:",
  "123456789012.dkr.ecr.",
  "12345678-1234-1234-1234-123456789abc",
  fakeToken("", 24),
  "[REDACTED:x]\nabcdefgh",
  "/home/bob",
  "\\home\\bob",
  "%2Fhome%2Fbob",
  "C:\\Users\\bob",
  "file:///Users/bob",
  "~/acme-stealth-project",
  "quillzoe",
  "QuillZoe",
  "quill-devbox",
  "nadia",
  "NADIA2",
  "shop-api-2",
];

/** Every text the corpus holds, each planted value, and every start and end of those up to 80 characters. */
function corpusTexts(): string[] {
  const base = [
    ...[...ALL_CASES, ...REPO_CASES].flatMap((item) => [item.text, item.planted]),
    ...RESOURCE_NAME_CASES.map((item) => item.text),
    ...SURVIVE_CASES,
    ...REPO_SURVIVE_CASES,
    ...SHORT_CASES,
  ];
  const texts = new Set(base);
  for (const text of base) {
    for (let length = 1; length <= Math.min(text.length, 80); length++) {
      texts.add(text.slice(0, length));
      texts.add(text.slice(-length));
    }
  }
  return [...texts];
}

describe("rule gates and marks", () => {
  const texts = corpusTexts();

  test("every rule lets through every text its pattern matches", () => {
    let matched = 0;
    for (const rule of RULES) {
      const pattern = new RegExp(rule.source());
      for (const text of texts) {
        if (!pattern.test(text)) continue;
        matched++;
        if (rule.gate !== undefined) {
          assert.ok(passesGate(rule.gate, text, featuresOf(text)), `${rule.label} gate: ${text}`);
        }
        if (rule.marks !== undefined) {
          const marks = rule.marks;
          assert.ok(
            marks.some((mark) => text.includes(mark)),
            `${rule.label} marks: ${text}`,
          );
        }
        if (rule.hint !== undefined) assert.ok(rule.hint(text), `${rule.label} hint: ${text}`);
      }
    }
    // The texts must reach the rules at all, or this test proves nothing.
    assert.ok(matched > 1000, `only ${matched} matches`);
  });

  test("every short form is matched by some rule", () => {
    for (const text of SHORT_CASES) {
      assert.ok(
        RULES.some((rule) => new RegExp(rule.source()).test(text)),
        `no rule matches ${text}`,
      );
    }
  });

  test("the path rules' gate lets through every text a path rule matches", () => {
    for (const rule of PATH_RULES) {
      const pattern = new RegExp(rule.source());
      for (const text of texts) {
        if (pattern.test(text)) assert.ok(passesGate(PATH_GATE, text, featuresOf(text)), text);
      }
    }
  });
});

describe("text features", () => {
  test("name the kinds of ASCII characters a text holds", () => {
    assert.equal(featuresOf("resource-12"), LOWER | DASH | DIGIT);
    assert.equal(featuresOf("cloudflare::Worker"), LOWER | UPPER | COLON);
    assert.equal(featuresOf("a b\tc\n"), LOWER | BLANK);
    assert.equal(featuresOf("\x1b[1m"), OTHER | DIGIT | LOWER);
    assert.equal(featuresOf(""), 0);
  });
  test("hold everything for a text outside ASCII or too long to scan", () => {
    assert.equal(featuresOf("café"), ALL);
    assert.equal(featuresOf("a\u00a0b"), ALL);
    assert.equal(featuresOf("a".repeat(5000)), ALL);
  });
});

describe("the terminal escape step", () => {
  test("runs for every short text that holds an escape, raw or printed", () => {
    // The redactor strips escapes only from a text with a control character or a backslash.
    const redact = createRedactor({});
    for (const escape of ["\x1b[1m", "\x9b1m", "\\u001b[1m", "\\x1b[1m", "\\033[1m", "\\e[1m"]) {
      const text = `${escape}bold`;
      assert.notEqual(featuresOf(text) & (OTHER | BACKSLASH), 0, escape);
      assert.equal(redact(text), "bold", escape);
    }
  });
});

describe("the environment name hint", () => {
  const words = [
    "TOKEN",
    "SECRET",
    "PASS",
    "PASSWORD",
    "CREDENTIAL",
    "CREDS",
    "CRED",
    "KEY",
    "AUTH",
    "OAUTH",
    "AUTHORIZATION",
    "PRIVATE",
    "SESSION",
    "COOKIE",
    "SIGNATURE",
    "SIGNING",
    "PW",
    "PWD",
    "SK",
    "DSN",
    "CONN",
    "STR",
    "STRING",
    "URL",
    "URI",
    "DB",
    "REDIS",
    "PG",
    "FILE",
    "PATH",
    "APP",
    "MY",
    "OLD",
    "PAT",
    "PIN",
    "SALT",
    "SEED",
    "OTP",
    "HOTP",
    "MNEMONIC",
    "PHRASE",
    "HOOK",
    "WEBHOOK",
    "ßK",
    "ſECRET",
  ];

  test("lets through every name isSecretEnvName accepts", () => {
    const names = new Set<string>();
    for (const a of words) {
      for (const b of words) {
        for (const join of ["_", "", "-", "."]) {
          for (const name of [`${a}${join}${b}`, `${a}${join}${b}`.toLowerCase(), `X_${a}_${b}`]) {
            names.add(name);
          }
        }
      }
    }
    let secret = 0;
    for (const name of names) {
      if (!isSecretEnvName(name)) continue;
      secret++;
      assert.ok(mayBeSecretEnvName(name), name);
    }
    assert.ok(secret > 1000, `only ${secret} secret names`);
  });

  test("says what the one regular expression it replaced said, name for name", () => {
    const hint = new RegExp(
      "TOKEN|SECRET|PASS|CRED|KEY|AUTH|PRIVATE|SESSION|COOKIE|SIGN|PW|DSN|SK|CONN|_UR[IL]$|" +
        "MNEMONIC|PHRASE|HOOK|PAT(?!H)|PIN|SALT|SEED|OTP",
    );
    const oracle = (name: string) => {
      const upper = name.toUpperCase();
      return upper !== "PWD" && upper !== "OLDPWD" && hint.test(upper);
    };
    const names = new Set(Object.keys(process.env));
    for (const a of words)
      for (const b of ["", "_URL", "_URI", "H", "PATH", "_X", "URL"]) names.add(`${a}${b}`);
    for (const name of ["PAT", "PATH", "PATHPAT", "XPATH", "DB_URL_X", "URL", "_URI", "pat", "ßK"])
      names.add(name);
    let hits = 0;
    for (const name of names) {
      const expected = oracle(name);
      if (expected) hits++;
      assert.equal(mayBeSecretEnvName(name), expected, name);
    }
    assert.ok(hits > 20 && hits < names.size, `${hits} of ${names.size}`);
  });

  test("keeps out ordinary names", () => {
    for (const name of ["PATH", "HOME", "PWD", "OLDPWD", "SHELL", "LANG", "TERM", "NODE_ENV"]) {
      assert.equal(mayBeSecretEnvName(name), false, name);
    }
  });
});

describe("every shortcut together", () => {
  // The oracle: the same redactor without a single skip (gates, marks, hints, the escape and env
  // steps' checks). Over every corpus text, padded past the memo and in the spellings texts are
  // printed in, the two must agree: a skip that leaves a secret behind shows up as a difference.
  const context = { ...CORPUS_CONTEXT, cwd: CWDS, repoRoot: CORPUS_REPO };
  const fast = createRedactor(context);
  const oracle = createRedactor(context, { skipWhatCannotMatch: false });
  const texts = [
    ...[...ALL_CASES, ...REPO_CASES].map((entry) => entry.text),
    ...SURVIVE_CASES,
    ...REPO_SURVIVE_CASES,
  ];
  const spellings = (text: string) => [
    text,
    `${text} ${"·".repeat(300)}`,
    `${"·".repeat(300)} ${text}`,
    encodeURIComponent(text),
    JSON.stringify(text).slice(1, -1),
    JSON.stringify(JSON.stringify(text)),
  ];
  test("the skips never change what comes out", () => {
    const differ: string[] = [];
    for (const text of texts) {
      for (const variant of spellings(text)) {
        if (fast(variant) !== oracle(variant)) differ.push(variant.slice(0, 120));
      }
    }
    assert.deepEqual(differ, []);
  });
});
