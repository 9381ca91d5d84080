import type { Outcome, Severity } from '../engine';

/** ANSI colours used for decisions and severities (one colour per decision everywhere, STYLE.md). */
export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'dim' | 'bold';

const ANSI: Readonly<Record<Color, [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export function paint(text: string, color: Color | undefined, enabled: boolean): string {
  if (!enabled || color === undefined || text === '') return text;
  const [open, close] = ANSI[color];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export function decisionColor(decision: Outcome): Color {
  switch (decision) {
    case 'allow':
      return 'green';
    case 'block':
      return 'red';
    case 'require_approval':
    case 'warn':
      return 'yellow';
    case 'audit_only':
      return 'blue';
    case 'allow_with_attestation':
      return 'cyan';
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}

export function severityColor(severity: Severity): Color | undefined {
  return severity === 'critical' || severity === 'high'
    ? 'red'
    : severity === 'medium'
      ? 'yellow'
      : undefined;
}

/** A table cell: plain text, optionally coloured. Width is measured on the text, so colour never misaligns. */
export type Cell = string | { text: string; color?: Color | undefined };

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/**
 * Renders rows as left-aligned columns separated by two spaces; the last column is not padded.
 * With `header`, the first row is the header (shown upper-case and dim).
 */
export function renderTable(
  rows: readonly (readonly Cell[])[],
  options: { color: boolean; header?: boolean; indent?: string },
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cellText(cell).length);
    });
  }
  const lines = rows.map((row, rowIndex) => {
    const isHeader = options.header === true && rowIndex === 0;
    const cells = row.map((cell, index) => {
      const text = isHeader ? cellText(cell).toUpperCase() : cellText(cell);
      const padded = index === row.length - 1 ? text : text.padEnd(widths[index] ?? 0);
      const color = isHeader ? 'dim' : typeof cell === 'string' ? undefined : cell.color;
      return paint(padded, color, options.color);
    });
    return `${options.indent ?? ''}${cells.join('  ')}`.trimEnd();
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Shortens text for a table column, keeping the start (`terraform apply -auto-ap…`). */
export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
