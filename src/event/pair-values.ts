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
