import { expect, test } from 'vitest';
import { pooledRandomHex12, webRandomHex12 } from './deps';

test('pooled ids use every byte once, in order, and refill the pool when it runs out', () => {
  let fills = 0;
  const next = pooledRandomHex12((bytes) => {
    fills += 1;
    // Fill n makes byte i of the pool (i + n) mod 256, so ids show which bytes and which fill they came from.
    bytes.forEach((_, i) => (bytes[i] = (i + fills) % 256));
  });
  expect(fills).toBe(0);
  expect(next()).toBe('010203040506');
  expect(next()).toBe('0708090a0b0c');
  expect(fills).toBe(1);
  const ids = Array.from({ length: 680 }, next);
  // 682 ids per 4,092-byte fill: the last of the first fill ends at byte 4091 ((4091 + 1) mod 256 = 252 = fc).
  expect(ids.at(-1)).toBe('f7f8f9fafbfc');
  expect(fills).toBe(1);
  expect(next()).toBe('0203040506' + '07');
  expect(fills).toBe(2);
});

test('webRandomHex12 gives 12 lowercase hex characters, different each time', () => {
  const ids = new Set(Array.from({ length: 2000 }, webRandomHex12));
  expect(ids.size).toBe(2000);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
});
