import assert from "node:assert/strict";
import { test } from "node:test";
import { isoTimestamp } from "../src/event/timestamp.js";

const expected = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

test("the text is toISOString()'s at every year's and month's edges, 1970 to 9999", () => {
  const edges: number[] = [0, 1, 999, 1000, DAY - 1, DAY];
  for (let year = 1970; year <= 9999; year += year < 2200 ? 1 : 37) {
    for (let month = 0; month < 12; month++) {
      const start = Date.UTC(year, month, 1);
      edges.push(start - 1, start, start + 1, Date.UTC(year, month + 1, 0) + DAY - 1);
    }
  }
  // Leap days, the 100- and 400-year rules, and the last moment with a four-digit year.
  for (const year of [1972, 2000, 2024, 2100, 2400, 9996]) edges.push(Date.UTC(year, 1, 29));
  edges.push(Date.UTC(2100, 1, 28, 23, 59, 59, 999), 253_402_300_799_999);
  for (const ms of edges) assert.equal(isoTimestamp(ms), expected(ms), `at ${ms}`);
});

test("the text is toISOString()'s at 200,000 random moments", () => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  for (let index = 0; index < 100_000; index++) {
    const anyYear = Math.floor(next() * 253_402_300_800_000);
    const thisCentury = 946_684_800_000 + Math.floor(next() * 100 * 365.25 * DAY);
    assert.equal(isoTimestamp(anyYear), expected(anyYear), `at ${anyYear}`);
    assert.equal(isoTimestamp(thisCentury), expected(thisCentury), `at ${thisCentury}`);
  }
});

test("outside 1970-9999 and for fractions it is toISOString() itself, errors included", () => {
  for (const ms of [-1, -DAY, 253_402_300_800_000, 8.64e15, 1.5, -0.5]) {
    assert.equal(isoTimestamp(ms), expected(ms), `at ${ms}`);
  }
  for (const ms of [Number.NaN, Infinity, 8.64e15 + 1]) {
    assert.throws(() => isoTimestamp(ms), RangeError);
  }
});

test("a run's moments within one day, and across midnight both ways, keep their own dates", () => {
  // The date is kept for the day it was made for: every moment must still get its own.
  const midnight = Date.UTC(2026, 11, 31, 24);
  const moments = [midnight - 1, midnight, midnight - 1, midnight + 1, midnight - DAY, midnight];
  for (let ms = midnight - 3_600_000; ms < midnight + 3_600_000; ms += 7_777) moments.push(ms);
  for (const ms of moments) assert.equal(isoTimestamp(ms), expected(ms), `at ${ms}`);
});
