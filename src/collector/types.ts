import type { Fault } from "./faults.js";

/** Options of `startCollector`. */
export interface CollectorOptions {
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port to listen on; default 0, an ephemeral port (read it back from `Collector.port`). */
  port?: number;
  /** Appends accepted (deduplicated) events to this NDJSON file, one line each, as received. */
  out?: string;
  /** Receives a one-line human summary per request and per event. */
  print?: (line: string) => void;
  /** The next requests get these answers, in order; then the normal 2xx resumes. */
  faults?: Fault[];
  /** Every request gets this answer once the `faults` queue is empty. */
  alwaysFault?: Fault;
  /** Answers 413 when the body, compressed or decompressed, exceeds this; default 5 MiB. */
  maxBodyBytes?: number;
}

/** One request the collector answered (or deliberately did not). */
export interface ReceivedRequest {
  /** The status answered, or the fault that replaced the answer. */
  status: number | "hang" | "destroy";
  /** Events newly accepted from this request. */
  events: number;
  /** Events in this request whose id had already been accepted. */
  duplicates: number;
  gzip: boolean;
  /** Bytes of the body as sent (compressed when gzip). */
  bytes: number;
  userAgent: string | undefined;
  contentType: string | undefined;
  /** When the request arrived, in ms since the epoch. */
  at: number;
}

/** A running collector. */
export interface Collector {
  /** The full endpoint URL, e.g. `http://127.0.0.1:4567/v1/events`. */
  readonly url: string;
  readonly port: number;
  /** Accepted events, deduplicated by id, in arrival order. */
  readonly events: readonly Record<string, unknown>[];
  /** Every finished request (hung ones included), in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Events received again with an id that was already accepted. */
  readonly duplicates: number;
  /** Replaces the queue of scripted answers. */
  setFaults(faults: Fault[]): void;
  /** Sets (or with undefined clears) the answer given once the queue is empty. */
  setAlwaysFault(fault: Fault | undefined): void;
  /** Resolves once `events.length >= count`; rejects after `timeoutMs` (default 10 s). */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Ends hung and delayed requests, closes every socket, resolves once closed. */
  close(): Promise<void>;
}
