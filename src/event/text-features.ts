// Which kinds of characters a text holds, found in one pass, so that the redactor can skip every
// rule that cannot match it: a short identifier such as `resource-12` or `cloudflare::Worker` has
// no separator, `@`, `=` or blank, and no path, e-mail, pair or long token can be found in it.

// One bit per kind of ASCII character; a rule lists the kinds of which a match holds at least one.
export const UPPER = 1 << 0;
export const LOWER = 1 << 1;
export const DIGIT = 1 << 2;
/** Space, tab, line feed, vertical tab, form feed, carriage return: ASCII's `\s`. */
export const BLANK = 1 << 3;
export const SLASH = 1 << 4;
export const BACKSLASH = 1 << 5;
export const PERCENT = 1 << 6;
export const AT = 1 << 7;
export const EQUALS = 1 << 8;
export const COLON = 1 << 9;
export const DOT = 1 << 10;
export const DASH = 1 << 11;
export const UNDERSCORE = 1 << 12;
/** Every other ASCII character: quotes, brackets, other punctuation, control characters. */
export const OTHER = 1 << 13;
/** What a text outside what is scanned is taken to hold: everything, so no rule is skipped. */
export const ALL = (1 << 14) - 1;

/** What every text that a rule's pattern can match holds; a text without it skips the rule. */
export interface Gate {
  /** Kinds of characters of which a matching text holds at least one; 0 when none is needed. */
  readonly needs: number;
  /** The length of the shortest text a match fits in, lookbehinds and lookaheads included. */
  readonly minLength: number;
}

// Longer texts (stacks, messages) hold most kinds anyway; they are not scanned.
const MAX_SCANNED = 256;
let kinds: Uint16Array | undefined; // Built on first need, as the patterns are.

/** The kinds of characters in `text`; ALL for a long text or one with any non-ASCII character. */
export function featuresOf(text: string): number {
  if (text.length > MAX_SCANNED) return ALL;
  kinds ??= buildKindTable();
  let features = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // Beyond ASCII are letters, blanks and case foldings that rules match: nothing is skipped.
    if (code > 127) return ALL;
    features |= kinds[code] ?? ALL;
  }
  return features;
}

/** True unless `text` lacks what every match of the gated rule holds. */
export function passesGate(gate: Gate, text: string, features: number): boolean {
  return text.length >= gate.minLength && (gate.needs === 0 || (features & gate.needs) !== 0);
}

function buildKindTable(): Uint16Array {
  const table = new Uint16Array(128).fill(OTHER);
  table.fill(UPPER, 65, 91).fill(LOWER, 97, 123).fill(DIGIT, 48, 58);
  table.fill(BLANK, 9, 14)[32] = BLANK;
  table[47] = SLASH; // "/"
  table[92] = BACKSLASH; // "\\"
  table[37] = PERCENT; // "%"
  table[64] = AT; // "@"
  table[61] = EQUALS; // "="
  table[58] = COLON; // ":"
  table[46] = DOT; // "."
  table[45] = DASH; // "-"
  table[95] = UNDERSCORE; // "_"
  return table;
}
