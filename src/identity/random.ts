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
      // Read in place, two hex digits per byte from a table: a Buffer or a hex string per id
      // cost the host 4-8 µs each, run cold, and a run makes one per event.
      const at = take(16);
      const b = pool;
      const hex = hexTable();
      const byte = (index: number) => hex[b[at + index] ?? 0] ?? "00";
      // Version 4 in the high nibble of byte 6; the RFC 4122 variant (10xx) in byte 8.
      const version = hex[((b[at + 6] ?? 0) & 0x0f) | 0x40] ?? "40";
      const variant = hex[((b[at + 8] ?? 0) & 0x3f) | 0x80] ?? "80";
      return (
        byte(0) +
        byte(1) +
        byte(2) +
        byte(3) +
        "-" +
        byte(4) +
        byte(5) +
        "-" +
        version +
        byte(7) +
        "-" +
        variant +
        byte(9) +
        "-" +
        byte(10) +
        byte(11) +
        byte(12) +
        byte(13) +
        byte(14) +
        byte(15)
      );
    },
  };
}

let hexDigits: readonly string[] | undefined;

/**
 * "00" to "ff" by byte value, made on the first id. Written out: the loop that built it took a
 * host 0.05 ms, run cold once per process.
 */
function hexTable(): readonly string[] {
  // prettier-ignore
  hexDigits ??= [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "0a", "0b", "0c", "0d", "0e", "0f",
    "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "1a", "1b", "1c", "1d", "1e", "1f",
    "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "2a", "2b", "2c", "2d", "2e", "2f",
    "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "3a", "3b", "3c", "3d", "3e", "3f",
    "40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "4a", "4b", "4c", "4d", "4e", "4f",
    "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "5a", "5b", "5c", "5d", "5e", "5f",
    "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "6a", "6b", "6c", "6d", "6e", "6f",
    "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "7a", "7b", "7c", "7d", "7e", "7f",
    "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "8a", "8b", "8c", "8d", "8e", "8f",
    "90", "91", "92", "93", "94", "95", "96", "97", "98", "99", "9a", "9b", "9c", "9d", "9e", "9f",
    "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "aa", "ab", "ac", "ad", "ae", "af",
    "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "ba", "bb", "bc", "bd", "be", "bf",
    "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "ca", "cb", "cc", "cd", "ce", "cf",
    "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "da", "db", "dc", "dd", "de", "df",
    "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "ea", "eb", "ec", "ed", "ee", "ef",
    "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "fa", "fb", "fc", "fd", "fe", "ff",
  ];
  return hexDigits;
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
