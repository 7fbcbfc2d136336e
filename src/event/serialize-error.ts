// Q: can this be traced back to me? A: no: an error is reduced to its name, message, code, a
// trimmed stack and its causes, each redacted and bounded. Other own properties (requests,
// headers, env, options, command lines) are never read, and objects are never stringified.
import { capRedacted, capText, redactCapped, redactWindow } from "./text.js";
import { loadBuiltin } from "../builtin.js";

/** The only error fields that are ever recorded. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
}

type Redact = (text: string) => string;

const MAX_DEPTH = 3;
const MAX_MEMBERS = 5;
// Bounds the whole tree (a cause chain with members at every level) well under one event line.
const MAX_NODES = 12;
const MAX_NAME = 100;
const MAX_CODE = 100;
const MAX_MESSAGE = 1000;
const MAX_STACK = 2000;
const MAX_FRAMES = 10;
const MAX_HEADER_LINES = 2;
const MAX_LINE = 400;
// Frames sit at the end of a stack whose message may be huge: read a head and a tail, not the middle.
const STACK_HEAD = 4096;
const STACK_TAIL = 8192;
const FRAME = /^\s*at\s/;

interface Walk {
  readonly redact: Redact;
  readonly seen: WeakSet<object>;
  nodes: number;
}

/** Serializes anything thrown into a bounded, redacted record; never throws, never reads other fields. */
export function serializeError(value: unknown, redact: Redact): SerializedError {
  try {
    return serializeNode(value, 0, { redact, seen: new WeakSet(), nodes: 0 });
  } catch {
    // Defensive: every read below is guarded, but a thrown value must never reach the host.
    return { name: "NonError", message: "[unserializable]" };
  }
}

function serializeNode(value: unknown, depth: number, walk: Walk): SerializedError {
  walk.nodes++;
  if (!isErrorLike(value)) return serializeNonError(value, walk.redact);
  walk.seen.add(value);
  const name = read(value, "name");
  const message = read(value, "message");
  const result: SerializedError = {
    name:
      typeof name === "string" && name !== "" ? redactCapped(name, walk.redact, MAX_NAME) : "Error",
    message: typeof message === "string" ? redactCapped(message, walk.redact, MAX_MESSAGE) : "",
  };
  const code = serializeCode(read(value, "code"), walk.redact);
  if (code !== undefined) result.code = code;
  const stack = read(value, "stack");
  if (typeof stack === "string") result.stack = serializeStack(stack, walk.redact);
  if (depth >= MAX_DEPTH) return result;
  const cause = read(value, "cause");
  if (isFollowable(cause, walk)) result.cause = serializeNode(cause, depth + 1, walk);
  const errors = serializeMembers(read(value, "errors"), depth, walk);
  if (errors.length > 0) result.errors = errors;
  return result;
}

function serializeMembers(members: unknown, depth: number, walk: Walk): SerializedError[] {
  const result: SerializedError[] = [];
  if (!isArray(members)) return result;
  const length = read(members, "length");
  const count = typeof length === "number" ? Math.min(length, MAX_MEMBERS) : 0;
  for (let index = 0; index < count; index++) {
    const member = read(members, index);
    if (isFollowable(member, walk)) result.push(serializeNode(member, depth + 1, walk));
  }
  return result;
}

/** Whether a cause or member should be recorded: present, not a cycle, and within the node budget. */
function isFollowable(value: unknown, walk: Walk): boolean {
  if (value === undefined || walk.nodes >= MAX_NODES) return false;
  return !(typeof value === "object" && value !== null && walk.seen.has(value));
}

/** Non-errors: primitives by their string form, objects only by a string `message` (never JSON). */
function serializeNonError(value: unknown, redact: Redact): SerializedError {
  const text = describeNonError(value);
  const result: SerializedError = {
    name: "NonError",
    message: redactCapped(text, redact, MAX_MESSAGE),
  };
  if (typeof value === "object" && value !== null) {
    const code = serializeCode(read(value, "code"), redact);
    if (code !== undefined) result.code = code;
  }
  return result;
}

function describeNonError(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "undefined":
      return "undefined";
    case "symbol":
      return `Symbol(${value.description ?? ""})`;
    case "function":
      return "[function]";
    case "object": {
      if (value === null) return "null";
      const message = read(value, "message");
      return typeof message === "string" ? message : "[object]";
    }
    default:
      // number, boolean, bigint: String() uses the built-in conversion, not a user method.
      return String(value);
  }
}

