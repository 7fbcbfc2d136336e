// Q: can this be traced back to me? A: not through a value written next to a secret-looking name:
// `password=…`, `"apiKey": "…"`, `'x-auth-token' => '…'`, `--token …` and `-p…` after `mysql`
// have their values replaced by `[REDACTED:<kind>]`, the name, separator and quotes kept.
import { blankAfterHead, blankValue, blockValueAt, quoted, word } from "./pair-values.js";
import { caseless } from "./regex-source.js";
import { classifyKey } from "./secret-keys.js";
import type { RedactionRule } from "./rule.js";
import { BLANK, COLON, EQUALS } from "./text-features.js";

// A key is only read back from the text when it contains one of these (a cheap filter in the scan).
const KEY_STEMS = "pass pw tok secret key auth cred sig dsn cookie session sid bearer".split(" ");
const stems = () => `(?:${KEY_STEMS.map(caseless).join("|")})`;
let stemTest: RegExp | undefined;

/** Whether a key stem occurs at all; the test is compiled on first need, as the rules are. */
export function hasKeyStem(text: string): boolean {
  stemTest ??= new RegExp(KEY_STEMS.join("|"), "i");
  return stemTest.test(text);
}

// A password may hold spaces, and one `,`, `&`, `;`, `"` or `<` between its characters: it runs
// on until the next `key=` (`;Database=x`, `&user=x`; a word ending in base64 padding, `c2Vj…=`,
// is not a key), or a delimiter that a blank follows.
const nextKey = () => String.raw`[\w.-]+(?:[ \t]*(?:=>|:)|=(?![=\s]|$)|[ \t]+=)`;
const spacedWords = () => String.raw`${word()}(?:(?:[ \t]+|[,&;"<])(?!${nextKey()})${word()})*`;

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
    const block = found[0] === ":" ? blockValueAt(text, found.index) : undefined;
    if (block !== undefined && !verdict.weak) {
      out += `${text.slice(kept, block.start)}[REDACTED:${verdict.kind}]`;
      kept = block.end;
      separators.lastIndex = kept;
      continue;
    }
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
    return blankAfterHead(match, head, verdict);
  },
};

/** `machine host login user password SECRET`: a `.netrc` line, whose keys need no separator. */
const NETRC_RULE: RedactionRule = {
  label: "password",
  marks: ["password"],
  hint: (text) => text.includes("machine") || text.includes("default"),
  // `default password x`.
  gate: { needs: BLANK, minLength: 18 },
  source: () =>
    String.raw`(?<=\b(?:machine[ \t]+\S+|default)(?:[ \t]+(?:login|account)[ \t]+\S+)*[ \t]+password[ \t]+)(?!\[REDACTED)\S+`,
};

/** Applied after the well-known formats, so that a token is named by its format when it has one. */
export const PAIR_RULES: readonly RedactionRule[] = [PAIR_RULE, FLAG_RULE, NETRC_RULE];
