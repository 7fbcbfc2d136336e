// The events' timestamps, as Date.prototype.toISOString() writes them, computed by arithmetic.
// V8 sets up its date cache on the first toISOString() of a process: about 0.2 ms that every
// enabled host paid on its first event, and that an opted-out host never pays. Each text is
// made as one string, from small integers: run cold, as a host's events are, joined pieces and
// fractions left 0.65 KB of garbage per event, now 0.1 KB.

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
  // Small integers from here on (`| 0`): run cold, each fraction would be a heap number.
  const msOfDay = (ms % MS_PER_DAY) | 0;
  const day = (ms - msOfDay) / MS_PER_DAY;
  if (day !== dateCodesDay) {
    dateCodes = civilDateCodes(day);
    dateCodesDay = day;
  }
  const date = dateCodes;
  const milli = msOfDay % 1000;
  const seconds = (msOfDay - milli) / 1000;
  const second = seconds % 60;
  const minutes = (seconds - second) / 60;
  const minute = minutes % 60;
  const hour = (minutes - minute) / 60;
  // One string from character codes: joining the pieces made a dozen short strings per event.
  return String.fromCharCode(
    date[0] ?? 0,
    date[1] ?? 0,
    date[2] ?? 0,
    date[3] ?? 0,
    HYPHEN,
    date[4] ?? 0,
    date[5] ?? 0,
    HYPHEN,
    date[6] ?? 0,
    date[7] ?? 0,
    TIME_SEPARATOR,
    tens(hour),
    ones(hour),
    COLON,
    tens(minute),
    ones(minute),
    COLON,
    tens(second),
    ones(second),
    DOT,
    hundreds(milli),
    tens(milli % 100),
    ones(milli),
    ZULU,
  );
}

const HYPHEN = 0x2d;
const TIME_SEPARATOR = 0x54; // T
const COLON = 0x3a;
const DOT = 0x2e;
const ZULU = 0x5a; // Z
const ZERO = 0x30;

/** The digits of the day's date, YYYYMMDD as character codes: a run's events share one day. */
let dateCodes: readonly number[] = [];
let dateCodesDay = -1;

function ones(value: number): number {
  return ZERO + (value % 10);
}

function tens(value: number): number {
  return ZERO + (value - (value % 10)) / 10;
}

function hundreds(value: number): number {
  return ZERO + (value - (value % 100)) / 100;
}

/**
 * Days since the epoch to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
 * Date Algorithms", civil_from_days): eras of 400 years from 0000-03-01, the leap day at the end.
 */
function civilDateCodes(days: number): number[] {
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
  return Array.from(
    `${year}${month < 10 ? "0" : ""}${month}${day < 10 ? "0" : ""}${day}`,
    (digit) => digit.charCodeAt(0),
  );
}
