import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeSync } from "node:fs";

/** The calls the appender makes; tests inject faults (short writes, ENOSPC) through it. */
export type AppendFs = Pick<
  typeof import("node:fs"),
  "openSync" | "readSync" | "writeSync" | "fstatSync" | "statSync" | "closeSync"
>;

// Named imports, not a namespace: the host bundle would build a namespace object of every
// export of node:fs at import.
const NODE_FS: AppendFs = { openSync, readSync, writeSync, fstatSync, statSync, closeSync };

/** "claimed-repeatedly": every attempt's file was claimed under it, so the line is counted lost. */
export type AppendResult = "appended" | "spool-full" | "write-failed" | "claimed-repeatedly";

export interface SpoolAppender {
  /** Appends one complete line in one write call. Never throws. */
  append(line: Buffer): AppendResult;
  close(): void;
}

/** Read as well as write: the last byte tells whether a torn line was left at the end. */
function openFlags(): number {
  const { O_RDWR, O_APPEND, O_CREAT } = constants;
  // Never follow a link planted at the spool path; not defined on Windows.
  const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
  return O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW;
}
/** A claim can happen between our write and our check; three in a row is not plausible. */
const MAX_ATTEMPTS = 3;
const NEWLINE = Buffer.from("\n");

/**
 * Appends lines to a file that an uploader may claim (rename away) at any moment. After each
 * write the appender checks that the path still names the file it wrote to; if not, the line may
 * have landed after the uploader read the claimed file, so it is appended again to the new file.
 * That closes the late-writer race by construction: at worst the same event (same id) stands in
 * both files, and the uploader skips ids it has already sent.
 */
export function createSpoolAppender(
  path: string,
  { fs = NODE_FS, maxBytes = Infinity }: { fs?: AppendFs; maxBytes?: number } = {},
): SpoolAppender {
  let fd: number | undefined;
  let identity = "";
  let knownSize = 0;
  /** A newline owed before the next line, to end a fragment a torn write left at the end. */
  let owedNewline = false;

  function open(): number {
    const opened = fs.openSync(path, openFlags(), 0o600);
    const stats = fs.fstatSync(opened);
    fd = opened;
    identity = `${stats.dev}:${stats.ino}`;
    knownSize = stats.size;
    owedNewline = stats.size > 0 && !endsWithNewline(opened, stats.size);
    return opened;
  }

  /** An extra newline costs nothing (readers skip empty lines); a missing one glues two lines. */
  function endsWithNewline(opened: number, size: number): boolean {
    const last = Buffer.alloc(1);
    try {
      return fs.readSync(opened, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
    } catch {
      return false;
    }
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
    const bytes = owedNewline ? Buffer.concat([NEWLINE, line]) : line;
    if (knownSize + bytes.length > maxBytes) {
      const size = sizeIfStillOurs();
      if (size === undefined) return "claimed";
      knownSize = size;
      if (size + bytes.length > maxBytes) return "spool-full";
    }
    const written = fs.writeSync(target, bytes);
    if (written !== bytes.length) {
      owedNewline = !terminateTornLine(target);
      return "write-failed";
    }
    owedNewline = false;
    const size = sizeIfStillOurs();
    if (size === undefined) return "claimed";
    knownSize = size;
    return "appended";
  }

  /** The reader then skips the fragment instead of gluing it to the next line. */
  function terminateTornLine(target: number): boolean {
    try {
      return fs.writeSync(target, NEWLINE) === 1;
    } catch {
      return false; // The disk is full: the next append, or the next host, ends it.
    }
  }

  return {
    append(line) {
      try {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
          const result = appendOnce(line);
          if (result !== "claimed") return result;
          close();
        }
        // Each file we wrote to was claimed under us: the line may have been read, or not.
        // Counting it lost is the honest answer; a silent "appended" could hide a loss.
        return "claimed-repeatedly";
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
