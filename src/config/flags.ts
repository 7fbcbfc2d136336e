/** Values that leave a flag off (SPEC §2.2); anything else turns it on. */
const OFF_VALUES = new Set(["", "0", "false", "no", "off"]);

/** True when an environment flag such as `DO_NOT_TRACK` is set to an "on" value. */
export function isFlagOn(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !OFF_VALUES.has(value.trim().toLowerCase());
}
