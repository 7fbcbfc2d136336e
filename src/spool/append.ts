import * as nodeFs from "node:fs";

/** The calls the appender makes; tests inject faults (short writes, ENOSPC) through it. */
export type AppendFs = Pick<
  typeof nodeFs,
  "openSync" | "writeSync" | "fstatSync" | "statSync" | "closeSync"
>;

export type AppendResult = "appended" | "spool-full" | "write-failed";

export interface SpoolAppender {
  /** Appends one complete line in one write call. Never throws. */
  append(line: Buffer): AppendResult;
  close(): void;
}

const { O_WRONLY, O_APPEND, O_CREAT } = nodeFs.constants;
// Never follow a link planted at the spool path; not defined on Windows.
const O_NOFOLLOW = (nodeFs.constants as Partial<typeof nodeFs.constants>).O_NOFOLLOW ?? 0;
const OPEN_FLAGS = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW;
/** A claim can happen between our write and our check; more than twice in a row is not plausible. */
const MAX_ATTEMPTS = 3;

/**
 * Appends lines to a file that an uploader may claim (rename away) at any moment. After each
 * write the appender checks that the path still names the file it wrote to; if not, the line may
 * have landed after the uploader read the claimed file, so it is appended again to the new file.
 * That closes the late-writer race by construction: at worst the same event (same id) stands in
 * both files, and the uploader skips ids it has already sent.
 */
export function createSpoolAppender(
  path: string,
  { fs = nodeFs, maxBytes = Infinity }: { fs?: AppendFs; maxBytes?: number } = {},
): SpoolAppender {
  let fd: number | undefined;
  let identity = "";
  let knownSize = 0;

  function open(): number {
    const opened = fs.openSync(path, OPEN_FLAGS, 0o600);
    const stats = fs.fstatSync(opened);
    fd = opened;
    identity = `${stats.dev}:${stats.ino}`;
    knownSize = stats.size;
    return opened;
  }

  function close(): void {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    try {
      fs.closeSync(open);
    } catch {
      // Closing can only fail for a descriptor that is already gone.
    }
  }

  /** Size of the file at the path, or undefined when the path no longer names our file. */
  function sizeIfStillOurs(): number | undefined {
    try {
      const stats = fs.statSync(path);
      return `${stats.dev}:${stats.ino}` === identity ? stats.size : undefined;
    } catch {
      return undefined; // Renamed away and not yet recreated.
    }
  }

  function appendOnce(line: Buffer): AppendResult | "claimed" {
    const target = fd ?? open();
    if (knownSize + line.length > maxBytes) {
      const size = sizeIfStillOurs();
      if (size === undefined) return "claimed";
      knownSize = size;
      if (size + line.length > maxBytes) return "spool-full";
    }
    const written = fs.writeSync(target, line);
    if (written !== line.length) {
      terminateTornLine(target);
      return "write-failed";
    }
    const size = sizeIfStillOurs();
    if (size === undefined) return "claimed";
    knownSize = size;
    return "appended";
  }

  function terminateTornLine(target: number): void {
    try {
      fs.writeSync(target, "\n"); // The reader then skips the fragment instead of gluing lines.
    } catch {
      // The disk is full: the reader skips a fragment without a newline at the end as well.
    }
  }

  return {
    append(line) {
      try {
        for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
          const result = appendOnce(line);
          if (result !== "claimed") return result;
          close();
        }
        const last = appendOnce(line);
        return last === "claimed" ? "appended" : last;
      } catch {
        close();
        return "write-failed";
      }
    },
    close,
  };
}

/** Appends one line to a file and closes it (drop records, logs). Never throws. */
export function appendLineOnce(path: string, line: string, fs?: AppendFs): AppendResult {
  const appender = createSpoolAppender(path, fs ? { fs } : {});
  const result = appender.append(Buffer.from(line));
  appender.close();
  return result;
}
