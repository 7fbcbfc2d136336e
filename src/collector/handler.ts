import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeBody, isGzip, readBody, type RawBody } from "./body.js";
import type { Fault } from "./faults.js";
import { parseEvents } from "./ndjson.js";
import type { AcceptResult, EventStore } from "./store.js";
import { describeEvent, describeRequest } from "./summary.js";
import type { ReceivedRequest } from "./types.js";

/** What the request handler needs from the running collector. */
export interface HandlerContext {
  readonly store: EventStore;
  readonly maxBodyBytes: number;
  /** The scripted answer for the request that just arrived, if any. */
  takeFault(): Fault | undefined;
  /** Resolves true after `ms`, or false as soon as the collector closes. */
  wait(ms: number): Promise<boolean>;
  /** Files a finished request under its arrival number. */
  record(arrival: number, request: ReceivedRequest): void;
  nextArrival(): number;
  print: ((line: string) => void) | undefined;
}

/** How a request ends: an HTTP answer, a deliberate non-answer, or a client that left. */
type Reply =
  | { kind: "answer"; status: number; body: string; headers?: Record<string, string> }
  | { kind: "accepted"; result: AcceptResult }
  | { kind: "hang" }
  | { kind: "destroy" }
  | { kind: "gone" };

const ENDPOINT_PATHS = new Set(["/", "/v1/events"]);
const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Answers one request. Never rejects: bad input gets a 4xx, a bug gets a 500, never a crash. */
export async function handleRequest(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const arrival = context.nextArrival();
  const at = Date.now();
  const method = request.method ?? "GET";
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const isEndpoint = ENDPOINT_PATHS.has(path) && method === "POST";
  // Only requests to the endpoint consume a scripted fault, in the order they arrive.
  const fault = isEndpoint ? context.takeFault() : undefined;
  const body = await readBody(request, context.maxBodyBytes);
  let reply: Reply;
  try {
    reply = await decideReply(context, request, body, fault, method, path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    reply = { kind: "answer", status: 500, body: `internal error: ${reason}` };
  }
  if (reply.kind === "gone") return;
  const received = summarize(request, reply, body.bytes, at);
  context.record(arrival, received);
  const reason = explainFailure(reply, fault);
  say(context, describeRequest(method, path, received, { fault, reason }));
  deliver(request, response, reply);
  if (reply.kind !== "accepted") return;
  for (const event of reply.result.accepted) say(context, describeEvent(event, false));
  for (const event of reply.result.duplicates) say(context, describeEvent(event, true));
}

async function decideReply(
  context: HandlerContext,
  request: IncomingMessage,
  body: RawBody,
  fault: Fault | undefined,
  method: string,
  path: string,
): Promise<Reply> {
  if (!ENDPOINT_PATHS.has(path)) return { kind: "answer", status: 404, body: "not found" };
  if (method !== "POST") {
    return { kind: "answer", status: 405, body: "use POST", headers: { allow: "POST" } };
  }
  if (fault?.kind === "hang" || fault?.kind === "destroy") return { kind: fault.kind };
  if (fault?.kind === "status") {
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
    return { kind: "answer", status: fault.status, body: `fault ${fault.status}`, headers };
  }
  if (body.aborted) return { kind: "gone" };
  if (fault?.kind === "delay" && !(await context.wait(fault.ms))) return { kind: "gone" };
  const limit = context.maxBodyBytes;
  if (body.data === undefined) {
    return { kind: "answer", status: 413, body: `body exceeds ${limit} bytes` };
  }
  const decoded = await decodeBody(body.data, request.headers["content-encoding"], limit);
  if (!decoded.ok) return { kind: "answer", status: decoded.status, body: decoded.reason };
  const parsed = parseEvents(decoded.text);
  if (!parsed.ok) return { kind: "answer", status: 400, body: parsed.reason };
  return { kind: "accepted", result: context.store.accept(parsed.events) };
}

function summarize(
  request: IncomingMessage,
  reply: Exclude<Reply, { kind: "gone" }>,
  bytes: number,
  at: number,
): ReceivedRequest {
  const accepted = reply.kind === "accepted";
  return {
    status: reply.kind === "answer" ? reply.status : accepted ? 200 : reply.kind,
    events: accepted ? reply.result.accepted.length : 0,
    duplicates: accepted ? reply.result.duplicates.length : 0,
    gzip: isGzip(request.headers["content-encoding"]),
    bytes,
    userAgent: request.headers["user-agent"],
    contentType: request.headers["content-type"],
    at,
  };
}

/** The text of a 4xx/5xx for the summary; a scripted status already names itself there. */
function explainFailure(reply: Reply, fault: Fault | undefined): string | undefined {
  if (reply.kind !== "answer" || reply.status < 400 || fault?.kind === "status") return undefined;
  return reply.body;
}

/** Writes the answer; a hang writes nothing and leaves the socket to close(). */
function deliver(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  if (reply.kind === "destroy") request.socket.destroy();
  if (response.destroyed || (reply.kind !== "answer" && reply.kind !== "accepted")) return;
  if (reply.kind === "answer") {
    response.writeHead(reply.status, { ...TEXT, ...reply.headers }).end(reply.body);
    return;
  }
  const { accepted, duplicates } = reply.result;
  const json = JSON.stringify({ accepted: accepted.length, duplicates: duplicates.length });
  response.writeHead(200, { "content-type": "application/json" }).end(json);
}

/** Prints through the caller's callback; a throwing callback must not change the answer. */
function say(context: HandlerContext, line: string): void {
  try {
    context.print?.(line);
  } catch {
    // The summary is a courtesy; the request has been answered either way.
  }
}
