// Q: can this be traced back to me? A: not through a token: every well-known vendor format below
// (JWTs, GitHub, GitLab, npm, AWS, Stripe, Slack, OpenAI, Azure, Google and more) is replaced
// before the text is written to the spool. Labels name the kind of token, never any part of it.
import type { RedactionRule } from "./rule.js";
import { COLON, DASH, DOT, LOWER, OTHER, UNDERSCORE, UPPER } from "./text-features.js";

// Tokens may follow `-` or `_` (kebab-case names, `--flag_value`) or a percent escape
// (`Bearer%20eyJ…`), never a letter or digit.
const tokenStart = () => String.raw`(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))`;

// The shortest body of a token cut short by a line end or the end of the text.
const CUT_BODY = 8;

/**
 * A prefixed token format. A body cut short by a line end or the end of the text still counts
 * (eight characters at least): a token wrapped over two lines or cut by a length cap.
 */
function tokenSource(prefix: string, body: string, minLength: number): string {
  return `${tokenStart()}${prefix}(?:${body}{${minLength},}|${body}{${CUT_BODY},${minLength}}(?=\\r?\\n|$))`;
}

const ALNUM = "[A-Za-z0-9]";
const URL_SAFE = "[A-Za-z0-9_-]";

// Plain literals without calls: every host evaluates the tables at import. A token's gate is its
// shortest prefix and cut body.
/** Applied in order, after SECRET_RULES: a later rule never sees what an earlier one replaced. */
export const TOKEN_RULES: readonly RedactionRule[] = [
  {
    label: "jwt",
    marks: ["eyJ"],
    gate: { needs: UPPER, minLength: 3 + CUT_BODY },
    source: () =>
      String.raw`${tokenStart()}eyJ(?:[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*|[A-Za-z0-9_.-]{8,}(?=\r?\n|$))`,
  },
  {
    label: "github-token",
    marks: ["gh", "github_pat_"],
    gate: { needs: UNDERSCORE, minLength: 4 + CUT_BODY },
    source: () => tokenSource("(?:gh[pousr]_|github_pat_)", "[A-Za-z0-9_]", 20),
  },
  {
    label: "gitlab-token",
    marks: ["gl"],
    gate: { needs: DASH, minLength: 5 + CUT_BODY },
    source: () => tokenSource("gl(?:pat|dt|rt|ptt|ft|soat|cbt|oas)-", URL_SAFE, 20),
  },
  {
    label: "npm-token",
    marks: ["npm_"],
    gate: { needs: UNDERSCORE, minLength: 4 + CUT_BODY },
    source: () => tokenSource("npm_", ALNUM, 30),
  },
  {
    label: "aws-access-key-id",
    marks: ["A"],
    gate: { needs: UPPER, minLength: 4 + CUT_BODY },
    source: () =>
      String.raw`${tokenStart()}(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)(?:[A-Z0-9]{16}(?![A-Za-z0-9])|[A-Z0-9]{8,15}(?=\r?\n|$))`,
  },
  {
    label: "stripe-key",
    marks: ["_live_", "_test_"],
    gate: { needs: UNDERSCORE, minLength: 8 + CUT_BODY },
    source: () => tokenSource("(?:sk|rk|pk)_(?:live|test)_", ALNUM, 10),
  },
  {
    label: "stripe-webhook-secret",
    marks: ["whsec_"],
    gate: { needs: UNDERSCORE, minLength: 6 + CUT_BODY },
    source: () => tokenSource("whsec_", "[A-Za-z0-9+/=]", 20),
  },
  {
    label: "slack-token",
    marks: ["xox", "xapp-"],
    gate: { needs: DASH, minLength: 5 + CUT_BODY },
    source: () => tokenSource("(?:xox[abposer]|xapp)-", "[A-Za-z0-9-]", 10),
  },
  {
    label: "anthropic-key",
    marks: ["sk-ant-"],
    gate: { needs: DASH, minLength: 7 + CUT_BODY },
    source: () => tokenSource("sk-ant-", URL_SAFE, 20),
  },
  {
    // Keys mix case and digits (checked after matching, to stay linear); kebab-case names do not.
    label: "openai-key",
    marks: ["sk-"],
    gate: { needs: DASH, minLength: 23 },
    source: () => String.raw`${tokenStart()}sk-[A-Za-z0-9_-]{20,}`,
    replace: (match) =>
      /[0-9]/.test(match) && /[A-Z]/.test(match) ? "[REDACTED:openai-key]" : match,
  },
  {
    // Entra ID (Azure AD) client secrets: a few characters, a digit, `Q~`, then some 34 (gitleaks).
    label: "azure-client-secret",
    marks: ["Q~"],
    // `~` is one of the OTHER characters.
    gate: { needs: OTHER, minLength: 5 + CUT_BODY },
    source: () =>
      String.raw`(?<![\w~.-])[\w~.-]{2,5}\dQ~(?:[\w~.-]{30,}|[\w~.-]{${CUT_BODY},29}(?=\r?\n|$))`,
  },
  {
    // Azure DevOps personal access tokens: 52 characters of lower-case base32.
    label: "azure-devops-pat",
    gate: { needs: LOWER, minLength: 52 },
    source: () => String.raw`(?<![A-Za-z0-9])[a-z2-7]{52}(?![A-Za-z0-9])`,
    // No word is 52 letters long: two digits make it a token, not a run of letters.
    replace: (match) => (/[2-7].*[2-7]/.test(match) ? "[REDACTED:azure-devops-pat]" : match),
  },
  {
    label: "google-api-key",
    marks: ["AIza"],
    gate: { needs: UPPER, minLength: 4 + CUT_BODY },
    source: () => tokenSource("AIza", URL_SAFE, 30),
  },
  {
    label: "google-oauth-secret",
    marks: ["GOCSPX-"],
    gate: { needs: DASH, minLength: 7 + CUT_BODY },
    source: () => tokenSource("GOCSPX-", URL_SAFE, 24),
  },
  {
    label: "google-oauth-token",
    marks: ["ya29."],
    gate: { needs: DOT, minLength: 5 + CUT_BODY },
    source: () => tokenSource(String.raw`ya29\.`, URL_SAFE, 20),
  },
  {
    label: "docker-token",
    marks: ["dckr_"],
    gate: { needs: UNDERSCORE, minLength: 9 + CUT_BODY },
    source: () => tokenSource("dckr_(?:pat|oat)_", URL_SAFE, 20),
  },
  {
    label: "databricks-token",
    marks: ["dapi"],
    gate: { needs: LOWER, minLength: 4 + CUT_BODY },
    source: () => tokenSource("dapi", "[0-9a-f]", 32),
  },
  {
    label: "huggingface-token",
    marks: ["hf_"],
    gate: { needs: UNDERSCORE, minLength: 3 + CUT_BODY },
    source: () => tokenSource("hf_", ALNUM, 30),
  },
  {
    label: "shopify-token",
    marks: ["shp"],
    gate: { needs: UNDERSCORE, minLength: 6 + CUT_BODY },
    source: () => tokenSource("shp(?:at|ss|ca|pa)_", "[A-Fa-f0-9]", 32),
  },
  {
    label: "supabase-token",
    marks: ["sbp_"],
    gate: { needs: UNDERSCORE, minLength: 4 + CUT_BODY },
    source: () => tokenSource("sbp_", "[a-f0-9]", 40),
  },
  {
    label: "pulumi-token",
    marks: ["pul-"],
    gate: { needs: DASH, minLength: 4 + CUT_BODY },
    source: () => tokenSource("pul-", "[a-f0-9]", 40),
  },
  {
    label: "vault-token",
    marks: ["hv"],
    gate: { needs: DOT, minLength: 4 + CUT_BODY },
    source: () => tokenSource(String.raw`hv[sbr]\.`, URL_SAFE, 24),
  },
  {
    label: "twilio-key",
    marks: ["SK"],
    gate: { needs: UPPER, minLength: 2 + CUT_BODY },
    source: () => tokenSource("SK", "[0-9a-fA-F]", 32),
  },
  {
    label: "sendgrid-key",
    marks: ["SG."],
    gate: { needs: DOT, minLength: 26 + CUT_BODY },
    source: () => tokenSource(String.raw`SG\.${URL_SAFE}{22}\.`, URL_SAFE, 43),
  },
  {
    // `123456789:AA…`: a Telegram bot id and its secret, both parts.
    label: "telegram-bot-token",
    marks: [":AA"],
    gate: { needs: COLON, minLength: 39 },
    source: () => String.raw`${tokenStart()}\d{6,12}:AA[A-Za-z0-9_-]{30,}`,
  },
];
