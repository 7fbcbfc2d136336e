// Q: can this be traced back to me? A: not through a credential: every well-known token format,
// URL password, private key, webhook URL and e-mail address below is replaced before the text is
// written to the spool. Labels name the kind of secret, never any part of it.
import { lazy } from "./lazy.js";
import { caseless } from "./regex-source.js";
import { gate, type RedactionRule } from "./rule.js";
import {
  AT,
  BACKSLASH,
  BLANK,
  COLON,
  DASH,
  DOT,
  LOWER,
  PERCENT,
  SLASH,
  UNDERSCORE,
  UPPER,
  type Gate,
} from "./text-features.js";

export type { RedactionRule } from "./rule.js";

// Tokens may follow `-` or `_` (kebab-case names, `--flag_value`) or a percent escape
// (`Bearer%20eyJ…`), never a letter or digit.
const TOKEN_START = String.raw`(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))`;

const label = (name: string) => () => `[REDACTED:${name}]`;

// The shortest body of a token cut short by a line end or the end of the text.
const CUT_BODY = 8;

/**
 * A prefixed token format. A body cut short by a line end or the end of the text still counts
 * (eight characters at least): a token wrapped over two lines or cut by a length cap.
 */
const tokenRule = (
  name: string,
  hint: (text: string) => boolean,
  prefix: string,
  body: string,
  minLength: number,
  prefixGate: Gate,
): RedactionRule => ({
  label: name,
  hint,
  gate: prefixGate,
  source: () =>
    `${TOKEN_START}${prefix}(?:${body}{${minLength},}|${body}{${CUT_BODY},${minLength}}(?=\\r?\\n|$))`,
  replace: label(name),
});

/** A prefix holding one of the kinds `needs`, at least `length` long, and a cut-short body. */
const prefixed = (needs: number, length: number): Gate => gate(needs, length + CUT_BODY);

const ALNUM = "[A-Za-z0-9]";
const URL_SAFE = "[A-Za-z0-9_-]";
const has = (part: string) => (text: string) => text.includes(part);

