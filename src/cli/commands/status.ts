import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listCodeCaches } from "../../code-cache/cache-name.js";
import { readStoredChoice } from "../../config/choice.js";
import { resolveConsent } from "../../config/consent.js";
import { describeEndpoint, resolveEndpoint, type TelemetryFiles } from "../../config/paths.js";
import { readState } from "../../config/state.js";
import { readAnonymousId } from "../../identity/anonymous-id.js";
import { ciUserId, detectCi } from "../../identity/ci-id.js";
import { listClaimed } from "../../spool/claim.js";
import { fileSize } from "../../spool/file-size.js";
import { summarizePending } from "../../spool/pending.js";
import { isLockLive } from "../../uploader/spawn.js";
import { parseFlags } from "../args.js";
import type { Command } from "../command.js";
import { filesFor } from "../context.js";
import { sumDrops } from "../read-drops.js";

export const statusCommand: Command = {
  name: "status",
  summary: "Show whether telemetry is on and why, the ids, files, pending events and last upload",
  help: `Usage: alchemy-telemetry status [--json]

Shows whether telemetry is on and why, the anonymous id, the telemetry directory and
its files, how many events wait to be sent, the last upload and its result, when the
next upload may start, and every dropped event counted by reason.

Options:
  --json   print the same as one JSON object`,
  async run(args, io) {
    const { values } = parseFlags(args, { json: { type: "boolean" } });
    const status = await collectStatus(filesFor(io), io.env);
    io.stdout(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return 0;
  },
};

async function collectStatus(
  files: TelemetryFiles,
  env: Readonly<Record<string, string | undefined>>,
) {
  const consent = resolveConsent(env, readStoredChoice(files.choice));
  const ci = detectCi();
  const state = readState(files.state);
  const pending = await summarizePending(files);
  return {
    enabled: consent.enabled,
    reason: consent.reason,
    userId: ci.isCi ? ciUserId(ci) : (readAnonymousId(files.id) ?? null),
    ci: ci.name ?? (ci.isCi ? "generic" : null),
    endpoint: describeEndpoint(resolveEndpoint(env)),
    directory: files.dir,
    files: describeFiles(files),
    pending: { events: pending.events, bytes: pending.bytes },
    uploaderRunning: isLockLive(files.lock, Date.now()),
    lastRun: state.lastRun ?? null,
    nextAttemptAt: state.nextAttemptAt ? new Date(state.nextAttemptAt).toISOString() : null,
    totals: state.totals ?? null,
    dropped: sumDrops(files.drops),
    log: tailLines(files.log, 5),
  };
}

/** The last lines of the uploader's log: what it did most recently, and why. */
function tailLines(path: string, count: number): string[] {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-count);
  } catch {
    return [];
  }
}

type Status = Awaited<ReturnType<typeof collectStatus>>;

const FILE_ROLES: readonly (readonly [keyof TelemetryFiles, string])[] = [
  ["spool", "pending events, one JSON line each"],
  ["id", "anonymous id"],
  ["choice", "your enable/disable choice"],
  ["state", "last upload and retry backoff"],
  ["drops", "dropped events, counted by reason"],
  ["ledger", "ids already sent or dropped"],
  ["log", "uploader log"],
  ["lock", "held while an uploader runs"],
  ["started", "there while a just-started uploader has not reached the lock"],
  ["projects", "project id cache"],
  ["codeCache", "compiled host code, so that a host starts faster"],
];

/** The package's files, then whatever else is there: claimed batches, rotated log and ledger. */
function describeFiles(files: TelemetryFiles) {
  const known = FILE_ROLES.map(([key, role]) => ({ path: files[key], role }));
  const extra = [
    ...listClaimed(files.dir).map((name) => ({
      path: join(files.dir, name),
      role: "pending events an uploader took from the spool, one JSON line each",
    })),
    ...listCodeCaches(files.dir)
      .filter((path) => path !== files.codeCache)
      .map((path) => ({
        path,
        role: "compiled host code, for hosts started with other Node flags",
      })),
    { path: `${files.log}.1`, role: "older uploader log" },
    { path: `${files.ledger}.1`, role: "older ids already sent or dropped" },
  ].filter(({ path }) => fileSize(path) !== undefined);
  return [...known, ...extra].map((file) => ({ ...file, bytes: fileSize(file.path) ?? null }));
}

function formatStatus(status: Status): string {
  const lines = [
    `telemetry:   ${status.enabled ? "on" : "off"} (${status.reason})`,
    `user id:     ${status.userId ?? "(not created yet)"}`,
    `endpoint:    ${status.endpoint}`,
    `directory:   ${status.directory}`,
    ...status.files.map(
      (f) => `  ${f.bytes === null ? "-" : `${f.bytes} B`}`.padEnd(14) + `${f.path}  (${f.role})`,
    ),
    `pending:     ${status.pending.events} events, ${status.pending.bytes} bytes`,
    `uploader:    ${status.uploaderRunning ? "running" : "not running"}`,
    `last upload: ${formatLastRun(status.lastRun)}`,
    `next retry:  ${status.nextAttemptAt ?? "no backoff in force"}`,
    `dropped:     ${formatDrops(status.dropped)}`,
    ...(status.log.length > 0
      ? ["uploader log (latest last):", ...status.log.map((line) => `  ${line}`)]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

function formatLastRun(run: Status["lastRun"]): string {
  if (!run) return "never";
  const error = run.error ? `, error: ${run.error}` : "";
  return `${run.endedAt} ${run.outcome} (sent ${run.sent}, dropped ${run.dropped}${error})`;
}

function formatDrops(drops: Record<string, number>): string {
  const entries = Object.entries(drops);
  if (entries.length === 0) return "none";
  return entries.map(([reason, count]) => `${count} ${reason}`).join(", ");
}
