// Random ids (events, runs, the anonymous id) and temp-file names without node:crypto, whose
// load alone costs a host about 3 ms. The bytes come from the kernel's generator, the one
// node:crypto reads too: /dev/urandom, one read per KiB. Where there is none (Windows),
// node:crypto is loaded on first need instead.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { loadBuiltin } from "../builtin.js";

const POOL_BYTES = 1024;

export interface RandomSource {
  /** `count` fresh bytes from a secure generator. */
  bytes(count: number): Buffer;
  /** A random (version 4) UUID, as crypto.randomUUID() makes. */
  uuid(): string;
}

/**
 * `device` is a port for tests: a path that is no character device makes it fall back to crypto.
 * On Windows `/dev/urandom` would name `C:\dev\urandom`, a file anyone may create: crypto there.
 */
export function createRandomSource(
  device: string | undefined = process.platform === "win32" ? undefined : "/dev/urandom",
): RandomSource {
  let pool: Buffer = Buffer.alloc(0);
  let used = 0;
  let deviceWorks = device !== undefined; // Once it failed, crypto for the rest of the process.
  /** Reserves `count` bytes of the pool, refilling it first if needed; returns where they start. */
  const take = (count: number): number => {
    if (used + count > pool.length) {
      const size = Math.max(POOL_BYTES, count);
      const fromDevice = deviceWorks && device !== undefined ? readDevice(device, size) : undefined;
      deviceWorks = fromDevice !== undefined;
      pool = fromDevice ?? cryptoBytes(size);
      used = 0;
    }
    used += count;
    return used - count;
  };
  return {
    bytes(count) {
      const start = take(count);
      return Buffer.from(pool.subarray(start, start + count)); // A copy: the pool is reused.
    },
    uuid() {
      // One string, from character codes: joined two-digit pieces made some twenty strings per
      // id, run cold, 0.7 KB of garbage for every event a host records (now 0.06 KB).
      const at = take(16);
      const b = pool;
      let code = 0;
      for (let index = 0; index < 16; index++) {
        let value = b[at + index] ?? 0;
        // Version 4 in the high nibble of byte 6; the RFC 4122 variant (10xx) in byte 8.
        if (index === 6) value = (value & 0x0f) | 0x40;
        else if (index === 8) value = (value & 0x3f) | 0x80;
        else if (index === 4 || index === 10) uuidCodes[code++] = DASH;
        if (index === 6 || index === 8) uuidCodes[code++] = DASH;
        uuidCodes[code++] = hexCode(value >> 4);
        uuidCodes[code++] = hexCode(value & 0x0f);
      }
      return String.fromCharCode.apply(null, uuidCodes);
    },
  };
}

const DASH = 0x2d;
/** The id's 36 character codes, reused: the only allocation per id is the string itself. */
const uuidCodes: number[] = new Array<number>(36).fill(0);

/** The character code of a lowercase hex digit. */
function hexCode(nibble: number): number {
  return nibble < 10 ? 0x30 + nibble : 0x57 + nibble;
}

/** The process's source. */
export const random: RandomSource = createRandomSource();

function readDevice(device: string, count: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(device, "r");
    // Only the kernel's generator: a regular file planted at the path is no source of randomness.
    if (!fstatSync(fd).isCharacterDevice()) return undefined;
    const bytes = Buffer.alloc(count);
    for (let filled = 0; filled < count;) {
      const read = readSync(fd, bytes, filled, count - filled, null);
      if (read === 0) return undefined;
      filled += read;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function cryptoBytes(count: number): Buffer {
  return loadBuiltin("node:crypto").randomBytes(count);
}