/** Applied in order: a later rule never sees what an earlier one replaced. */
export const SECRET_RULES: readonly RedactionRule[] = [
  {
    label: "private-key",
    hint: has("PRIVATE KEY"),
    // `-----BEGIN`, `PRIVATE KEY` (with its blank) and `-----`.
    gate: gate(BLANK, 26),
    source: () =>
      String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)`,
    replace: label("private-key"),
  },
  {
    label: "private-key",
    hint: has("PuTTY-User-Key-File"),
    gate: gate(DASH, 22),
    source: () => String.raw`PuTTY-User-Key-File-\d+:[\s\S]*?(?:Private-MAC:[ \t]*[0-9A-Fa-f]+|$)`,
    replace: label("private-key"),
  },
  {
    // Slack and Discord webhook URLs are credentials by themselves, also URL-encoded in a query.
    label: "webhook",
    hint: (text) => text.includes("hooks.slack.com") || text.includes("/webhooks"),
    // `hooks.slack.com`, a separator and a character at least.
    gate: gate(SLASH | PERCENT, 17),
    source: () =>
      String.raw`(?:hooks\.slack\.com|discord(?:app)?\.com(?:/|%2[Ff])api(?:/|%2[Ff])webhooks)(?:/|%2[Ff])[A-Za-z0-9/_%-]+`,
    replace: (match) =>
      match.startsWith("hooks")
        ? "hooks.slack.com/[REDACTED:slack-webhook]"
        : "discord.com/api/webhooks/[REDACTED:discord-webhook]",
  },
  {
    // `user:pass@` (or a bare token as user) in any scheme's URL; the greedy run ends at the last
    // `@`, and a password may hold `/` (a port and a path, `host:443/@scope`, are not a password).
    label: "url-credentials",
    hint: has("://"),
    // Both forms end with `@`.
    gate: gate(AT, 4),
    source: () => String.raw`://(?:[^\s/?#"'<>@]*@|[^\s/?#"'<>@:]*:(?!\d+/)[^\s?#"'<>]*@)`,
    replace: () => "://[REDACTED:credentials]@",
  },
  {
    label: "jwt",
    hint: has("eyJ"),
    gate: prefixed(UPPER, 3),
    source: () =>
      String.raw`${TOKEN_START}eyJ(?:[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*|[A-Za-z0-9_.-]{8,}(?=\r?\n|$))`,
    replace: label("jwt"),
  },
  tokenRule(
    "github-token",
    (text) => text.includes("gh") || text.includes("github_pat_"),
    "(?:gh[pousr]_|github_pat_)",
    "[A-Za-z0-9_]",
    20,
    prefixed(UNDERSCORE, 4),
  ),
  tokenRule(
    "gitlab-token",
    has("gl"),
    "gl(?:pat|dt|rt|ptt|ft|soat|cbt|oas)-",
    URL_SAFE,
    20,
    prefixed(DASH, 5),
  ),
  tokenRule("npm-token", has("npm_"), "npm_", ALNUM, 30, prefixed(UNDERSCORE, 4)),
  {
    label: "aws-access-key-id",
    hint: has("A"),
    gate: prefixed(UPPER, 4),
    source: () =>
      String.raw`${TOKEN_START}(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)(?:[A-Z0-9]{16}(?![A-Za-z0-9])|[A-Z0-9]{8,15}(?=\r?\n|$))`,
    replace: label("aws-access-key-id"),
  },
  tokenRule(
    "stripe-key",
    (text) => text.includes("_live_") || text.includes("_test_"),
    "(?:sk|rk|pk)_(?:live|test)_",
    ALNUM,
    10,
    prefixed(UNDERSCORE, 8),
  ),
  tokenRule(
    "stripe-webhook-secret",
    has("whsec_"),
    "whsec_",
    "[A-Za-z0-9+/=]",
    20,
    prefixed(UNDERSCORE, 6),
  ),
  tokenRule(
    "slack-token",
    (text) => text.includes("xox") || text.includes("xapp-"),
    "(?:xox[abposer]|xapp)-",
    "[A-Za-z0-9-]",
    10,
    prefixed(DASH, 5),
  ),
  tokenRule("anthropic-key", has("sk-ant-"), "sk-ant-", URL_SAFE, 20, prefixed(DASH, 7)),
  {
    // Keys mix case and digits (checked after matching, to stay linear); kebab-case names do not.
    label: "openai-key",
    hint: has("sk-"),
    gate: gate(DASH, 23),
    source: () => String.raw`${TOKEN_START}sk-[A-Za-z0-9_-]{20,}`,
    replace: (match) =>
      /[0-9]/.test(match) && /[A-Z]/.test(match) ? "[REDACTED:openai-key]" : match,
  },
  tokenRule("google-api-key", has("AIza"), "AIza", URL_SAFE, 30, prefixed(UPPER, 4)),
  tokenRule("google-oauth-secret", has("GOCSPX-"), "GOCSPX-", URL_SAFE, 24, prefixed(DASH, 7)),
  tokenRule("google-oauth-token", has("ya29."), String.raw`ya29\.`, URL_SAFE, 20, prefixed(DOT, 5)),
  tokenRule(
    "docker-token",
    has("dckr_"),
    "dckr_(?:pat|oat)_",
    URL_SAFE,
    20,
    prefixed(UNDERSCORE, 9),
  ),
  tokenRule("databricks-token", has("dapi"), "dapi", "[0-9a-f]", 32, prefixed(LOWER, 4)),
  tokenRule("huggingface-token", has("hf_"), "hf_", ALNUM, 30, prefixed(UNDERSCORE, 3)),
  tokenRule(
    "shopify-token",
    has("shp"),
    "shp(?:at|ss|ca|pa)_",
    "[A-Fa-f0-9]",
    32,
    prefixed(UNDERSCORE, 6),
  ),
  tokenRule("supabase-token", has("sbp_"), "sbp_", "[a-f0-9]", 40, prefixed(UNDERSCORE, 4)),
  tokenRule("pulumi-token", has("pul-"), "pul-", "[a-f0-9]", 40, prefixed(DASH, 4)),
  tokenRule("vault-token", has("hv"), String.raw`hv[sbr]\.`, URL_SAFE, 24, prefixed(DOT, 4)),
  tokenRule("twilio-key", has("SK"), "SK", "[0-9a-fA-F]", 32, prefixed(UPPER, 2)),
  tokenRule(
    "sendgrid-key",
    has("SG."),
    String.raw`SG\.${URL_SAFE}{22}\.`,
    URL_SAFE,
    43,
    prefixed(DOT, 26),
  ),
  {
    // `123456789:AA…`: a Telegram bot id and its secret, both parts.
    label: "telegram-bot-token",
    hint: has(":AA"),
    gate: gate(COLON, 39),
    source: () => String.raw`${TOKEN_START}\d{6,12}:AA[A-Za-z0-9_-]{30,}`,
    replace: label("telegram-bot-token"),
  },
];

