// Console rendering of the sections' results (import cost: report-import.js).
import { fmt, fmtSummary, fmtVerdict } from "./stats.js";
import { heading, renderTable } from "./table.js";

const signed = (value, digits = 1) => `${value >= 0 ? "+" : ""}${fmt(value, digits)}`;

export function renderHost(host, runs) {
  const rows = host.rows.map((row) => [
    row.endpoint,
    row.variant,
    fmtSummary(row),
    fmt(row.firstRunMs),
    row.overNoPackageMs === undefined
      ? ""
      : `${signed(row.overNoPackageMs)} (${signed(row.overNoPackageMinMs)})`,
    row.overOptedOutMs === undefined
      ? ""
      : `${signed(row.overOptedOutMs)} (${signed(row.overOptedOutMinMs)})`,
    row.variant === "with package" ? String(row.uploadersSpawned) : "",
    row.received === undefined ? "" : String(row.received),
    row.dir.exists
      ? `${row.dir.files} files, spool ${row.dir.spoolBytes} B, ${row.dir.claimed} claimed${row.spoolResets > 0 ? `, emptied ${row.spoolResets}×` : ""}`
      : "none",
  ]);
  const problems = host.rows.flatMap((row) =>
    row.problems.map((p) => `  ${row.endpoint}/${row.variant}: ${p}`),
  );
  return [
    heading("Host overhead (SPEC §7): whole process, spawn → 'exit', ms"),
    `${runs} interleaved rounds (order shuffled per round) after a first-run round and an untimed one`,
    "(the run that writes the code cache); the next run starts only once the previous run's detached",
    "uploader has exited or gone idle (no CPU for 60 ms); a spool past 5 MiB (half its cap), which",
    "only an endpoint that never takes the events leaves, is emptied between runs. The CLIs run",
    "from an app with the package copied into its node_modules, as npm installs it.",
    "Δ columns: difference of medians (difference of minimums in parentheses).",
    renderTable(
      [
        "endpoint",
        "variant",
        "median (min–max)",
        "1st run",
        "Δ vs no pkg",
        "Δ vs opted out",
        "uploaders",
        "received",
        "telemetry dir after",
      ],
      rows,
    ),
    ...(problems.length ? ["problems:", ...problems] : []),
    ...renderPaired(host.rows),
    ...(host.noise
      ? [
          `Machine noise: the CLI without the package ran in ${fmt(host.noise.p25)}–${fmt(host.noise.p75)} ms (middle half of its runs, min ${fmt(host.noise.min)});`,
          "  a middle half wider than a few ms moves single medians by more than the budgets' margins.",
        ]
      : []),
    ...(host.resolution ? renderResolution(host.resolution) : []),
    ...(host.exitPhase ? renderExitPhase(host.exitPhase) : []),
  ];
}

/** The same program's medians in cells that differ only by a URL it never reads. */
function renderResolution({ ms, noPackage, optedOut }) {
  const list = (spread) => spread.medians.map((value) => fmt(value)).join(", ");
  return [
    `Resolution: the same CLI's medians in the three endpoint cells came ${fmt(ms)} ms apart at most`,
    `  (no package ${list(noPackage)}; opted out ${list(optedOut)}; neither reads the endpoint):`,
    "  a Δ that close to its budget is not told apart from it in this run.",
  ];
}

/** The budgets go by the difference of medians; the paired one is less moved by slow stretches. */
function renderPaired(rows) {
  const paired = rows.filter((row) => row.overOptedOutPairedMs !== undefined);
  if (paired.length === 0) return [];
  const cells = paired.map(
    (row) =>
      `${row.endpoint} ${signed(row.overNoPackagePairedMs)} / ${signed(row.overOptedOutPairedMs)}`,
  );
  const beside = rows.filter(
    (row) => row.overNoPackagePairedMs !== undefined && row.overOptedOutPairedMs === undefined,
  );
  const overFloor = paired.filter((row) => row.overMinimalHostPairedMs !== undefined);
  return [
    "Median of the differences within each round (with package minus no package / opted out, ms):",
    `  ${cells.join(", ")}`,
    ...beside.map(
      (row) =>
        `  ${row.variant}${row.about ? ` (${row.about})` : ""}: ${signed(row.overNoPackagePairedMs)} over no package`,
    ),
    ...overFloor.map(
      (row) =>
        `  with package over minimal host, ${row.endpoint}: ${signed(row.overMinimalHostPairedMs)} (medians ${signed(row.overMinimalHostMs)})`,
    ),
  ];
}

