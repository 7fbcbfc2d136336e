import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fault } from "./faults.js";
import { handleRequest, type HandlerContext } from "./handler.js";
import { createEventStore } from "./store.js";
import type { Collector, CollectorOptions, ReceivedRequest } from "./types.js";
import { createWaiters } from "./waiters.js";

export type { Fault } from "./faults.js";
export type { Collector, CollectorOptions, ReceivedRequest } from "./types.js";

const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Starts a collector: an HTTP endpoint that accepts the telemetry wire format (NDJSON, gzip or
 * plain), deduplicates by `id`, optionally appends to an NDJSON file, and can answer scripted
 * faults. Rejects when it cannot listen (e.g. `EADDRINUSE`) or cannot open `out`.
 */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const store = createEventStore(options.out);
  let faults = [...(options.faults ?? [])];
  let alwaysFault = options.alwaysFault;
  const requests: ReceivedRequest[] = [];
  const arrivalOrder: number[] = [];
  const waiters = createWaiters(() => store.events.length);
  let arrivals = 0;
  const context: HandlerContext = {
    store,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    takeFault: () => faults.shift() ?? alwaysFault,
    wait: (ms) => waiters.sleep(ms),
    record: (arrival, request) => {
      insertByArrival(requests, arrivalOrder, arrival, request);
      waiters.check();
    },
    nextArrival: () => arrivals++,
    print: options.print,
  };
  const server = createServer((request, response) => {
    void handleRequest(context, request, response);
  });
  const port = await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
  const host = formatHost(options.host ?? "127.0.0.1");
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/v1/events`,
    port,
    events: store.events,
    requests,
    get duplicates() {
      return store.duplicates;
    },
    setFaults: (next: Fault[]) => {
      faults = [...next];
    },
    setAlwaysFault: (fault: Fault | undefined) => {
      alwaysFault = fault;
    },
    waitForEvents: (count, timeoutMs) => waiters.waitFor(count, timeoutMs),
    close: () =>
      (closing ??= closeServer(server, () => {
        waiters.stop();
      })),
  };
}

/** Requests finish out of order (a delay, a big body); the list keeps their arrival order. */
function insertByArrival(
  requests: ReceivedRequest[],
  arrivals: number[],
  arrival: number,
  request: ReceivedRequest,
): void {
  let index = requests.length;
  while (index > 0 && (arrivals[index - 1] ?? -1) > arrival) index--;
  requests.splice(index, 0, request);
  arrivals.splice(index, 0, arrival);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server, stopWaiters: () => void): Promise<void> {
  return new Promise((resolve) => {
    stopWaiters();
    server.close(() => {
      resolve();
    });
    // Hung requests and idle keep-alive sockets would otherwise hold close() open forever.
    server.closeAllConnections();
  });
}

/** IPv6 literals need brackets inside a URL. */
function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