function serializeCode(code: unknown, redact: Redact): string | undefined {
  if (typeof code === "string") return redactCapped(code, redact, MAX_CODE);
  if (typeof code === "number" && Number.isFinite(code)) return String(code);
  return undefined;
}

/** Keeps the first message line(s) and up to 10 frames, drops node:internal frames, redacts each. */
function serializeStack(stack: string, redact: Redact): string {
  const { header, headerCut, frames } = selectStackLines(stack);
  const lines = [...redactLines(header, headerCut, redact), ...redactFrames(frames, redact)];
  return capText(lines.join("\n"), MAX_STACK);
}

interface StackLines {
  readonly header: string[];
  /** The header's last line was cut by the head window. */
  readonly headerCut: boolean;
  readonly frames: string[];
}

/** The raw lines worth keeping: a head and a tail are read, never the middle of a huge stack. */
function selectStackLines(stack: string): StackLines {
  const whole = stack.length <= STACK_HEAD + STACK_TAIL;
  const headLines = (whole ? stack : stack.slice(0, STACK_HEAD)).split("\n").map(trimReturn);
  // Past the head window the last line is partial: kept only as a (cut) message line.
  const partial = whole ? undefined : headLines.pop();
  const firstFrame = headLines.findIndex((line) => FRAME.test(line));
  const header = (firstFrame < 0 ? headLines : headLines.slice(0, firstFrame)).slice(
    0,
    MAX_HEADER_LINES,
  );
  const headerCut = partial !== undefined && firstFrame < 0 && header.length < MAX_HEADER_LINES;
  if (headerCut) header.push(partial);
  const tail = whole ? [] : stack.slice(-STACK_TAIL).split("\n").slice(1).map(trimReturn);
  const frames = (firstFrame >= 0 ? headLines.slice(firstFrame) : tail)
    .filter((line) => FRAME.test(line) && !line.includes("node:internal"))
    .slice(0, MAX_FRAMES);
  return { header, headerCut, frames };
}

function trimReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Frames in one pass (one scan per rule, not ten); one by one if that would cut or merge lines. */
function redactFrames(frames: readonly string[], redact: Redact): string[] {
  if (frames.length === 0) return [];
  const together = redactWindow(frames.join("\n"), redact, MAX_LINE * frames.length);
  const lines = together.text.split("\n");
  if (!together.cut && lines.length === frames.length) {
    return lines.map((line) => capRedacted(line, MAX_LINE, false));
  }
  return frames.flatMap((frame) => redactLines([frame], false, redact));
}

/**
 * Redacts lines together (a secret may wrap from one to the next), then caps each: redaction
 * comes before any cut, so a cut never leaves the start of a secret that redaction would catch.
 */
function redactLines(lines: readonly string[], cut: boolean, redact: Redact): string[] {
  if (lines.length === 0) return [];
  const text = lines.join("\n");
  // A last line cut raw by the head window may end in half a secret: read as a cut text.
  const cutFrom = cut ? text.length - (lines[lines.length - 1]?.length ?? 0) : undefined;
  const redacted = redactWindow(text, redact, MAX_LINE * lines.length, cutFrom);
  const out = redacted.text.split("\n").slice(0, lines.length);
  const last = out.length - 1;
  return out.map((line, index) =>
    capRedacted(line, MAX_LINE, index === last && (cut || redacted.cut)),
  );
}

function isErrorLike(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  try {
    if (value instanceof Error) return true;
  } catch {
    // A Proxy whose getPrototypeOf trap throws is not an error we can read.
    return false;
  }
  return isNativeError(value); // An error from another realm (a vm context, a worker's copy).
}

/** node:util/types costs a host 0.7 ms to load; only errors from another realm need it. */
function isNativeError(value: object): boolean {
  return loadBuiltin("node:util/types").isNativeError(value);
}

function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    // Array.isArray throws on a revoked Proxy.
    return false;
  }
}

/** One guarded property read: getters and Proxy traps may throw. */
function read(target: object, key: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[key];
  } catch {
    // A hostile getter is treated as an absent field.
    return undefined;
  }
}
