// Helpers that turn literal text into regular-expression source for the redaction tables.

/** Escapes every character that has a meaning in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Matches `text` in any ASCII case without the `i` flag, so one combined pattern can mix cases. */
export function caseless(text: string): string {
  let source = "";
  for (const char of text) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    const isAsciiLetter = lower !== upper && lower.length === 1 && lower <= "z" && lower >= "a";
    source += isAsciiLetter ? `[${lower}${upper}]` : escapeRegExp(char);
  }
  return source;
}

/** Counts the capturing groups of a source, so combined tables can be checked for stray groups. */
export function countCaptureGroups(source: string): number {
  return (new RegExp(`${source}|`).exec("")?.length ?? 1) - 1;
}
