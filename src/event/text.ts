// Bounded text: huge strings are cut before any expensive work, text is redacted before it is
// cut to size, cuts never leave half a secret or half a surrogate pair, and every cut is marked.

export const TRUNCATION_MARKER = "…[truncated]";

// How much more than the final size is redacted: redaction can shorten text (e.g. a long token).
const WINDOW_FACTOR = 4;
// A long text is redacted twice, cut at the window and this much earlier; only what both agree
// on is kept, so a secret cut by either window (and missed because of the cut) never survives.
export const CUT_MARGIN = 1024;

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

/** How much of a long text is redacted for a result of `maxChars`, margin included. */
export function redactionWindow(maxChars: number): number {
  return maxChars * WINDOW_FACTOR + CUT_MARGIN;
}

/**
 * Redacts `text` whole when it fits the window for `maxChars`. A longer text is redacted as two
 * prefixes (the window, and the window less a margin) and only their common start is kept: where
 * a cut splits a secret, the two results differ (the longer one holds it whole and redacted), so
 * the partial secret is never kept. `cut` tells whether the result is only the start of the text.
 *
 * `cutFrom` says that `text` was already cut raw at its end (a window of a longer text, such as a
 * stack's head), in the line that starts there: it is read as two prefixes too, the shorter one
 * no shorter than the lines before that one, which the cut left whole.
 */
export function redactWindow(
  text: string,
  redact: (text: string) => string,
  maxChars: number,
  cutFrom?: number,
): { text: string; cut: boolean } {
  const window = redactionWindow(maxChars);
  if (text.length <= window && cutFrom === undefined) {
    return { text: makeWellFormed(redact(text)), cut: false };
  }
  const end = Math.min(text.length, window);
  const whole = cutFrom !== undefined && cutFrom <= end ? cutFrom : 0;
  const longer = redact(sliceSafely(text, end));
  const shorter = redact(sliceSafely(text, Math.max(whole, end - CUT_MARGIN)));
  return { text: makeWellFormed(commonStart(longer, shorter)), cut: true };
}

/** The longest common prefix, never ending inside a surrogate pair. */
function commonStart(a: string, b: string): string {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return sliceSafely(a, index);
}

/** Caps redacted text at `maxChars`, marking the cut; `cut` marks a text that was cut before. */
export function capRedacted(text: string, maxChars: number, cut: boolean): string {
  if (!cut || text.length > maxChars) return capText(text, maxChars);
  if (text.length + TRUNCATION_MARKER.length <= maxChars) return text + TRUNCATION_MARKER;
  return capText(text + TRUNCATION_MARKER, maxChars);
}

/** Redacts `text` (a bounded window of it), then caps the result at `maxChars`; never throws. */
export function redactCapped(
  text: string,
  redact: (text: string) => string,
  maxChars: number,
): string {
  try {
    if (typeof text !== "string") return "";
    const max = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 0;
    const redacted = redactWindow(text, redact, max);
    return capRedacted(redacted.text, max, redacted.cut);
  } catch {
    // The redactor is ours and does not throw; if it ever did, drop the text rather than leak it.
    return "";
  }
}
