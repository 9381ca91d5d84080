import { expect, test } from 'vitest';
import { decisionColor, renderTable, truncate } from './format';

test('renderTable aligns columns and leaves the last one unpadded', () => {
  const text = renderTable(
    [
      ['id', 'title'],
      ['cavra-hipaa', 'HIPAA'],
      ['x', 'Something'],
    ],
    { color: false, header: true },
  );
  expect(text).toBe('ID           TITLE\ncavra-hipaa  HIPAA\nx            Something\n');
});

test('colour does not change the alignment', () => {
  const rows = [[{ text: 'block', color: decisionColor('block') }, 'rule']];
  const plain = renderTable(rows, { color: false });
  const coloured = renderTable(rows, { color: true });
  expect(coloured).toBe('\u001b[31mblock\u001b[39m  rule\n');
  expect(coloured.replaceAll('\u001b[31m', '').replaceAll('\u001b[39m', '')).toBe(plain);
});

test('each outcome has its colour: allow green, require_approval amber, block red', () => {
  expect(decisionColor('allow')).toBe('green');
  expect(decisionColor('require_approval')).toBe('yellow');
  expect(decisionColor('block')).toBe('red');
  expect(decisionColor('audit_only')).toBe('blue');
});

test('truncate keeps the start, marks the cut and flattens newlines', () => {
  expect(truncate('terraform apply -auto-approve', 12)).toBe('terraform a…');
  expect(truncate('a\nb', 10)).toBe('a ⏎ b');
  expect(truncate('short', 10)).toBe('short');
});
