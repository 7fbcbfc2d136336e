// Small statistics and formatting helpers shared by every section of the bench.

export function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const list = sorted(values);
  const rank = Math.ceil((p / 100) * list.length);
  return list[Math.min(list.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
  if (values.length === 0) return NaN;
  const list = sorted(values);
  const middle = Math.floor(list.length / 2);
  return list.length % 2 === 1 ? list[middle] : (list[middle - 1] + list[middle]) / 2;
}

/** { n, median, min, max } of a sample. */
export function summarize(values) {
  const list = sorted(values);
  return { n: list.length, median: median(list), min: list[0] ?? NaN, max: list.at(-1) ?? NaN };
}

export function fmt(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** "median (min–max)" of a summary. */
export function fmtSummary(summary, digits = 1) {
  return `${fmt(summary.median, digits)} (${fmt(summary.min, digits)}–${fmt(summary.max, digits)})`;
}

/** A budget verdict: `value` must be at most `limit`; the margin is what is left. */
export function verdict(name, value, limit, unit) {
  const margin = limit - value;
  return { name, value, limit, unit, margin, pass: Number.isFinite(value) && value <= limit };
}

/** `resolutionMs`, where a section measures it: a margin smaller than that is flagged. */
export function fmtVerdict({ name, value, limit, unit, margin, pass, resolutionMs }) {
  const digits = unit === "µs" || unit === "ms" ? 2 : 1;
  const unresolved =
    resolutionMs !== undefined && Math.abs(margin) < resolutionMs
      ? `, within this run's resolution of ${fmt(resolutionMs, digits)} ${unit}`
      : "";
  return `${pass ? "PASS" : "FAIL"}  ${name}: ${fmt(value, digits)} ${unit} (budget ≤ ${limit} ${unit}, margin ${margin >= 0 ? "+" : ""}${fmt(margin, digits)} ${unit}${unresolved})`;
}

/** Fisher–Yates shuffle with a small seeded generator, so a run can be repeated. */
export function shuffled(items, random) {
  const list = [...items];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
