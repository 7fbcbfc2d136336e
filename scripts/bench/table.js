// Plain-text tables for the console.

/** Renders rows (arrays of cells) under a header, columns padded; numbers right-aligned. */
export function renderTable(header, rows) {
  const all = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  const line = (row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(all[0]), rule, ...all.slice(1).map(line)].join("\n");
}

export function heading(title) {
  return `\n== ${title} ${"=".repeat(Math.max(3, 86 - title.length))}`;
}
