/** Plain-text tables for the benchmark report. */

export type Align = 'left' | 'right';

/** Renders rows under a header with aligned columns (numbers right-aligned unless told otherwise). */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: Align[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const alignOf = (column: number): Align => align?.[column] ?? (column === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return alignOf(column) === 'left' ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** A number with a sensible number of digits for microseconds or milliseconds. */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return '—';
  const places = digits ?? (value >= 1000 ? 0 : value >= 100 ? 1 : value >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

export function passFail(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
