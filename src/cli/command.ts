/** What every subcommand of `alchemy-telemetry` sees: its argv tail and its output streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (progress bars, colors). */
  readonly isTty: boolean;
}

export interface Command {
  readonly name: string;
  /** One line for the command list in `--help`. */
  readonly summary: string;
  /** Full help text printed by `alchemy-telemetry <name> --help`. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. Throws `UsageError` for misuse. */
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** Misuse of the command line: the CLI prints `error: <message>`, the usage line, and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "EUSAGE";
}
