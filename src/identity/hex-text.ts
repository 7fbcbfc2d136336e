// The ids' shapes, checked by character codes rather than regular expressions: V8 compiles each
// regular expression on its first test in a process, 0.05 ms apiece, and a host tests these once.

/** Whether `text` from `from` up to `to` holds only the digits 0-9 and a-f. */
export function isLowerHexAt(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

/** `length` lowercase hex digits and nothing else. */
export function isLowerHex(text: string, length: number): boolean {
  return text.length === length && isLowerHexAt(text, 0, length);
}

/** A project id: the 64 hex digits of a SHA-256. */
export function isProjectId(text: string): boolean {
  return isLowerHex(text, 64);
}

/** A version 4 UUID, lowercase, with the RFC 4122 variant: what random.uuid() makes. */
export function isUuidV4(text: string): boolean {
  return (
    text.length === 36 &&
    isLowerHexAt(text, 0, 8) &&
    text.charCodeAt(8) === 0x2d &&
    isLowerHexAt(text, 9, 13) &&
    text.charCodeAt(13) === 0x2d &&
    text.charCodeAt(14) === 0x34 &&
    isLowerHexAt(text, 15, 18) &&
    text.charCodeAt(18) === 0x2d &&
    "89ab".includes(text.charAt(19)) &&
    isLowerHexAt(text, 20, 23) &&
    text.charCodeAt(23) === 0x2d &&
    isLowerHexAt(text, 24, 36)
  );
}
