// Q: can this be traced back to me? A: not through a password typed on a command line: short
// flags of tools that take one (`mysql -p…`, `docker login -p …`, `sqlcmd -P …`, `ssh-keygen -N …`),
// `curl -u user:pass`, and the values that `config set`, `gh secret set --body`, `htpasswd -b`
// and `echo … | … secret put` carry are replaced, the command kept.
import { blankAfterHead, blankValue, quoted, word } from "./pair-values.js";
import type { RedactionRule } from "./rule.js";
import { classifyKey, type KeyVerdict } from "./secret-keys.js";
import { AT, BLANK, DASH } from "./text-features.js";

// Commands whose short flags carry a password: `mysql -pSECRET`, `docker login -p SECRET`.
const ATTACHED_PASSWORD_COMMAND = /\b(?:mysql\w*|mariadb[\w-]*)\b/;
const SPACED_PASSWORD_COMMAND =
  /\b(?:(?:docker|podman|nerdctl|buildah|skopeo|helm|oras|crane|regctl|az)\b.*\blogin|sshpass|mongo(?:sh|dump|restore|import|export)?)\b/;
const REDIS_COMMAND = /\bredis-cli\b/;
// A capital `-P` is a password to these (to `mysql` it is a port), `-N` a new passphrase.
const CAPITAL_P_COMMAND = /\b(?:sqlcmd|bcp|zip|unzip|7z|ssh-keygen)\b/;
const PASSPHRASE_COMMAND = /\bssh-keygen\b/;
const EMPTY_QUOTES = /^(["'\x60])\1$/;

/** The text of the line before `offset`, where the command of a flag is written. */
function lineBefore(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset) + 1;
  return text.slice(Math.max(start, offset - 500), offset);
}

/** Whether a short flag's value is a password, judged by the flag and the command before it. */
function blankShortFlag(
  flag: string,
  gap: string,
  value: string,
  line: string,
): string | undefined {
  if (flag === "-u" || flag === "--user") {
    // `curl -u user:pass`; `-u 1000:1000` and `-u app:app` are a uid and a group, not a login.
    const colon = value.indexOf(":");
    const user = value.slice(0, colon);
    const password = value.slice(colon + 1);
    if (colon <= 0 || password === "" || /^\d+$/.test(password) || password === user) return;
    if (password.startsWith("[REDACTED")) return;
    return `${user}:[REDACTED:password]`;
  }
  // `ssh-keygen -N ""` sets no passphrase.
  if (EMPTY_QUOTES.test(value)) return;
  const isPassword =
    (flag === "-p" && gap === "" && ATTACHED_PASSWORD_COMMAND.test(line)) ||
    (flag === "-p" && gap !== "" && SPACED_PASSWORD_COMMAND.test(line)) ||
    (flag === "-a" && gap !== "" && REDIS_COMMAND.test(line)) ||
    (flag === "-P" && CAPITAL_P_COMMAND.test(line)) ||
    (flag === "-N" && PASSPHRASE_COMMAND.test(line));
  return isPassword ? "[REDACTED:password]" : undefined;
}

/** `curl -u user:pass`, `mysql -pSECRET`, `docker login -p SECRET`, `sqlcmd -P SECRET`, … */
const SHORT_FLAG_RULE: RedactionRule = {
  label: "short-flag",
  marks: ["-p", "-u", "-a", "-P", "-N"],
  gate: { needs: DASH, minLength: 3 },
  source: () =>
    String.raw`(?<![\w-])(?:-[puaPN]|--user)(?:=|[ \t]+)?(?![-\s])(?:${quoted()}|${word()})`,
  replace: (match: string, offset: number, text: string) => {
    const head = /^(-[puaPN]|--user)(=|[ \t]+)?/.exec(match);
    if (head === null) return match;
    const flag = head[1] ?? "";
    const gap = head[2] ?? "";
    const blanked = blankShortFlag(
      flag,
      gap,
      match.slice(head[0].length),
      lineBefore(text, offset),
    );
    return blanked === undefined ? match : head[0] + blanked;
  },
};

const SECRET: KeyVerdict = { kind: "secret", spaced: false, weak: false };

/** `aws configure set aws_secret_access_key …`, `npm config set //host/:_authToken …`. */
const CONFIG_SET_RULE: RedactionRule = {
  label: "config-set",
  marks: ["config"],
  // `config set k v`.
  gate: { needs: BLANK, minLength: 14 },
  source: () =>
    String.raw`\bconfig(?:ure)?[ \t]+set[ \t]+[^\s=]+[ \t]+(?!-)(?:${quoted()}|${word()})`,
  replace: (match) => {
    const key = /^config(?:ure)?[ \t]+set[ \t]+([^\s=]+)/.exec(match)?.[1] ?? "";
    // The setting's own name is its last part: `//host/:_authToken`, `profile.dev.aws_secret…`.
    const name = key.split(/[:/.]/).pop() ?? "";
    return blankAfterHead(
      match,
      /^config(?:ure)?[ \t]+set[ \t]+[^\s=]+[ \t]+/.exec(match),
      classifyKey(name),
    );
  },
};

/** `gh secret set NAME --body …`: the body is the secret. */
const GH_SECRET_RULE: RedactionRule = {
  label: "gh-secret",
  marks: ["secret"],
  hint: (text) => text.includes("gh"),
  // `gh secret set -b x`.
  gate: { needs: BLANK, minLength: 18 },
  source: () =>
    String.raw`\bgh[ \t]+secret[ \t]+set\b[^\n]*?[ \t](?:--body|-b)(?:=|[ \t]+)(?!-)(?:${quoted()}|${word()})`,
  replace: (match) => blankAfterHead(match, /^.*(?:--body|-b)(?:=|[ \t]+)/.exec(match), SECRET),
};

/** `htpasswd -b[c] file user PASSWORD`, `htpasswd -nb user PASSWORD`: batch mode takes it last. */
const HTPASSWD_RULE: RedactionRule = {
  label: "htpasswd",
  marks: ["htpasswd"],
  // `htpasswd a b`.
  gate: { needs: BLANK, minLength: 12 },
  source: () => String.raw`\bhtpasswd(?:[ \t]+[^\s|;&]+){2,8}`,
  replace: (match) => {
    const parts = match.split(/([ \t]+)/);
    const flags = parts.filter((part) => part.startsWith("-")).join("");
    if (!flags.includes("b")) return match;
    // Words after the command: flags, then the file (unless -n), the user and the password.
    const positional = parts.flatMap((part, index) =>
      index > 0 && index % 2 === 0 && !part.startsWith("-") ? [index] : [],
    );
    const at = positional[flags.includes("n") ? 1 : 2];
    if (at === undefined) return match;
    parts[at] = "[REDACTED:password]";
    return parts.join("");
  },
};

// What reads a secret from its standard input: `wrangler secret put`, `docker login
// --password-stdin`, `az devops login`, `vercel env add`, `chpasswd`.
const SECRET_SINK =
  /\b(?:secrets?|login|passw\w*|token|passphrase|credentials?|chpasswd|env[ \t]+add)\b|--password-stdin/i;

/** `echo SECRET | wrangler secret put NAME`: a value piped into what stores or checks secrets. */
const PIPED_SECRET_RULE: RedactionRule = {
  label: "piped-secret",
  marks: ["|"],
  hint: (text) => text.includes("echo") || text.includes("printf"),
  // `echo x|`.
  gate: { needs: BLANK, minLength: 7 },
  source: () =>
    String.raw`\b(?:echo|printf)(?:[ \t]+-[neE]+)*[ \t]+(?:${quoted()}|[^\s|;&]+)[ \t]*\|[^\n|;&]*`,
  replace: (match) => {
    const pipe = match.lastIndexOf("|");
    if (!SECRET_SINK.test(match.slice(pipe + 1))) return match;
    const head = /^(?:echo|printf)(?:[ \t]+-[neE]+)*[ \t]+/.exec(match)?.[0] ?? "";
    const value = match.slice(head.length, pipe).trimEnd();
    // `echo "$TOKEN" | …` names a variable, not its value.
    if (/^["']?\$/.test(value)) return match;
    const blanked = blankValue(value, SECRET);
    return blanked === undefined ? match : head + blanked + match.slice(head.length + value.length);
  },
};

// Oracle's tools take `user/password@connect`; EZConnect writes `user/password@//host/service`.
const ORACLE_TOOLS = ["sqlplus", "sqlldr", "expdp", "impdp", "rman", "@//"];

/** `sqlplus system/PASSWORD@//db:1521/ORCL`: the part between `/` and `@` is a password. */
const ORACLE_LOGIN_RULE: RedactionRule = {
  label: "password",
  marks: ["@"],
  hint: (text) => ORACLE_TOOLS.some((tool) => text.includes(tool)),
  // `a/b@//`.
  gate: { needs: AT, minLength: 6 },
  source: () =>
    String.raw`(?<=\b(?:sqlplus|sqlldr|expdp|impdp|rman)(?:[ \t]+-\w+)*[ \t]+[A-Za-z][\w$#]*/)(?!\[REDACTED)[^\s/@"']+(?=@)|` +
    String.raw`(?<=(?<![\w/.:-])[A-Za-z][\w$#]*/)(?!\[REDACTED)[^\s/@"']+(?=@//)`,
};

/** Applied after the pair rules: a flag's or a command's value, judged by the command. */
export const COMMAND_RULES: readonly RedactionRule[] = [
  SHORT_FLAG_RULE,
  CONFIG_SET_RULE,
  GH_SECRET_RULE,
  HTPASSWD_RULE,
  PIPED_SECRET_RULE,
  ORACLE_LOGIN_RULE,
];
