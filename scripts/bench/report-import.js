// Console rendering of the import-cost section.
import { fmt, fmtSummary } from "./stats.js";
import { heading, renderTable } from "./table.js";

export function renderImport(data) {
  const top = [...data.modules].sort((a, b) => b.median - a.median);
  const shown = top.filter((row) => row.net >= 0.1);
  const rest = top.filter((row) => row.net < 0.1);
  const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);
  const { parts, files, builtinNames } = data.total;
  const check = data.check;
  return [
    heading(`Import cost of the package entry, ${data.entry}`),
    `Total: ${fmtSummary(data.total.index)} ms with the import vs ${fmtSummary(data.total.none)} ms without`,
    `  → import cost ≈ ${fmt(data.total.importMs)} ms (difference of medians; fresh processes, interleaved),`,
    "    in a directory without the code cache: a host's first run, or one opted out by env.",
    ...(data.total.cachedImportMs === undefined
      ? ["  (no code cache was made: the runtime has no module-sync entry)"]
      : [
          `With the code cache an earlier run left: ${fmtSummary(data.total.cached)} ms`,
          `  → import cost ≈ ${fmt(data.total.cachedImportMs)} ms (the module-sync entry, src/code-cache).`,
        ]),
    ...(parts === undefined
      ? [
          "One file that imports no built-in as an ES module (they come through",
          "process.getBuiltinModule, with no module facade): the import is the bundle's own read,",
          "compile and top-level evaluation.",
        ]
      : [
          "Split by calibration processes, interleaved with the two above (differences of medians):",
          renderTable(
            ["part of the import", "ms", "process median (min–max)"],
            [
              [
                `built-ins the package imports (${builtinNames.join(", ")})`,
                fmt(parts.builtins),
                fmtSummary(data.total.builtins),
              ],
              [
                `loader cost of the graph's shape: ${files} files, same dirs and edges, no code`,
                fmt(parts.graph),
                fmtSummary(data.total.skeleton),
              ],
              [
                "the package's own code: compile + top-level evaluation",
                fmt(parts.code),
                fmtSummary(data.total.index),
              ],
            ],
          ),
        ]),
    "Per module: in fresh processes, the static graph (from a loader-hook trace) is imported one module",
    "at a time, leaves first (a random valid order per process), each import() timed with hrtime, so",
    "a module's time is its own resolve, read, compile and evaluation. One import() of an empty module",
    `(after a warm-up import) costs ${fmt(data.emptyImportMs, 3)} ms here; "net" subtracts that. Median of ${data.modules[0]?.n ?? 0} processes.`,
    renderTable(
      ["module (self cost)", "raw ms", "min–max", "net ms"],
      [
        ...shown.map((row) => [
          row.module,
          fmt(row.median, 2),
          `${fmt(row.min, 2)}–${fmt(row.max, 2)}`,
          fmt(row.net, 2),
        ]),
        [
          `${rest.length} other modules (net < 0.1 ms each)`,
          fmt(sum(rest, "median"), 2),
          "",
          fmt(sum(rest, "net"), 2),
        ],
        [
          `sum of ${data.modules.length} modules`,
          fmt(sum(data.modules, "median"), 2),
          "",
          fmt(sum(data.modules, "net"), 2),
        ],
      ],
    ),
    "",
    `Host path, same processes: the package name's resolution (the import above does not include it),`,
    `then the calls after the import (52 events, healthy endpoint${data.stepsWithCodeCache ? ", with the code cache" : ""}):`,
    renderTable(
      ["step", "median ms", "min–max"],
      data.steps.map((row) => [
        row.step,
        fmt(row.median, 3),
        `${fmt(row.min, 3)}–${fmt(row.max, 3)}`,
      ]),
    ),
    "",
    "The first track() step by step (src/session.ts openSession, then the first event), fresh processes:",
    renderTable(
      ["step", "median ms", "min–max"],
      data.session.map((row) => [
        row.step,
        row.error ? `n/a: ${row.error.slice(0, 40)}` : fmt(row.median, 3),
        row.error ? "" : `${fmt(row.min, 3)}–${fmt(row.max, 3)}`,
      ]),
    ),
    "",
    `Modules a tracking host loads (traced with loader hooks + require cache + process.moduleLoadList):`,
    `  package modules (${check.internal.length}): ${check.internal.join(", ")}`,
    `  dependencies: ${check.dependencies.join(", ") || "none"}`,
    `  built-ins beyond a bare node: ${check.addedBuiltins.join(", ") || "none"} (+${check.addedInternalBuiltins} internal)`,
    `${check.pass ? "PASS" : "FAIL"}  host never loads uploader/CLI/collector modules, execa, proper-lockfile, zlib, http(s), undici${check.pass ? "" : `: loaded ${check.failures.join(", ")}`}`,
  ];
}
