// The `alchemy-telemetry` command: dispatch, help, and the mapping of errors to exit codes.
import { packageVersion } from "../version.js";
import { UsageError, type CliIo, type Command } from "./command.js";
import { enableCommand, disableCommand, resetCommand } from "./commands/choice.js";
import { collectorCommand } from "./commands/collector.js";
import { flushCommand } from "./commands/flush.js";
import { showCommand } from "./commands/show.js";
import { statusCommand } from "./commands/status.js";

const COMMANDS: readonly Command[] = [
  flushCommand,
  statusCommand,
  showCommand,
  enableCommand,
  disableCommand,
  resetCommand,
  collectorCommand,
];

const USAGE =
  "usage: alchemy-telemetry <command> [options]   (alchemy-telemetry --help for the list)";

function formatHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  return `alchemy-telemetry: inspect and control anonymous usage telemetry

Usage: alchemy-telemetry <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join("\n")}

Options:
  -h, --help     show help (also: alchemy-telemetry <command> --help)
  -v, --version  show the version

Environment:
  ALCHEMY_TELEMETRY_DISABLED=1, DO_NOT_TRACK=1   opt out
  ALCHEMY_TELEMETRY_DEBUG=1                      print events instead of recording them
  ALCHEMY_TELEMETRY_URL                          the endpoint
  ALCHEMY_TELEMETRY_DIR                          the telemetry directory
`;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  throw new UsageError(
    name.startsWith("-") ? `unknown option \`${name}\`` : `unknown command \`${name}\``,
  );
}

function expectNoMore(args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected argument \`${args[0] ?? ""}\``);
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 misuse). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) throw new UsageError("missing command");
    if (name === "--help" || name === "-h" || name === "help") {
      const topic = rest.length > 0 ? findCommand(rest[0] ?? "") : undefined;
      expectNoMore(rest.slice(topic ? 1 : 0));
      io.stdout(topic ? `${topic.help}\n` : formatHelp());
      return 0;
    }
    if (name === "--version" || name === "-v") {
      expectNoMore(rest);
      io.stdout(`${packageVersion()}\n`);
      return 0;
    }
    const command = findCommand(name);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${command.help}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`alchemy-telemetry: error: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`alchemy-telemetry: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: process.stdout.isTTY,
};

process.exitCode = await runCli(process.argv.slice(2), io);
