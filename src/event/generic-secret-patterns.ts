// Q: can this be traced back to me? A: not through what these catch: secrets of formats nobody
// listed (Basic credentials, signed-URL parameters), long hex keys and account ids, resource
// UUIDs and public IP addresses are replaced before the spool.
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./secret-patterns.js";

const QUERY_WORDS = [
  "key",
  "sig",
  "signature",
  "code",
  "token",
  "auth",
  "apikey",
  "access_token",
  "secret",
];

/** Applied after the well-known formats: shapes that are secret whatever their issuer. */
export const GENERIC_SECRET_RULES: readonly RedactionRule[] = [
  {
    // `Basic dXNlcjpwYXNz`, `Token abc…`, `Digest …`: credentials after an auth scheme.
    label: "auth-scheme",
    hint: (text) => /asic|oken|igest/.test(text),
    source: String.raw`(?<![\w-])(?:${["basic", "token", "digest"].map(caseless).join("|")})\s+(?!\[REDACTED)[A-Za-z0-9._~+/=-]{12,}`,
    replace: (match) => `${match.split(/\s+/)[0] ?? ""} [REDACTED]`,
  },
  {
    // Signed URLs and API keys in query strings: `?key=…`, `&sig=…`, `?code=…`.
    label: "query-secret",
    hint: (text) => text.includes("="),
    source: String.raw`[?&](?:${QUERY_WORDS.map(caseless).join("|")})=(?!\[REDACTED)[^\s&#"'<>]+`,
    replace: (match) => `${match.slice(0, match.indexOf("=") + 1)}[REDACTED]`,
  },
  {
    // 32 or more hex digits: API keys (Datadog, DigitalOcean, Cloudflare global keys) and account
    // ids, which name an account as surely as a token does.
    label: "hex",
    hint: (text) => text.length >= 32,
    source: String.raw`(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])`,
    replace: () => "[REDACTED:hex]",
  },
  {
    // Resource and account UUIDs (a project, a database, a tenant) identify whose they are.
    label: "uuid",
    hint: (text) => text.includes("-"),
    source: String.raw`(?<![A-Za-z0-9])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9])`,
    replace: () => "[REDACTED:uuid]",
  },
  {
    // IPv4 addresses, except loopback and the unspecified address, which identify nobody.
    label: "ip",
    hint: (text) => text.includes("."),
    source: String.raw`(?<![\w.])(?!127\.|0\.0\.0\.0)(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w.])`,
    replace: () => "[REDACTED:ip]",
  },
];
