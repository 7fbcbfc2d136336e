// Bounded text: huge strings are cut before any expensive work, cuts never leave half a secret or
// half a surrogate pair, and every cut is marked.

export const TRUNCATION_MARKER = "…[truncated]";

// How much more than the final size is scanned: redaction can shorten text (e.g. a long token).
const WINDOW_FACTOR = 4;
// A secret never contains these, so cutting back to one drops any partial secret at the cut.
const WORD_BOUNDARY = /[\s"'`,;()<>[\]{}|]/;
// The last boundary and the partial word after it (one linear scan, no backtracking blow-up).
const LAST_WORD = /[\s"'`,;()<>[\]{}|][^\s"'`,;()<>[\]{}|]*$/;

interface WellFormedString {
  isWellFormed?: (this: string) => boolean;
  toWellFormed?: (this: string) => string;
}
const stringMethods = String.prototype as unknown as WellFormedString;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates with U+FFFD so the text encodes to valid UTF-8. */
export function makeWellFormed(text: string): string {
  const { isWellFormed, toWellFormed } = stringMethods;
  if (isWellFormed !== undefined && toWellFormed !== undefined) {
    return isWellFormed.call(text) ? text : toWellFormed.call(text);
  }
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** The first `count` code units, one fewer if that would split a surrogate pair. */
function sliceSafely(text: string, count: number): string {
  if (count <= 0) return "";
  const last = text.charCodeAt(count - 1);
  const next = text.charCodeAt(count);
  const splitsPair = last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return text.slice(0, splitsPair ? count - 1 : count);
}

/** Cuts `text` to at most `maxChars` (marker included), marking the cut; short text is returned as is. */
export function capText(text: string, maxChars: number): string {
  if (typeof text !== "string") return "";
  const max = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 0;
  if (text.length <= max) return text;
  if (max <= TRUNCATION_MARKER.length) return sliceSafely(text, max);
  return sliceSafely(text, max - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
}

/** The first `maxChars` code units cut back to a word boundary, so a half secret never survives. */
export function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return "";
  if (WORD_BOUNDARY.test(text.charAt(maxChars))) return text.slice(0, maxChars);
  const window = text.slice(0, maxChars);
  const lastBoundary = window.search(LAST_WORD);
  return lastBoundary < 0 ? "" : window.slice(0, lastBoundary);
}

/** Redacts a bounded window of `text`, then caps the result at `maxChars`; never throws. */
export function redactCapped(
  text: string,
  redact: (text: string) => string,
  maxChars: number,
): string {
  try {
    if (typeof text !== "string") return "";
    const max = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 0;
    const windowSize = max * WINDOW_FACTOR;
    const cut = text.length > windowSize;
    const redacted = makeWellFormed(redact(cut ? cutAtWord(text, windowSize) : text));
    if (!cut) return capText(redacted, max);
    if (redacted.length + TRUNCATION_MARKER.length <= max) return redacted + TRUNCATION_MARKER;
    return capText(redacted, max);
  } catch {
    // The redactor is ours and does not throw; if it ever did, drop the text rather than leak it.
    return "";
  }
}
