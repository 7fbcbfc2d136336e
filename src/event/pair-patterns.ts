// Q: can this be traced back to me? A: not through a value written next to a secret-looking name:
// `password=…`, `"apiKey": "…"`, `'x-auth-token' => '…'`, `--token …` and `-p…` after `mysql`
// have their values replaced by `[REDACTED:<kind>]`, the name, separator and quotes kept.
import { lazy } from "./lazy.js";
import { caseless } from "./regex-source.js";
import { classifyKey, type KeyVerdict } from "./secret-keys.js";
import type { RedactionRule } from "./rule.js";
import { BLANK, COLON, DASH, EQUALS } from "./text-features.js";

// A key is only read back from the text when it contains one of these (a cheap filter in the scan).
const KEY_STEMS = "pass pw tok secret key auth cred sig dsn cookie session sid bearer".split(" ");
const stems = () => `(?:${KEY_STEMS.map(caseless).join("|")})`;
let stemTest: RegExp | undefined;

/** Whether a key stem occurs at all; the test is compiled on first need, as the rules are. */
function hasKeyStem(text: string): boolean {
  stemTest ??= new RegExp(KEY_STEMS.join("|"), "i");
  return stemTest.test(text);
}

// A quoted value (the closing quote may be missing after a cut), JSON-escaped quotes included.
const quoted = () =>
  String.raw`\\"(?:[^"\\\r\n]|\\[^"\r\n])*(?:\\")?|"(?:[^"\\\r\n]|\\.)*"?|'(?:[^'\\\r\n]|\\.)*'?|` +
  String.raw`\x60(?:[^\x60\\\r\n]|\\.)*\x60?`;
// An unquoted word ends at a blank, a quote, `&`, `,` or `;`; dots and brackets inside it belong
// to it, at its end they do not (`(token=abc)` keeps its `)`, `token=abc.` its full stop).
const valueChar = () => String.raw`[^\s"'\x60<>&,;.()\[\]{}]`;
const innerChar = () => String.raw`[.()\[\]{}]`;
const word = () => String.raw`(?!\[REDACTED)${valueChar()}+(?:${innerChar()}+${valueChar()}+)*`;
// A password may hold spaces: it runs on until a delimiter or the next `key=` (a word ending in
// base64 padding, `c2Vj…=`, is not a key).
const nextKey = () => String.raw`[\w.-]+(?:[ \t]*(?:=>|:)|=(?![=\s]|$)|[ \t]+=)`;
const spacedWords = () => String.raw`${word()}(?:[ \t]+(?!${nextKey()})${word()})*`;

// Values that say a secret is missing, not what it is; worth keeping in an error message.
const placeholderValues = lazy(
  () => new Set("null undefined true false none nil empty missing required invalid".split(" ")),
);

/** A `:` or `=` that can separate a key from a value (`::` in `cloudflare::Worker` cannot). */
function hasSeparator(text: string): boolean {
  if (text.includes("=")) return true;
  for (let index = text.indexOf(":"); index !== -1; index = text.indexOf(":", index + 1)) {
    if (text.charCodeAt(index - 1) !== 58 && text.charCodeAt(index + 1) !== 58) return true;
  }
  return false;
}

