import { gzipSync } from "node:zlib";
import { httpPost, type Post } from "./http-post.js";
import { parseRetryAfter } from "./retry-after.js";

/** Expected outcomes of one POST are values, not exceptions (G5). */
export type SendOutcome =
  | { readonly kind: "sent"; readonly status: number }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: "too-large" }
  | { readonly kind: "drop"; readonly reason: string };

export interface SendOptions {
  readonly endpoint: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly gzip?: boolean;
  /** Injected by tests to observe or fault requests; `fetch` fits this port. */
  readonly fetch?: Post;
}

/** The request body of a batch: its NDJSON lines, gzip'd unless asked not to. */
export function encodeBatch(lines: readonly string[], gzip = true): Buffer {
  const body = Buffer.from(lines.join("\n") + "\n");
  return gzip ? gzipSync(body) : body;
}

/**
 * POSTs one NDJSON batch and classifies the answer per G5. Never throws. `body` is the batch
 * encoded already (encodeBatch with the same lines and gzip setting).
 */
export async function sendBatch(
  lines: readonly string[],
  options: SendOptions,
  body: Buffer = encodeBatch(lines, options.gzip ?? true),
): Promise<SendOutcome> {
  const useGzip = options.gzip ?? true;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await (options.fetch ?? httpPost)(options.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-ndjson",
        "user-agent": options.userAgent,
        ...(useGzip ? { "content-encoding": "gzip" } : {}),
      },
      body,
      signal,
      redirect: "manual",
    });
    // A fetch response must be read to free its connection; httpPost has read it already.
    await (response as { arrayBuffer?: () => Promise<unknown> })
      .arrayBuffer?.()
      .catch(() => undefined);
    return classifyStatus(response.status, response.headers.get("retry-after"));
  } catch (error) {
    return { kind: "retry", reason: describeNetworkError(error, signal) };
  }
}

export function classifyStatus(status: number, retryAfter: string | null): SendOutcome {
  if (status >= 200 && status < 300) return { kind: "sent", status };
  if (status === 413) return { kind: "too-large" };
  if (
    status === 408 ||
    status === 429 ||
    status >= 500 ||
    status < 200 ||
    (status >= 300 && status < 400)
  ) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    const reason = `HTTP ${status}`;
    return retryAfterMs === undefined
      ? { kind: "retry", reason }
      : { kind: "retry", reason, retryAfterMs };
  }
  return { kind: "drop", reason: `HTTP ${status}` };
}

function describeNetworkError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return "request timed out";
  // node:http puts the code on the error, fetch on its cause.
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const found = typeof code === "string" ? code : cause?.code;
  return typeof found === "string" ? `network error ${found}` : "network error";
}