/** What each step allocates in the young generation, and the host's last line to its exit. */
function renderExitPhase(variants) {
  const kB = (value) => (value === undefined ? "" : fmt(value, 0));
  const problems = variants.flatMap((row) => row.problems.map((p) => `  ${row.variant}: ${p}`));
  return [
    "",
    `After the last line (${variants[0]?.runs ?? 0} runs of each kind, exit-probe.js): young-generation KB each`,
    "step allocates (medians, in runs with a young generation too large to collect); runs in which",
    "V8 collected it before the host's last line or at exit (when full, or before exit once mostly",
    "full), and the median ms it took; ms from the last line to 'exit' (median, in plain runs):",
    renderTable(
      [
        "variant",
        "import",
        "createTelemetry()",
        "52 track()",
        "shutdown()",
        "collected before / at exit",
        "collecting",
        "last line → 'exit'",
      ],
      variants.map((row) => [
        row.variant,
        kB(row.allocatedKB.import),
        kB(row.allocatedKB["createTelemetry()"]),
        kB(row.allocatedKB["52 track()"]),
        kB(row.allocatedKB["shutdown()"]),
        `${row.collectedBeforeEnd} / ${row.collectedAtExit}`,
        fmt(row.collectionMs, 2),
        fmt(row.lastLineToExitMs, 2),
      ]),
    ),
    ...(problems.length ? ["problems:", ...problems] : []),
  ];
}

export function renderTrack(data) {
  const mb = (value) => fmt(value, 1);
  return [
    heading("track() cost, warm, one process"),
    "1,000 warm-up calls, then each call timed alone (hrtime.bigint), µs:",
    renderTable(
      ["series", "calls", "median", "p99", "max", "session open (1st call)"],
      data.timed.map((row) => [
        row.label,
        row.calls,
        fmt(row.medianUs, 2),
        fmt(row.p99Us, 2),
        fmt(row.maxUs, 0),
        row.sessionOpenUs === undefined ? "" : fmt(row.sessionOpenUs, 0),
      ]),
    ),
    "100,000 calls in a loop; memory before, after, after gc() (--expose-gc), MB:",
    renderTable(
      [
        "loop",
        "µs/call",
        "heap before",
        "heap after",
        "heap after gc",
        "rss before",
        "rss after gc",
        "appended",
        "dropped",
      ],
      data.loops.map((row) => [
        row.label,
        fmt(row.perCallUs, 2),
        mb(row.before.heapUsedMb),
        mb(row.after.heapUsedMb),
        mb(row.afterGc.heapUsedMb),
        mb(row.before.rssMb),
        mb(row.afterGc.rssMb),
        row.appended,
        row.dropped,
      ]),
    ),
    `retained heap growth over 100k calls: ${data.loops.map((row) => `${row.label}: ${signed(row.afterGc.heapUsedMb - row.before.heapUsedMb, 2)} MB`).join("; ")}`,
  ];
}

export function renderUploader(data) {
  return [
    heading("Uploader: dist/src/uploader/main.js draining to a loopback collector"),
    "Wall: spawn → exit of the child. Peak RSS: the child's maximum resident set, by",
    `  ${data.peakRssMethod}.`,
    "Without gzip = the NDJSON bytes of the same lines (sent unchanged, so exactly the spool size).",
    renderTable(
      [
        "spool",
        "events",
        "bytes/line",
        "wall ms median (min–max)",
        "peak RSS MB",
        "requests",
        "gzip B",
        "plain B",
        "ratio",
        "all delivered",
      ],
      data.rows.map((row) => [
        row.case,
        row.events,
        row.lineBytes,
        fmtSummary(row.wall),
        fmtSummary(row.peakRss),
        row.requests,
        row.wireBytesGzip,
        row.wireBytesPlain,
        `${fmt(row.wireBytesPlain / row.wireBytesGzip)}×`,
        row.allDelivered ? "yes" : `NO ${row.received.join("/")}`,
      ]),
    ),
  ];
}

export function renderPeers(rows, delayMs = 200) {
  return [
    heading(`Side by side: same 52 events, loopback endpoint answering after ${delayMs} ms`),
    renderTable(
      [
        "what the host uses",
        "host wall ms median (min–max)",
        "runs",
        "requests/run",
        "every event arrived",
        "delivered after (ms from spawn)",
      ],
      rows.map((row) => [
        row.peer,
        fmtSummary(row.wall),
        row.runs,
        fmt(row.requestsPerRun, 0),
        row.allDelivered ? "yes" : `NO (${row.deliveredRuns}/${row.runs})`,
        row.deliveryMs ? fmtSummary(row.deliveryMs) : "before exit",
      ]),
    ),
    ...rows.flatMap((row) => row.problems.map((p) => `  problem, ${row.peer}: ${p}`)),
  ];
}

export function renderBudgets(budgets) {
  return [heading("Budgets"), ...budgets.map(fmtVerdict)];
}
