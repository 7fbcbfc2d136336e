// Q: can this be traced back to me? A: not through a colour code: terminal escape sequences carry
// nothing worth sending, and left in place they split a secret from the rule that would catch it
// (`\x1b[1mAKIA…` has a letter right before the key), so they are removed before any rule runs,
// and so are zero-width characters.

// csi() (`esc() [ … final`, also the one-byte C1 form), osc() (`esc() ] … BEL` or `esc() \`, possibly cut
// off), and the two-character escapes (`esc() (B`, `esc() 7`). The same in printed form (`\u001b[1m`,
// `\x1b[1m`, `\033[1m`), as a JSON body or a logged string shows them.
const esc = () => String.raw`(?:\x1b|\\u001[bB]|\\x1[bB]|\\033|\\e)`;
const csi = () => String.raw`(?:${esc()}\[|\x9b)[0-?]*[ -/]*[@-~]`;
// Lazy, up to the first terminator (raw or printed) or the line's end: a printed BEL (`\a`) must
// end it, or the sequence would swallow the rest of the line.
const osc = () =>
  String.raw`${esc()}\][^\x07\x1b\r\n]*?(?:\x07|\\u0007|\\x07|\\a|${esc()}\\|(?=[\r\n]|$))`;
const short = () => String.raw`\x1b[ -/]*[0-~]`;
// Compiled on first need, as every redaction pattern is.
let escapes: RegExp | undefined;

/** True when the text may hold an escape sequence; a cheap test that most text fails. */
function mayHoldEscape(text: string): boolean {
  return (
    text.includes("\x1b") ||
    text.includes("\x9b") ||
    text.includes("\\u001") ||
    text.includes("\\x1") ||
    text.includes("\\033") ||
    // `\e[` (CSI) and `\e]` (OSC), as esc() accepts both.
    text.includes("\\e")
  );
}

/** Removes terminal escape sequences (colours, cursor moves, hyperlinks), raw or printed. */
export function stripTerminalEscapes(text: string, skip = true): string {
  if (skip && !mayHoldEscape(text)) return text;
  escapes ??= new RegExp(`${csi()}|${osc()}|${short()}`, "g");
  return text.replace(escapes, "");
}

// Characters that print as nothing: the soft hyphen, the Mongolian vowel separator, zero-width
// spaces and joiners, direction marks, embeddings and isolates, the word joiner and invisible
// operators, the byte-order mark. Inside a token or a name they would hide it from every rule
// (`gh\u200bp_…`, `AKIA\u00adIOSF…`), so they go too.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
let invisibles: RegExp | undefined;

/** Removes zero-width characters; a text without one (most) is returned after one test. */
export function stripInvisible(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  invisibles ??= new RegExp(INVISIBLE.source, "g");
  return text.replace(invisibles, "");
}
