// Q: can this be traced back to me? A: not through a credential: every well-known token format,
// URL password, private key and e-mail address below is replaced before the text is written to
// the spool. Labels name the kind of secret, never any part of it.
import { caseless } from "./regex-source.js";

/** One entry of a redaction table: regex source, its replacement, and an optional cheap precheck. */
export interface RedactionRule {
  readonly label: string;
  readonly source: string;
  /** Called as `String.prototype.replace` calls it: sources hold no capturing groups. */
  readonly replace: (match: string, offset: number, text: string) => string;
  /** Replaces the matches itself, for a rule that reads past its match (given the compiled pattern). */
  readonly rewrite?: (text: string, pattern: RegExp) => string;
  /** A necessary condition for a match, cheaper than the scan; the rule is skipped when false. */
  readonly hint?: (text: string) => boolean;
}

// Tokens may follow `-` or `_` (kebab-case names, `--flag_value`), never a letter or digit.
const TOKEN_START = String.raw`(?<![A-Za-z0-9])`;

/** Replaces a long run only when it mixes cases and digits, keeping the consumed lead. */
function replaceOpaqueToken(match: string): string {
  const lead = /^[A-Za-z0-9_-]/.test(match) ? "" : match.charAt(0);
  const token = match.slice(lead.length);
  const isMixed = /[A-Z]/.test(token) && /[a-z]/.test(token) && /[0-9]/.test(token);
  return isMixed ? `${lead}[REDACTED:token]` : match;
}

const label = (name: string) => () => `[REDACTED:${name}]`;
const tokenRule = (
  name: string,
  hint: (text: string) => boolean,
  source: string,
): RedactionRule => ({ label: name, hint, source, replace: label(name) });

/** Applied in order: a later rule never sees what an earlier one replaced. */
export const SECRET_RULES: readonly RedactionRule[] = [
  {
    label: "private-key",
    hint: (text) => text.includes("PRIVATE KEY"),
    source: String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)`,
    replace: label("private-key"),
  },
  {
    label: "slack-webhook",
    hint: (text) => text.includes("hooks.slack.com"),
    source: String.raw`hooks\.slack\.com/[A-Za-z0-9/_-]+`,
    replace: () => "hooks.slack.com/[REDACTED:slack-webhook]",
  },
  {
    // `user:pass@` (or a bare token as user) in any scheme's URL; the greedy run ends at the last `@`.
    label: "url-credentials",
    hint: (text) => text.includes("://"),
    source: String.raw`://[^\s/?#"'<>]+@`,
    replace: () => "://[REDACTED]@",
  },
  {
    label: "bearer",
    // Covers `Bearer`, `bearer` and `BEARER`; `Authorization:` values are caught above anyway.
    hint: (text) => text.includes("earer") || text.includes("EARER"),
    source: String.raw`(?<![\w-])${caseless("bearer")}\s+[A-Za-z0-9._~+/=-]{8,}`,
    replace: (match) => `${match.slice(0, 6)} [REDACTED]`,
  },
  tokenRule(
    "jwt",
    (text) => text.includes("eyJ"),
    String.raw`${TOKEN_START}eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`,
  ),
  tokenRule(
    "github-token",
    (text) => text.includes("_"),
    String.raw`${TOKEN_START}(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`,
  ),
  tokenRule(
    "gitlab-token",
    (text) => text.includes("gl"),
    String.raw`${TOKEN_START}gl(?:pat|dt|rt|ptt|ft|soat|cbt)-[A-Za-z0-9_-]{20,}`,
  ),
  tokenRule(
    "npm-token",
    (text) => text.includes("npm_"),
    String.raw`${TOKEN_START}npm_[A-Za-z0-9]{30,}`,
  ),
  tokenRule(
    "aws-access-key-id",
    (text) => text.includes("A"),
    String.raw`(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
  ),
  tokenRule(
    "stripe-key",
    (text) => text.includes("_live_") || text.includes("_test_"),
    String.raw`${TOKEN_START}(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}`,
  ),
  tokenRule(
    "stripe-webhook-secret",
    (text) => text.includes("whsec_"),
    String.raw`${TOKEN_START}whsec_[A-Za-z0-9+/=]{20,}`,
  ),
  tokenRule(
    "slack-token",
    (text) => text.includes("xox") || text.includes("xapp-"),
    String.raw`${TOKEN_START}(?:xox[abposer]|xapp)-[A-Za-z0-9-]{10,}`,
  ),
  tokenRule(
    "anthropic-key",
    (text) => text.includes("sk-ant-"),
    String.raw`${TOKEN_START}sk-ant-[A-Za-z0-9_-]{20,}`,
  ),
  {
    // Keys mix case and digits (checked after matching, to stay linear); kebab-case names do not.
    label: "openai-key",
    hint: (text) => text.includes("sk-"),
    source: String.raw`${TOKEN_START}sk-[A-Za-z0-9_-]{20,}`,
    replace: (match) =>
      /[0-9]/.test(match) && /[A-Z]/.test(match) ? "[REDACTED:openai-key]" : match,
  },
  tokenRule(
    "google-api-key",
    (text) => text.includes("AIza"),
    String.raw`${TOKEN_START}AIza[A-Za-z0-9_-]{30,}`,
  ),
  {
    // The costliest scan of all; most text has no `@` at all.
    label: "email",
    hint: (text) => text.includes("@") || text.includes("%40"),
    source: String.raw`(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
    replace: label("email"),
  },
  {
    // A run of 40 or more, as Cloudflare API tokens and webhook secrets are; the lead character is
    // consumed instead of a lookbehind (several times faster), and mixed case plus a digit
    // spares hex ids and kebab-case names.
    label: "token",
    hint: (text) => text.length >= 40,
    source: String.raw`(?:^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])`,
    replace: replaceOpaqueToken,
  },
  {
    // Any other long alphanumeric run mixing cases and digits is a credential, whatever glues it
    // to a name (`db-<token>`); words, hex ids and base-10 numbers never look like that.
    label: "token",
    hint: (text) => text.length >= 32,
    source: String.raw`(?:^|[^A-Za-z0-9])[A-Za-z0-9]{32,}(?![A-Za-z0-9])`,
    replace: replaceOpaqueToken,
  },
];
