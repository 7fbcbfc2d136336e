// Q: can this be traced back to me? A: not through what these catch: secrets of formats nobody
// listed (credentials after an auth scheme, signed-URL parameters, random-looking runs and their
// wrapped tails), long hex keys and account ids, AWS account ids, resource UUIDs and public IPv4
// and IPv6 addresses are replaced before the spool.
import { looksRandom, redactOpaqueRun } from "./opaque-token.js";
import { lazy } from "./lazy.js";
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./rule.js";
import { BLANK, COLON, DASH, DOT, EQUALS, PERCENT } from "./text-features.js";

const QUERY_WORDS = ["key", "sig", "signature", "code", "token", "auth", "apikey", "access_token"];
const queryKinds = lazy(
  () =>
    new Map([
      ["key", "key"],
      ["apikey", "key"],
      ["sig", "signature"],
      ["signature", "signature"],
      ["code", "code"],
      ["auth", "auth"],
    ]),
);
const schemeKinds = lazy(
  () =>
    new Map([
      ["basic", "credentials"],
      ["digest", "credentials"],
      ["token", "token"],
      ["bearer", "token"],
    ]),
);

/** A credential has a digit, a capital or a base64 mark: `Basic authentication` is English. */
function looksLikeCredential(value: string): boolean {
  return /[0-9A-Z+/=]/.test(value);
}

/** Keeps the scheme word (`Bearer`, `Basic`) and blanks what follows it, unless it is a word. */
function replaceSchemeValue(match: string): string {
  const [, scheme = "", gap = "", value = ""] = /^(\w+)(\s+|%20)(.*)$/s.exec(match) ?? [];
  if (!looksLikeCredential(value)) return match;
  return `${scheme}${gap}[REDACTED:${schemeKinds().get(scheme.toLowerCase()) ?? "credentials"}]`;
}

/** Private, loopback, link-local and reserved IPv4 ranges name no one; others may name a home. */
const nonPublicIp = () =>
  String.raw`(?!(?:0|10|127|255)\.|169\.254\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)`;
// `version 1.2.3.4`, `version=1.2.3.4`, `>=1.2.3.4`, `~1.2.3.4`, `v1.2.3.4`: a four-part version,
// not an address; after any other `=` or `@` it is one (`host=84.17.233.41`, `deploy@…`), and
// after `-v` too (`ssh -v 84.17.233.41`: verbose, not a version).
const notAfterVersion = () =>
  String.raw`(?<![\w.~^<>]|[<>=!~^]=|(?:${caseless("version")}|${caseless("ver")})[ =:])`;
const octet = () => String.raw`(?:25[0-5]|2[0-4]\d|1?\d?\d)`;
/** The same ranges as nonPublicIp, written with dashes as in `ip-10-0-0-5.ec2.internal`. */
const nonPublicDashedIp = () =>
  String.raw`(?!(?:0|10|127|255)-|169-254-|192-168-|172-(?:1[6-9]|2\d|3[01])-)`;
const hex4 = () => "[0-9a-fA-F]{1,4}";

/**
 * Whether a text may hold a global IPv6 address: four hex digits, the first `2` or `3`, before
 * a `:` that starts no word (`cloudflare::Worker` and `12:30:45` hold none).
 */
function mayHoldIpv6(text: string): boolean {
  for (let colon = text.indexOf(":", 4); colon !== -1; colon = text.indexOf(":", colon + 1)) {
    const lead = text.charCodeAt(colon - 4);
    if ((lead === 50 || lead === 51) && isHex(text, colon - 3) && isHex(text, colon - 2)) {
      if (isHex(text, colon - 1)) return true;
    }
  }
  return false;
}

