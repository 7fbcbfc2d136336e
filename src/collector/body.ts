import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";

/** What arrived on the wire: the raw bytes, unless there were too many to keep. */
export interface RawBody {
  /** Undefined when the body exceeded the limit (it was read and discarded). */
  readonly data: Buffer | undefined;
  readonly bytes: number;
  /** The client went away before the body ended. */
  readonly aborted: boolean;
}

export type DecodedBody =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly reason: string };

/**
 * Reads the whole body, keeping at most `maxBytes`. Past the limit it keeps reading and
 * discarding, so the client gets a clean 413 instead of a reset socket. Never rejects.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (aborted: boolean) => {
      const data = bytes > maxBytes ? undefined : Buffer.concat(chunks);
      resolve({ data, bytes, aborted });
    };
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on("end", () => {
      finish(false);
    });
    request.on("error", () => {
      finish(true);
    });
    request.on("close", () => {
      if (!request.complete) finish(true);
    });
  });
}

/** True when the Content-Encoding header names gzip. */
export function isGzip(encoding: string | undefined): boolean {
  const value = encoding?.trim().toLowerCase();
  return value === "gzip" || value === "x-gzip";
}

/** Turns raw bytes into text: gunzips per Content-Encoding, enforces the size limit, checks UTF-8. */
export async function decodeBody(
  data: Buffer,
  encoding: string | undefined,
  maxBytes: number,
): Promise<DecodedBody> {
  const name = encoding?.trim().toLowerCase() ?? "";
  if (name !== "" && name !== "identity" && !isGzip(name)) {
    return { ok: false, status: 415, reason: `unsupported Content-Encoding: ${name}` };
  }
  const plain = isGzip(name) ? await gunzipLimited(data, maxBytes) : data;
  if (typeof plain === "string") return { ok: false, status: 400, reason: plain };
  if (plain === undefined || plain.length > maxBytes) {
    return { ok: false, status: 413, reason: `body exceeds ${maxBytes} bytes` };
  }
  try {
    // fatal: a body that is not UTF-8 is not NDJSON; silently replacing bytes would hide that.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(plain) };
  } catch {
    return { ok: false, status: 400, reason: "body is not valid UTF-8" };
  }
}

/** Gunzips; undefined when the output would exceed the limit, a string reason when not gzip. */
function gunzipLimited(data: Buffer, maxBytes: number): Promise<Buffer | string | undefined> {
  return new Promise((resolve) => {
    // maxOutputLength stops a small gzip bomb from inflating into memory.
    gunzip(data, { maxOutputLength: Math.max(1, maxBytes) }, (error, result) => {
      if (!error) resolve(result);
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") resolve(undefined);
      else resolve("body is not valid gzip");
    });
  });
}
