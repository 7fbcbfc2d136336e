// FNV-1a, 32 bits: short local names for files (a repository's project cache, a code cache per
// set of V8 flags). Never sent, never a secret: the first SHA-256 costs a host 0.3 ms.

/** The FNV-1a hash of `text`'s UTF-16 code units, from `offset`. */
export function fnv1a(text: string, offset = 0x811c9dc5): number {
  let hash = offset;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

/** Eight lowercase hex digits. */
export function hex32(value: number): string {
  return value.toString(16).padStart(8, "0");
}
