import { FAULT_GRAMMAR, parseFault, type Fault } from "../../collector/faults.js";
import { startCollector, type Collector } from "../../collector/server.js";
import { parseFlags } from "../args.js";
import { UsageError, type CliIo, type Command } from "../command.js";

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = "127.0.0.1";

const FLAGS = {
  port: { type: "string" },
  host: { type: "string" },
  out: { type: "string" },
  print: { type: "boolean" },
  fault: { type: "string", multiple: true },
  always: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const HELP = `Usage: alchemy-telemetry collector [options]

A local receiving endpoint for development, tests, demos and self-hosting. Accepts the
telemetry wire format (NDJSON, gzip or plain) on POST /v1/events, deduplicates events by id
and answers {"accepted":N,"duplicates":M}. Runs until interrupted (Ctrl-C or SIGTERM).

Options:
  --port <n>       port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>    interface to listen on (default ${DEFAULT_HOST}, loopback only)
  --out <file>     append accepted events to this NDJSON file, one line each, as received;
                   ids already in the file count as duplicates
  --print          print a line per request and per event to stdout
  --fault <spec>   answer the next request with <spec>; repeat to script a sequence,
                   after which requests are answered normally
  --always <spec>  answer every request (after the --fault sequence) with <spec>

Fault specs:
${FAULT_GRAMMAR.replace(/^/gm, "  ")}
  e.g. --fault 503 --fault 429:retry-after=2 --fault "503:retry-after=Wed, 21 Oct 2026 07:28:00 GMT"`;

/** `alchemy-telemetry collector`: runs the local receiving endpoint until SIGINT or SIGTERM. */
export const collectorCommand: Command = {
  name: "collector",
  summary: "run a local receiving endpoint (for development, tests and self-hosting)",
  help: HELP,
  run: runCollector,
};

async function runCollector(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values.help === true) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const host = values.host ?? DEFAULT_HOST;
  const port = parsePort(values.port);
  const faults = (values.fault ?? []).map((spec) => parseFaultFlag("--fault", spec));
  const always =
    values.always === undefined ? undefined : parseFaultFlag("--always", values.always);
  const print =
    values.print === true
      ? (line: string) => {
          io.stdout(`${line}\n`);
        }
      : undefined;
  let collector: Collector;
  try {
    collector = await startCollector({
      host,
      port,
      out: values.out,
      print,
      faults,
      alwaysFault: always,
    });
  } catch (error) {
    io.stderr(`error: ${describeStartError(error, host, port, values.out)}\n`);
    return 1;
  }
  io.stdout(`collector listening on ${collector.url}\n`);
  await waitForSignal();
  await collector.close();
  const { events, duplicates, requests } = collector;
  io.stdout(
    `collector stopped: events accepted: ${events.length}, duplicates: ${duplicates}, requests: ${requests.length}\n`,
  );
  return 0;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (/^\d+$/.test(value) && port <= 65535) return port;
  throw new UsageError(`Expected \`--port\` to be an integer from 0 to 65535, got \`${value}\``);
}

function parseFaultFlag(flag: string, spec: string): Fault {
  const fault = parseFault(spec);
  if (fault) return fault;
  throw new UsageError(
    `Expected \`${flag}\` to be a status, <status>:retry-after=<value>, hang, destroy or delay=<ms>, got \`${spec}\``,
  );
}

/** One line a person can act on, for the usual reasons a listen or an open fails. */
function describeStartError(
  error: unknown,
  host: string,
  port: number,
  out: string | undefined,
): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "EADDRINUSE") return `cannot listen on ${host}:${port}: the port is already in use`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on ${host}: no such local address`;
  if (code === "EACCES" && (error as { syscall?: string }).syscall === "listen") {
    return `cannot listen on ${host}:${port}: permission denied`;
  }
  if (out !== undefined && code !== undefined) return `cannot write ${out}: ${message}`;
  return `cannot start the collector: ${message}`;
}

/** Resolves on the first SIGINT or SIGTERM; the handlers keep Node from exiting on its own. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
