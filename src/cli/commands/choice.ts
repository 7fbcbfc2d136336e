import { existsSync, mkdirSync, rmSync } from "node:fs";
import { writeStoredChoice } from "../../config/choice.js";
import { isOptedOutByEnv, resolveConsent } from "../../config/consent.js";
import { readAnonymousId, replaceAnonymousId } from "../../identity/anonymous-id.js";
import { detectCi } from "../../identity/ci-id.js";
import { parseFlags } from "../args.js";
import type { Command, CliIo } from "../command.js";
import { filesFor } from "../context.js";
import { deletePending } from "../pending-files.js";

export const enableCommand: Command = {
  name: "enable",
  summary: "Turn telemetry on (persisted)",
  help: `Usage: alchemy-telemetry enable

Turns telemetry on for this machine. ALCHEMY_TELEMETRY_DISABLED and DO_NOT_TRACK
in the environment still opt out, whatever is stored.`,
  run(args, io) {
    parseFlags(args, {});
    const files = filesFor(io);
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    writeStoredChoice(files.choice, true);
    io.stdout("telemetry enabled\n");
    warnIfEnvOptsOut(io);
    return Promise.resolve(0);
  },
};

export const disableCommand: Command = {
  name: "disable",
  summary: "Turn telemetry off (persisted) and delete pending events",
  help: `Usage: alchemy-telemetry disable

Turns telemetry off for this machine and deletes every event still waiting to be sent.
Nothing is recorded or sent until \`alchemy-telemetry enable\`.`,
  async run(args, io) {
    parseFlags(args, {});
    const files = filesFor(io);
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    writeStoredChoice(files.choice, false);
    const deleted = await deletePending(files);
    io.stdout(`telemetry disabled; ${deleted} pending events deleted\n`);
    return 0;
  },
};

export const resetCommand: Command = {
  name: "reset",
  summary: "Create a new anonymous id and delete pending events",
  help: `Usage: alchemy-telemetry reset

Replaces the anonymous id with a new random one and deletes every event still waiting
to be sent, so nothing links what comes next to what came before. Where no id exists
yet, none is made: the next run makes one (and says so). In CI there is no id file:
the id is ci:<provider>.`,
  async run(args, io) {
    parseFlags(args, {});
    const files = filesFor(io);
    if (!existsSync(files.dir)) {
      io.stdout("nothing to reset: telemetry has recorded nothing on this machine\n");
      return 0;
    }
    const deleted = await deletePending(files);
    io.stdout(`${resetAnonymousId(files.id)}; ${deleted} pending events deleted\n`);
    return 0;
  },
};

function resetAnonymousId(path: string): string {
  if (detectCi().isCi) {
    rmSync(path, { force: true }); // CI never keeps an id file (SPEC §3).
    return "in CI the id is per provider, no id file is kept";
  }
  if (readAnonymousId(path) === undefined) {
    rmSync(path, { force: true }); // A corrupt one: the next run makes a fresh id.
    return "no anonymous id yet; the next run makes one";
  }
  return `new anonymous id ${replaceAnonymousId(path)}`;
}

function warnIfEnvOptsOut(io: CliIo): void {
  if (!isOptedOutByEnv(io.env)) return;
  io.stderr(
    `note: ${resolveConsent(io.env, true).reason} in this environment, which still opts out\n`,
  );
}