/** The key written just before `offset`: skips blanks and a closing (maybe escaped) quote. */
function keyBefore(text: string, offset: number): string {
  let end = offset;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  if (end > 0 && /["'\x60]/.test(text[end - 1] ?? "")) end--;
  if (end > 0 && text[end - 1] === "\\") end--;
  let start = end;
  while (start > 0 && end - start < 128 && /[\w.-]/.test(text[start - 1] ?? "")) start--;
  return text.slice(start, end);
}

/** A value under a weak key (`session`, `cookie`) is secret only when it looks like one. */
function looksSecretValue(value: string): boolean {
  // `Cookie: sid=…; theme=dark` is a list of pairs, each judged at its own `=`.
  if (value.includes("=")) return false;
  return value.length >= 8 && (/\d/.test(value) || value.length >= 20);
}

function isSecretValue(value: string, verdict: KeyVerdict): boolean {
  if (value === "" || placeholderValues().has(value.toLowerCase())) return false;
  // Already replaced by a rule that knew its format: that label says more than the key.
  if (value.startsWith("[REDACTED")) return false;
  return !verdict.weak || looksSecretValue(value);
}

const QUOTE_HEAD = /^(\\"|"|'|\x60)/;

/** The value blanked, its quotes kept; undefined when it is a placeholder or, under a weak key, plain. */
function blankValue(value: string, verdict: KeyVerdict): string | undefined {
  const quote = QUOTE_HEAD.exec(value)?.[1];
  if (quote === undefined) {
    return isSecretValue(value, verdict) ? `[REDACTED:${verdict.kind}]` : undefined;
  }
  const closed = value.length > quote.length && value.endsWith(quote);
  const inner = value.slice(quote.length, closed ? -quote.length : undefined);
  if (!isSecretValue(inner, verdict)) return undefined;
  return `${quote}[REDACTED:${verdict.kind}]${closed ? quote : ""}`;
}

// Read at the end of a separator: a password's value runs on over blanks, any other is one word.
let spacedValueAt: RegExp | undefined;
let wordValueAt: RegExp | undefined;

/** The value written after a separator ending at `index`, with the blanks before it. */
function valueAt(text: string, index: number, spaced: boolean): RegExpExecArray | null {
  spacedValueAt ??= new RegExp(String.raw`[ \t]*(?:${quoted()}|${spacedWords()})`, "y");
  wordValueAt ??= new RegExp(String.raw`[ \t]*(?:${quoted()}|${word()})`, "y");
  const pattern = spaced ? spacedValueAt : wordValueAt;
  pattern.lastIndex = index;
  return pattern.exec(text);
}

/**
 * Visits every separator after a key with a secret stem and blanks the value of secret keys.
 * A value under any other key is scanned on, so `author: token=…` still has its token found.
 */
function rewritePairs(text: string, separators: RegExp): string {
  let out = "";
  let kept = 0;
  separators.lastIndex = 0;
  for (let found = separators.exec(text); found !== null; found = separators.exec(text)) {
    const verdict = classifyKey(keyBefore(text, found.index));
    if (verdict === undefined) continue;
    const valueStart = found.index + found[0].length;
    const value = valueAt(text, valueStart, verdict.spaced);
    if (value === null) continue;
    const blanks = /^[ \t]*/.exec(value[0])?.[0] ?? "";
    const blanked = blankValue(value[0].slice(blanks.length), verdict);
    if (blanked === undefined) continue;
    out += text.slice(kept, valueStart) + blanks + blanked;
    kept = valueStart + value[0].length;
    separators.lastIndex = kept;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/** `key: value`, `key = value`, `"key":"value"`, `'key' => 'value'`, keys classified by word. */
const PAIR_RULE: RedactionRule = {
  label: "secret-pair",
  hint: (text) => hasSeparator(text) && hasKeyStem(text),
  // A stem (`pw`) and a separator.
  gate: { needs: COLON | EQUALS, minLength: 3 },
  // The scan stops only at a separator; the look back at the key is bounded, so a long word
  // before a colon cannot make it quadratic.
  source: () =>
    String.raw`(?:=>|[:=])(?<=(?<![\w.-])(?:\\?["'\x60])?[\w.-]{0,60}?${stems()}[\w.-]{0,60}(?:\\?["'\x60])?[ \t]*(?:=>|[:=]))(?![:=>])`,
  rewrite: rewritePairs,
};

/** `--password hunter2`, `--api-key=…`, `-token "…"`: a secret passed as a long flag. */
const FLAG_RULE: RedactionRule = {
  label: "flag",
  marks: ["-"],
  hint: hasKeyStem,
  // `-pw`, `=` or a blank, and a character.
  gate: { needs: EQUALS | BLANK, minLength: 5 },
  source: () =>
    String.raw`(?<![\w-])--?(?=[\w-]{0,60}?${stems()})[A-Za-z][\w-]{0,80}(?:=|[ \t]+)(?!-)` +
    `(?:${quoted()}|${word()})`,
  replace: (match: string) => {
    const head = /^--?([\w-]+)(?:=|[ \t]+)/.exec(match);
    const name = head?.[1] ?? "";
    const verdict = /^no[-_]/i.test(name) ? undefined : classifyKey(name);
    if (head === null || verdict === undefined) return match;
    const blanked = blankValue(match.slice(head[0].length), verdict);
    return blanked === undefined ? match : head[0] + blanked;
  },
};

// Commands whose short flags carry a password: `mysql -pSECRET`, `docker login -p SECRET`.
const ATTACHED_PASSWORD_COMMAND = /\b(?:mysql\w*|mariadb[\w-]*)\b/;
const SPACED_PASSWORD_COMMAND =
  /\b(?:(?:docker|podman|nerdctl|buildah|skopeo|helm|oras|crane|regctl)\b.*\blogin|sshpass|mongo(?:sh|dump|restore|import|export)?)\b/;
const REDIS_COMMAND = /\bredis-cli\b/;

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
  const isPassword =
    (flag === "-p" && gap === "" && ATTACHED_PASSWORD_COMMAND.test(line)) ||
    (flag === "-p" && gap !== "" && SPACED_PASSWORD_COMMAND.test(line)) ||
    (flag === "-a" && gap !== "" && REDIS_COMMAND.test(line));
  return isPassword ? "[REDACTED:password]" : undefined;
}

/** `curl -u user:pass`, `mysql -pSECRET`, `docker login -p SECRET`, `redis-cli -a SECRET`. */
const SHORT_FLAG_RULE: RedactionRule = {
  label: "short-flag",
  marks: ["-p", "-u", "-a"],
  gate: { needs: DASH, minLength: 3 },
  source: () =>
    String.raw`(?<![\w-])(?:-[pua]|--user)(?:=|[ \t]+)?(?![-\s])(?:${quoted()}|${word()})`,
  replace: (match: string, offset: number, text: string) => {
    const head = /^(-[pua]|--user)(=|[ \t]+)?/.exec(match);
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

/** Applied after the well-known formats, so that a token is named by its format when it has one. */
export const PAIR_RULES: readonly RedactionRule[] = [PAIR_RULE, FLAG_RULE, SHORT_FLAG_RULE];
