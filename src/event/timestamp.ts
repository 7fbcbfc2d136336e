// The events' timestamps, as Date.prototype.toISOString() writes them, computed by arithmetic.
// V8 sets up its date cache on the first toISOString() of a process: about 0.2 ms that every
// enabled host paid on its first event, and that an opted-out host never pays.

const MS_PER_DAY = 86_400_000;
/** 9999-12-31T23:59:59.999Z: beyond it toISOString() writes a six-digit, signed year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** `ms` since the epoch as `YYYY-MM-DDTHH:mm:ss.sssZ`, the same text as toISOString(). */
export function isoTimestamp(ms: number): string {
  // Before 1970, past year 9999, fractions, NaN: rare enough to pay for the Date (which throws
  // a RangeError for an invalid time, as toISOString() does).
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) {
    return new Date(ms).toISOString();
  }
  const days = Math.floor(ms / MS_PER_DAY);
  const time = ms - days * MS_PER_DAY;
  // Days to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
  // Algorithms", civil_from_days): eras of 400 years from 0000-03-01, the leap day at the end.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
  return (
    `${year}-${two(month)}-${two(day)}T${two(Math.floor(time / 3_600_000))}:` +
    `${two(Math.floor(time / 60_000) % 60)}:${two(Math.floor(time / 1000) % 60)}.` +
    `${three(time % 1000)}Z`
  );
}

function two(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

function three(value: number): string {
  return value < 10 ? `00${value}` : value < 100 ? `0${value}` : `${value}`;
}
