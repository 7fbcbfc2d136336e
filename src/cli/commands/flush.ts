import { LIMITS } from "../../config/limits.js";
import { resolveConsent } from "../../config/consent.js";
import { readStoredChoice } from "../../config/choice.js";
import { summarizePending } from "../../spool/pending.js";
import type { DrainResult } from "../../uploader/drain.js";
import { runUploader, type RunReport } from "../../uploader/run.js";
import { parseFlags } from "../args.js";
import type { CliIo, Command } from "../command.js";
import { CliError, filesFor } from "../context.js";

/** Below this many pending events a progress line would only flicker. */
const PROGRESS_THRESHOLD = 1000;
const LOCK_POLL_MS = 250;

export const flushCommand: Command = {
  name: "flush",
  summary: "Upload every pending event now, in the foreground",
  help: `Usage: alchemy-telemetry flush [--json]

Uploads every pending event now, under the same lock as the background uploader
(waiting for a running one to finish), and prints what was sent, dropped and left.
Exits 1 when anything is left pending.

Options:
  --json   print the summary as one JSON object`,
  async run(args, io) {
    const { values } = parseFlags(args, { json: { type: "boolean" } });
    const files = filesFor(io);
    const consent = resolveConsent(io.env, readStoredChoice(files.choice));
    const before = await summarizePending(files);
    const progress =
      io.isTty && !values.json && before.events >= PROGRESS_THRESHOLD
        ? showProgress(io, before.events)
        : undefined;
    const report = consent.enabled ? await runWhenLockFree(files, io, progress) : undefined;
    if (progress) io.stdout("\n");
    const left = (await summarizePending(files)).events;
    const drain = report?.status === "ran" ? report.drain : undefined;
    const summary = {
      sent: drain?.sent ?? 0,
      dropped: drain?.dropped ?? 0,
      duplicatesSkipped: drain?.duplicatesSkipped ?? 0,
      left,
      ...(consent.enabled ? {} : { disabled: consent.reason }),
      ...(drain?.lastError ? { error: drain.lastError } : {}),
    };
    io.stdout(values.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return left > 0 ? 1 : 0;
  },
};

async function runWhenLockFree(
  files: ReturnType<typeof filesFor>,
  io: CliIo,
  onProgress: ((progress: DrainResult) => void) | undefined,
): Promise<RunReport> {
  const giveUpAt = Date.now() + LIMITS.uploaderLifetimeMs + LIMITS.lockStaleMs;
  let told = false;
  for (;;) {
    const report = await runUploader({ files, env: io.env, ...(onProgress ? { onProgress } : {}) });
    if (report.status === "lock-failed")
      throw new CliError(`cannot take the uploader lock: ${report.error}`, "ELOCK");
    if (report.status !== "busy") return report;
    if (Date.now() > giveUpAt)
      throw new CliError("another uploader still holds the lock; try again later", "EBUSY");
    if (!told) io.stderr("waiting for the running uploader to finish…\n");
    told = true;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

function showProgress(io: CliIo, total: number) {
  return (progress: DrainResult) => {
    const done = progress.sent + progress.dropped + progress.duplicatesSkipped;
    io.stdout(
      `\rsent ${progress.sent} / ${total} (dropped ${progress.dropped}) ${Math.min(100, Math.round((done / total) * 100))}%`,
    );
  };
}

function formatSummary(summary: {
  sent: number;
  dropped: number;
  duplicatesSkipped: number;
  left: number;
  disabled?: string;
  error?: string;
}): string {
  const head = summary.disabled ? `telemetry is off (${summary.disabled}); nothing sent\n` : "";
  const error = summary.error ? `\nlast error: ${summary.error}` : "";
  const skipped =
    summary.duplicatesSkipped > 0 ? `, ${summary.duplicatesSkipped} duplicates skipped` : "";
  return `${head}sent ${summary.sent}, dropped ${summary.dropped}, left ${summary.left}${skipped}${error}\n`;
}