const forges = lazy(
  () =>
    new Set(
      "github.com gitlab.com bitbucket.org codeberg.org ssh.dev.azure.com dev.azure.com gitee.com git.sr.ht"
        .split(" ")
        .concat("huggingface.co", "hf.co", "vs-ssh.visualstudio.com"),
    ),
);

/** A public forge's name is kept (it says where, not whose); any other git host is a company's. */
function describeHost(host: string): string {
  return forges().has(host.toLowerCase()) ? host : "[REDACTED:host]";
}

/**
 * Git remotes name a repository: the path (`org/repo`) goes, the shape stays. Run before the
 * e-mail rule, which would read `git@github.com` as an address.
 */
export const REMOTE_RULES: readonly RedactionRule[] = [
  {
    // scp-like `git@github.com:org/repo.git`.
    label: "git-remote",
    hint: (text) => text.includes("@") && text.includes(":"),
    gate: gate(AT, 5),
    source: () =>
      String.raw`(?<![\w.+%-])[A-Za-z0-9._-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*:(?!\d+(?![\w./~-]))(?=[\w.~-]*/|[\w./~-]*\.git(?![\w.-]))[\w./~-]*[\w-]`,
    replace: (match) => {
      const at = match.indexOf("@");
      const colon = match.indexOf(":", at);
      const user = match.slice(0, at);
      const keptUser = user === "git" ? user : "[REDACTED:user]";
      const suffix = match.endsWith(".git") ? ".git" : "";
      return `${keptUser}@${describeHost(match.slice(at + 1, colon))}:[REDACTED:repo]${suffix}`;
    },
  },
  {
    // `https://host/org/repo.git`, `ssh://git@host:22/org/repo.git`.
    label: "git-remote",
    hint: (text) => text.includes(".git") && text.includes("://"),
    // After `ssh://`: a host, a `/` and `.git`.
    gate: gate(SLASH, 12),
    source: () =>
      String.raw`(?<=${caseless("https")}?://|${caseless("ssh")}://|${caseless("git")}(?:\+ssh)?://)(?:[^\s/@]+@)?[A-Za-z0-9.-]+(?::\d+)?/[^\s"'<>?#]*?\.git(?![\w.-])`,
    replace: (match) => {
      const authority = match.slice(0, match.indexOf("/"));
      const at = authority.lastIndexOf("@");
      const [host = "", port] = authority.slice(at + 1).split(":");
      const portPart = port === undefined ? "" : `:${port}`;
      return `${authority.slice(0, at + 1)}${describeHost(host)}${portPart}/[REDACTED:repo].git`;
    },
  },
];

const LOCAL_CHAR = String.raw`A-Za-z0-9._%+\u00C0-\uFFFF-`;
const DOMAIN_CHAR = String.raw`A-Za-z0-9\u00C0-\uFFFF-`;

export const EMAIL_RULE: RedactionRule = {
  // Any script in both parts (`zoe@müller.de`), the `@` also encoded or escaped (`\u0040`).
  label: "email",
  hint: (text) =>
    text.includes("@") ||
    text.includes("%40") ||
    text.includes("\\u0040") ||
    text.includes("\\x40"),
  // `a@b.cd`; the `@` may be written `%40` or `\u0040`.
  gate: gate(AT | PERCENT | BACKSLASH, 6),
  source: () =>
    String.raw`(?<![${LOCAL_CHAR}])[${LOCAL_CHAR}]+(?:@|%(?:25)?40|\\u0040|\\x40)[${DOMAIN_CHAR}]+(?:\.[${DOMAIN_CHAR}]+)*\.[A-Za-z\u00C0-\uFFFF]{2,}(?![${DOMAIN_CHAR}]|:[A-Za-z~/_\[])`,
  replace: label("email"),
};
