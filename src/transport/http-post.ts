import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** What a POST needs from a response: a structural subset of fetch's, so tests can pass fetch. */
export interface PostResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

export interface PostInit {
  readonly method: "POST";
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly signal: AbortSignal;
  readonly redirect: "manual";
}

export type Post = (url: string, init: PostInit) => Promise<PostResponse>;

// One connection is reused across a run's batches; fetch (undici) would also do, but compiling
// its HTTP parser costs the short-lived uploader about 30 MB of memory.
const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/** POSTs with node:http(s) and resolves once the whole answer has been read. */
export const httpPost: Post = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === "https:";
    if (!secure && target.protocol !== "http:") {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const send = secure ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": String(init.body.length) },
        signal: init.signal,
        agent: secure ? agents.https : agents.http,
      },
      (response) => {
        response.on("error", reject);
        response.on("end", () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: { get: (name) => header(response, name) },
          });
        });
        response.resume(); // The body does not matter; reading it frees the connection.
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });

function header(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}
