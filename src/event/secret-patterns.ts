// Q: can this be traced back to me? A: not through a credential: private keys, webhook URLs and
// passwords in URLs are replaced before the text is written to the spool (the vendors' token
// formats are in token-patterns.ts). Labels name the kind of secret, never any part of it.
import type { RedactionRule } from "./rule.js";
import { AT, BACKSLASH, BLANK, DASH, PERCENT, SLASH } from "./text-features.js";

// Plain literals without calls: every host evaluates the tables at import. A rule without
// `replace` becomes `[REDACTED:<label>]`.
/** Applied in order: a later rule never sees what an earlier one replaced. */
export const SECRET_RULES: readonly RedactionRule[] = [
  {
    label: "private-key",
    marks: ["PRIVATE KEY"],
    // `-----BEGIN`, `PRIVATE KEY` (with its blank) and `-----`.
    gate: { needs: BLANK, minLength: 26 },
    source: () =>
      String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)`,
  },
  {
    label: "private-key",
    marks: ["PuTTY-User-Key-File"],
    gate: { needs: DASH, minLength: 22 },
    source: () => String.raw`PuTTY-User-Key-File-\d+:[\s\S]*?(?:Private-MAC:[ \t]*[0-9A-Fa-f]+|$)`,
  },
  {
    // Slack and Discord webhook URLs are credentials by themselves, also URL-encoded in a query.
    label: "webhook",
    // Not "/webhooks": the URL-encoded form (`%2Fwebhooks`) must pass the mark too.
    marks: ["hooks.slack.com", "webhooks"],
    // `hooks.slack.com`, a separator and a character at least.
    gate: { needs: SLASH | PERCENT, minLength: 17 },
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
    marks: ["://"],
    // Both forms end with `@`.
    gate: { needs: AT, minLength: 4 },
    source: () => String.raw`://(?:[^\s/?#"'<>@]*@|[^\s/?#"'<>@:]*:(?!\d+/)[^\s?#"'<>]*@)`,
    replace: () => "://[REDACTED:credentials]@",
  },
  {
    // The same in a URL-encoded (`mysql%3A%2F%2Froot%3Apw%40db`, once or twice over) or
    // JSON-escaped (`mysql:\/\/root:pw@db`) URL, where the `://` above is not written plain.
    label: "url-credentials",
    hint: (text) => text.includes("%3") || text.includes("\\/"),
    // `:\/\/a@`.
    gate: { needs: PERCENT | BACKSLASH, minLength: 7 },
    source: () =>
      String.raw`(?:%(?:25)?3[Aa](?:%(?:25)?2[Ff]){2}|:(?:\\{1,3}/){2})[^\s/?#"'<>@%\\]+` +
      String.raw`(?:(?:%(?:25)?3[Aa]|:)(?!\d+(?:%(?:25)?2[Ff]|\\{0,3}/))[^\s?#"'<>@]*?)?(?:%(?:25)?40|@)`,
    replace: (match) => {
      const head =
        /^(?:%(?:25)?3[Aa](?:%(?:25)?2[Ff]){2}|:(?:\\{1,3}\/){2})/.exec(match)?.[0] ?? "";
      const at = /(?:%(?:25)?40|@)$/.exec(match)?.[0] ?? "@";
      return `${head}[REDACTED:credentials]${at}`;
    },
  },
];
