/** A scripted answer the collector gives instead of (or before) its normal 2xx. */
export type Fault =
  /** Answer this status without recording the events; `retryAfter` is sent verbatim. */
  | { kind: "status"; status: number; retryAfter?: string }
  /** Read the request, never answer (until the collector closes). */
  | { kind: "hang" }
  /** Read the request, then destroy the socket without an answer. */
  | { kind: "destroy" }
  /** Answer normally, but only after `ms`. */
  | { kind: "delay"; ms: number };

/** The grammar `parseFault` accepts, for help texts and error messages. */
export const FAULT_GRAMMAR = [
  "<status>                 answer that status (200-599), events not recorded: 503",
  "<status>:retry-after=<v> same, with a Retry-After header sent verbatim: 429:retry-after=2",
  "hang                     read the request and never answer",
  "destroy                  read the request and destroy the socket",
  "delay=<ms>               answer normally after <ms> milliseconds: delay=1500",
].join("\n");

const STATUS = /^(\d{3})(?::retry-after=(.*))?$/is;
const DELAY = /^delay=(\d+)$/i;
// setTimeout clamps anything larger to 1 ms, which would turn a long delay into none.
const MAX_DELAY_MS = 2 ** 31 - 1;
// Header values must be visible ASCII or spaces; anything else would make Node throw on send.
const HEADER_VALUE = /^[\x20-\x7e]+$/;

/** Parses one fault spec such as `503`, `429:retry-after=2`, `hang`, `destroy`, `delay=1500`. */
export function parseFault(spec: string): Fault | undefined {
  const text = spec.trim();
  const keyword = text.toLowerCase();
  if (keyword === "hang") return { kind: "hang" };
  if (keyword === "destroy") return { kind: "destroy" };
  const delay = DELAY.exec(text);
  if (delay) return parseDelay(delay[1] ?? "");
  const status = STATUS.exec(text);
  if (status) return parseStatus(status[1] ?? "", status[2]);
  return undefined;
}

function parseDelay(digits: string): Fault | undefined {
  const ms = Number(digits);
  return ms <= MAX_DELAY_MS ? { kind: "delay", ms } : undefined;
}

function parseStatus(digits: string, retryAfter: string | undefined): Fault | undefined {
  const status = Number(digits);
  // 1xx are interim answers, not a final one a client could act on.
  if (status < 200 || status > 599) return undefined;
  if (retryAfter === undefined) return { kind: "status", status };
  const value = retryAfter.trim();
  return HEADER_VALUE.test(value) ? { kind: "status", status, retryAfter: value } : undefined;
}

/** Renders a fault back into its spec, for summaries. */
export function formatFault(fault: Fault): string {
  switch (fault.kind) {
    case "status":
      return fault.retryAfter === undefined
        ? String(fault.status)
        : `${fault.status}:retry-after=${fault.retryAfter}`;
    case "delay":
      return `delay=${fault.ms}`;
    default:
      return fault.kind;
  }
}
