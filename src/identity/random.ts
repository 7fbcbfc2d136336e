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

/** "00" to "ff" by byte value, made on the first id. */
function hexTable(): readonly string[] {
  if (hexDigits === undefined) {
    const table: string[] = [];
    for (let value = 0; value < 256; value++) table.push((value + 256).toString(16).slice(1));
    hexDigits = table;
  }
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
