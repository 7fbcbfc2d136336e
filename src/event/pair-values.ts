// The values of secret key/value pairs and flags: how far a value runs, and whether it is one
// worth blanking (`password: null` says a secret is missing, not what it is).
import { lazy } from "./lazy.js";
import type { KeyVerdict } from "./secret-keys.js";

// A quoted value (the closing quote may be missing after a cut), JSON-escaped quotes included.
export const quoted = () =>
  String.raw`\\"(?:[^"\\\r\n]|\\[^"\r\n])*(?:\\")?|"(?:[^"\\\r\n]|\\.)*"?|'(?:[^'\\\r\n]|\\.)*'?|` +
  String.raw`\x60(?:[^\x60\\\r\n]|\\.)*\x60?`;
// An unquoted word ends at a blank, a quote, `&`, `,` or `;`; dots and brackets inside it belong
// to it, at its end they do not (`(token=abc)` keeps its `)`, `token=abc.` its full stop).
const valueChar = () => String.raw`[^\s"'\x60<>&,;.()\[\]{}]`;
const innerChar = () => String.raw`[.()\[\]{}]`;
export const word = () =>
  String.raw`(?!\[REDACTED)${valueChar()}+(?:${innerChar()}+${valueChar()}+)*`;
// Values that say a secret is missing, not what it is; worth keeping in an error message.
const placeholderValues = lazy(
  () => new Set("null undefined true false none nil empty missing required invalid".split(" ")),
);
// Words that say what happened to a secret (`token: expired`, `Secret: already exists`, `--token
// is deprecated`, zod's `Invalid token: expected string`): a message, not a value, where a value
// is one word. A token or key is never an English word; a password may be one, so under a
// password (whose value runs over blanks) only the words that name a state are kept, and never a
// phrase: `password: too many secrets` could be a passphrase, and goes.
const messageWords = lazy(
  () =>
    new Set(
      [
        "expired expires revoked denied rejected refused expected unexpected provided supplied given",
        "found set unset not is are was were has have had must should cannot can will may might",
        "too already does did needs contains mismatch incorrect wrong malformed unknown unavailable",
        "unauthorized forbidden disabled enabled changed updated reset accepted verified weak",
        "blank hidden omitted",
      ]
        .join(" ")
        .split(" "),
    ),
);
const stateWords = lazy(
  () =>
    new Set(
      "expired revoked denied rejected refused expected unexpected unauthorized forbidden disabled incorrect malformed mismatch unavailable unknown".split(
        " ",
      ),
    ),
);

/** One word that reports on the secret rather than being it (in any case: zod's `Expected`). */
function isMessageWord(value: string, verdict: KeyVerdict): boolean {
  const words = verdict.spaced ? stateWords() : messageWords();
  return words.has(value.toLowerCase());
}

/** A value under a weak key (`session`, `cookie`) is secret only when it looks like one. */
function looksSecretValue(value: string): boolean {
  // `Cookie: sid=…; theme=dark` is a list of pairs, each judged at its own `=`.
  if (value.includes("=")) return false;
  return value.length >= 8 && (/\d/.test(value) || value.length >= 20);
}

// What a path starts with: `/`, `~/`, `$HOME/`, `./`, `../`, a drive (`C:\`); `PWD=~k9Lm2pQ` and
// `PWD=$ecret99` are passwords.
const PATH_HEAD = /^(?:\/|~(?:\/|$)|\$\{?HOME\}?(?:\/|$)|\.{1,2}(?:[\\/]|$)|[A-Za-z]:[\\/])/;

function isSecretValue(value: string, verdict: KeyVerdict): boolean {
  if (
    value === "" ||
    placeholderValues().has(value.toLowerCase()) ||
    isMessageWord(value, verdict)
  ) {
    return false;
  }
  if (verdict.unlessPath === true && PATH_HEAD.test(value)) return false;
  // Already replaced by a rule that knew its format: that label says more than the key.
  if (value.startsWith("[REDACTED")) return false;
  return !verdict.weak || looksSecretValue(value);
}

const QUOTE_HEAD = /^(\\"|"|'|\x60)/;

/** The value blanked, its quotes kept; undefined when it is a placeholder or, under a weak key, plain. */
export function blankValue(value: string, verdict: KeyVerdict): string | undefined {
  const quote = QUOTE_HEAD.exec(value)?.[1];
  if (quote === undefined) {
    return isSecretValue(value, verdict) ? `[REDACTED:${verdict.kind}]` : undefined;
  }
  const closed = value.length > quote.length && value.endsWith(quote);
  const inner = value.slice(quote.length, closed ? -quote.length : undefined);
  if (!isSecretValue(inner, verdict)) return undefined;
  return `${quote}[REDACTED:${verdict.kind}]${closed ? quote : ""}`;
}

// A YAML key alone on its line (`  password:`, `- token: |`), and what may follow its colon.
const YAML_KEY_LINE = /^([ \t]*)(?:-[ \t]+)?["']?[\w.-]+["']?[ \t]*$/;
// Sticky: read where the colon ends.
const YAML_BLOCK_HEAD = /[ \t]*(?:[|>][-+]?\d?)?[ \t]*(?:#[^\n]*)?(?=\r?\n)/y;
const STACK_FRAME = /^\s+at\s/;
const YAML_NESTED_KEY = /^[ \t]*(?:-[ \t]+)?["']?[\w.-]+["']?[ \t]*:(?:[ \t]|$)/;

/**
 * A YAML value on the lines below its key (`password:\n    hunter2`, `password: |\n  hunter2`):
 * the lines indented deeper than the key, unless they start a nested mapping. `colon` is the
 * index of the key's `:`; returns where the value's text starts and ends.
 */
export function blockValueAt(
  text: string,
  colon: number,
): { start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf("\n", colon - 1) + 1;
  YAML_BLOCK_HEAD.lastIndex = colon + 1;
  const head = YAML_BLOCK_HEAD.exec(text)?.[0];
  if (head === undefined) return undefined;
  // A `|` or `>` says a block follows, also after a message's `Error: `; a bare colon only on a
  // key's own line (`Error: invalid password:` and a stack frame below it are not a value).
  const keyLine = text.slice(lineStart, colon);
  const indent = /[|>]/.test(head)
    ? (/^[ \t]*/.exec(keyLine)?.[0] ?? "")
    : YAML_KEY_LINE.exec(keyLine)?.[1];
  if (indent === undefined) return undefined;
  let end = text.indexOf("\n", YAML_BLOCK_HEAD.lastIndex) + 1;
  const start = end;
  while (end < text.length) {
    const next = text.indexOf("\n", end);
    const line = text.slice(end, next === -1 ? undefined : next);
    const deeper = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    // A stack frame below a message is not part of its value.
    if ((line.trim() !== "" && deeper <= indent.length) || STACK_FRAME.test(line)) break;
    if (end === start && YAML_NESTED_KEY.test(line)) return undefined;
    end = next === -1 ? text.length : next + 1;
  }
  const body = text.slice(start, end).trimEnd();
  if (body.trim() === "") return undefined;
  const lead = /^[ \t\r\n]*/.exec(body)?.[0].length ?? 0;
  return { start: start + lead, end: start + body.length };
}

/** What follows `head` (a key and its separator) blanked with `verdict`; `match` when plain. */
export function blankAfterHead(
  match: string,
  head: RegExpExecArray | null,
  verdict: KeyVerdict | undefined,
): string {
  if (head === null || verdict === undefined) return match;
  const blanked = blankValue(match.slice(head[0].length), verdict);
  return blanked === undefined ? match : head[0] + blanked;
}
