// Random ids (events, runs, the anonymous id) and temp-file names without node:crypto, whose
// load alone costs a host about 3 ms. The bytes come from the kernel's generator, the one
// node:crypto reads too: /dev/urandom, one read per KiB. Where there is none (Windows),
// node:crypto is loaded on first need instead.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { loadBuiltin } from "../builtin.js";

const POOL_BYTES = 1024;
const VARIANT_DIGITS = "89ab";

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
  // UUIDs are cut from one hex string per KiB: a Buffer per id cost the host 30 µs each.
  let hex = "";
  let hexUsed = 0;
  const bytes = (count: number): Buffer => {
    if (used + count > pool.length) {
      const size = Math.max(POOL_BYTES, count);
      const fromDevice = deviceWorks && device !== undefined ? readDevice(device, size) : undefined;
      deviceWorks = fromDevice !== undefined;
      pool = fromDevice ?? cryptoBytes(size);
      used = 0;
    }
    used += count;
    return Buffer.from(pool.subarray(used - count, used)); // A copy: the pool is reused.
  };
  return {
    bytes,
    uuid() {
      if (hexUsed + 32 > hex.length) {
        hex = bytes(POOL_BYTES).toString("hex");
        hexUsed = 0;
      }
      const h = hex.slice(hexUsed, (hexUsed += 32));
      // Version 4 in the 13th digit; the RFC 4122 variant (8, 9, a or b) in the 17th.
      const variant = VARIANT_DIGITS[parseInt(h.charAt(16), 16) & 3] ?? "8";
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
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
