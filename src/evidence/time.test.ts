import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseTimestamp } from './time';

test('upstream, Go and JavaScript forms of one instant are equal', () => {
  const micros = Date.UTC(2026, 4, 21, 15, 40, 0) * 1000 + 123456;
  expect(parseTimestamp('2026-05-21T15:40:00.123456+00:00')).toBe(micros);
  expect(parseTimestamp('2026-05-21T15:40:00.123456789Z')).toBe(micros);
  expect(parseTimestamp('2026-05-21T17:40:00.123456+02:00')).toBe(micros);
  expect(parseTimestamp('2026-05-21T15:40:00Z')).toBe(micros - 123456);
});

test('dates before 1970 and leap days work', () => {
  expect(parseTimestamp('1969-12-31T23:59:59Z')).toBe(-1_000_000);
  expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) * 1000);
});

test('anything but RFC 3339 with an offset is rejected', () => {
  for (const bad of [
    '2026-05-21T15:40:00',
    '2026-05-21 15:40:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-05-21T24:00:00Z',
    '2026-05-21T15:40:60Z',
    '2026-13-01T00:00:00Z',
    '2026-05-21T15:40:00+24:00',
    'yesterday',
  ]) {
    expect(parseTimestamp(bad)).toBeNull();
  }
});

test('agrees with Date.parse on generated instants and offsets', () => {
  fc.assert(
    fc.property(
      fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2200-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
      fc.integer({ min: 0, max: 999 }),
      (date, offset, micros) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const text = `${local}${String(micros).padStart(3, '0')}${zone}`;
        expect(parseTimestamp(text)).toBe(date.getTime() * 1000 + micros);
        expect(parseTimestamp(date.toISOString())).toBe(date.getTime() * 1000);
      },
    ),
  );
});