function isHex(text: string, index: number): boolean {
  const code = text.charCodeAt(index) | 32;
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

/** Whether a text holds three dashes and a dot: what an address spelled with dashes needs. */
function mayHoldDashedIp(text: string): boolean {
  const first = text.indexOf("-");
  if (first === -1 || !text.includes(".")) return false;
  return text.indexOf("-", text.indexOf("-", first + 1) + 1) !== -1;
}

// A redaction followed by the rest of the value on the next line (a token wrapped by a terminal).
const WRAPPED_TAIL = /^(\[REDACTED:[\w:.-]+\])(\r?\n)([A-Za-z0-9+/=_-]+)$/;

/** The consumed lead character, and the two hex digits of a percent escape (`%20`) after it. */
function leadLength(match: string): number {
  if (/^[A-Za-z0-9+/_-]/.test(match)) return 0;
  return match.charCodeAt(0) === 37 && /^%[0-9A-Fa-f]{2}/.test(match) ? 3 : 1;
}

/** Applied after the well-known formats: shapes that are secret whatever their issuer. */
export const GENERIC_SECRET_RULES: readonly RedactionRule[] = [
  {
    // `Basic dXNlcjpwYXNz`, `Bearer abc…`, `Token abc…`, `Digest …`: credentials after a scheme.
    label: "auth-scheme",
    marks: ["asic", "oken", "igest", "earer", "ASIC", "OKEN", "IGEST", "EARER"],
    // `token` or `basic`, a blank (or `%20`) and eight characters.
    gate: { needs: BLANK | PERCENT, minLength: 14 },
    source: () =>
      String.raw`(?<![\w-])(?:${[...schemeKinds().keys()].map(caseless).join("|")})(?:\s+|%20)(?!\[REDACTED)[A-Za-z0-9._~+/=-]{8,}`,
    replace: replaceSchemeValue,
  },
  {
    // Signed URLs and API keys in query strings: `?key=…`, `&sig=…`, `?code=…`.
    label: "query-secret",
    // `?key=` and a character.
    gate: { needs: EQUALS, minLength: 6 },
    source: () =>
      String.raw`[?&](?:${QUERY_WORDS.map(caseless).join("|")})=(?!\[REDACTED)[^\s&#"'<>]+`,
    replace: (match) => {
      const head = match.slice(0, match.indexOf("=") + 1);
      return `${head}[REDACTED:${queryKinds().get(head.slice(1, -1).toLowerCase()) ?? "token"}]`;
    },
  },
  {
    // 32 or more hex digits: API keys (Datadog, DigitalOcean, Cloudflare global keys) and account
    // ids, which name an account as surely as a token does; from 24 on (a Plaid secret, a MongoDB
    // id) when digits and letters mix, as a number or a word does not.
    label: "hex",
    gate: { needs: 0, minLength: 24 },
    // The lead character is consumed and given back, as for tokens below.
    source: () => String.raw`(?:^|[^A-Za-z0-9])[0-9a-fA-F]{24,}(?![A-Za-z0-9])`,
    replace: (match) => {
      const lead = /^[0-9a-fA-F]/.test(match) ? "" : match.charAt(0);
      const hex = match.slice(lead.length);
      const mixed = /[0-9]/.test(hex) && /[a-fA-F]/.test(hex);
      return hex.length >= 32 || mixed ? `${lead}[REDACTED:hex]` : match;
    },
  },
  {
    // Resource and account UUIDs (a project, a database, a tenant) identify whose they are.
    label: "uuid",
    gate: { needs: DASH, minLength: 36 },
    source: () =>
      String.raw`(?<![A-Za-z0-9])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9])`,
    replace: () => "[REDACTED:uuid]",
  },
  {
    label: "ip",
    gate: { needs: DOT, minLength: 7 },
    source: () =>
      String.raw`${notAfterVersion()}${nonPublicIp()}${octet()}(?:\.${octet()}){3}(?![\w.])`,
    replace: () => "[REDACTED:ip]",
  },
  {
    // Global unicast IPv6 (2000::/3), in full or with `::`; link-local (`fe80::`), unique
    // local (`fd00::`), loopback and mapped (`::ffff:…`) addresses name no one, as times do not.
    label: "ip",
    hint: mayHoldIpv6,
    // `2a02::`.
    gate: { needs: COLON, minLength: 6 },
    source: () =>
      String.raw`[23](?<![\w:.].)[0-9a-fA-F]{3}(?:(?::${hex4()}){7}|(?::${hex4()}){0,6}::(?:${hex4()}(?::${hex4()}){0,6})?)(?![\w:])`,
    replace: () => "[REDACTED:ip]",
  },
  {
    // A public address inside a host name: `ec2-84-17-233-41.compute-1.amazonaws.com`.
    label: "ip",
    hint: mayHoldDashedIp,
    // `1-1-1-1.a`.
    gate: { needs: DASH, minLength: 9 },
    source: () =>
      String.raw`(?<![\w.-])(?:[A-Za-z][A-Za-z0-9]{0,30}-)?${nonPublicDashedIp()}${octet()}(?:-${octet()}){3}(?=\.[A-Za-z])`,
    replace: (match) => {
      const prefix = /^[A-Za-z][A-Za-z0-9]*-/.exec(match)?.[0] ?? "";
      return `${prefix}[REDACTED:ip]`;
    },
  },
  {
    // AWS account ids name an account: in an ARN (`arn:aws:iam::482913650172:role/x`) and in
    // an ECR registry's host (`482913650172.dkr.ecr.us-east-1.amazonaws.com`).
    label: "aws-account",
    marks: ["arn:aws", ".dkr.ecr."],
    // `arn:aws:s::123456789012:`.
    gate: { needs: COLON | DOT, minLength: 21 },
    source: () =>
      String.raw`(?<=(?<![\w-])arn:aws[\w-]*:[\w-]*:[\w-]*:)\d{12}(?!\w)|(?<![\w.-])\d{12}(?=\.dkr\.ecr\.)`,
    replace: () => "[REDACTED:aws-account]",
  },
  {
    // Long runs that read as random (tokens, base64 keys); the lead character is consumed
    // instead of a lookbehind (several times faster) and given back.
    label: "token",
    gate: { needs: 0, minLength: 24 },
    source: () => String.raw`(?:^|[^A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/=_-])`,
    replace: (match) => {
      // Most runs are paths and names of one case without a digit: nothing to judge.
      if (!/[0-9]/.test(match) && !(/[A-Z]/.test(match) && /[a-z]/.test(match))) return match;
      const lead = leadLength(match);
      if (match.length - lead < 24) return match;
      const run = match.slice(lead);
      const redacted = redactOpaqueRun(run);
      return redacted === run ? match : match.slice(0, lead) + redacted;
    },
  },
  {
    // The second line of a wrapped token: random-looking, right after a redaction and a newline.
    label: "wrapped-token",
    marks: ["[REDACTED"],
    hint: (text) => text.includes("\n"),
    // `[REDACTED:x]`, a line break and eight characters.
    gate: { needs: BLANK, minLength: 21 },
    source: () => String.raw`\[REDACTED:[\w:.-]+\]\r?\n[A-Za-z0-9+/=_-]{8,}(?![A-Za-z0-9+/=_-])`,
    replace: (match) => {
      const [, head = "", newline = "", tail = ""] = WRAPPED_TAIL.exec(match) ?? [];
      return looksRandom(tail, 8) ? `${head}${newline}${head}` : match;
    },
  },
];
