import { PHASES, type Phase } from "./event/names.js";

export interface TelemetryOptions {
  /** The host CLI's version, e.g. "0.77.0". */
  readonly version: string;
  /** The deployment phase of this run. */
  readonly phase?: Phase;
  /** The environment to read; defaults to `process.env`. Read once, here. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the project is; defaults to `process.cwd()`. */
  readonly cwd?: string;
}

/** The only place this package throws into the host: programmer errors in the options. */
export function validateOptions(options: unknown): TelemetryOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  }
  const { version, phase, env, cwd } = options as Record<string, unknown>;
  if (typeof version !== "string" || version.trim() === "" || version.length > 64) {
    throw new TypeError(
      `Expected \`version\` to be a non-empty string of at most 64 characters, got ${describe(version)}`,
    );
  }
  if (phase !== undefined && !PHASES.includes(phase as Phase)) {
    throw new TypeError(
      `Expected \`phase\` to be one of ${PHASES.join(", ")}, got ${describe(phase)}`,
    );
  }
  if (env !== undefined && (typeof env !== "object" || env === null)) {
    throw new TypeError(`Expected \`env\` to be an object, got ${describe(env)}`);
  }
  if (cwd !== undefined && typeof cwd !== "string") {
    throw new TypeError(`Expected \`cwd\` to be a string, got ${describe(cwd)}`);
  }
  return options as TelemetryOptions;
}

/** `\`-1\` (number)`, the shape every option error uses. */
function describe(value: unknown): string {
  const shown =
    typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : value === null
        ? "null"
        : typeof value;
  return `\`${shown}\` (${value === null ? "null" : typeof value})`;
}
