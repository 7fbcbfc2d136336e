import { isFlagOn } from "./flags.js";

export interface Consent {
  readonly enabled: boolean;
  /** Human-readable reason, shown by `alchemy-telemetry status`. */
  readonly reason: string;
}

/** The user's persisted choice from `enable`/`disable`; undefined when never made. */
export type StoredChoice = boolean | undefined;

/** Opt-out by environment always beats a stored choice (SPEC §2.2). */
export function resolveConsent(
  env: Readonly<Record<string, string | undefined>>,
  stored: StoredChoice,
): Consent {
  if (isFlagOn(env.ALCHEMY_TELEMETRY_DISABLED)) {
    return { enabled: false, reason: "ALCHEMY_TELEMETRY_DISABLED is set" };
  }
  if (isFlagOn(env.DO_NOT_TRACK)) return { enabled: false, reason: "DO_NOT_TRACK is set" };
  if (stored === false)
    return { enabled: false, reason: "disabled by `alchemy-telemetry disable`" };
  if (stored === true) return { enabled: true, reason: "enabled by `alchemy-telemetry enable`" };
  return { enabled: true, reason: "on by default" };
}

/** True when env opts out, before any file is looked at. */
export function isOptedOutByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return isFlagOn(env.ALCHEMY_TELEMETRY_DISABLED) || isFlagOn(env.DO_NOT_TRACK);
}
