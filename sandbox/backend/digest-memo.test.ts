import { expect, test } from 'vitest';
import { nobleCrypto, toHex, utf8 } from '../../src/evidence';
import { memoCrypto, recordingCrypto } from './digest-memo';

test('the memo answers recorded inputs with their digests and computes every other input', () => {
  const { crypto: recording, record } = recordingCrypto(nobleCrypto);
  const texts = ['a'.repeat(200), `${'x'.repeat(100)}MIDDLE${'y'.repeat(100)}`, 'short'];
  for (const text of texts) recording.sha256(utf8(text));
  let computed = 0;
  const counting = {
    ...nobleCrypto,
    sha256: (data: Uint8Array) => {
      computed += 1;
      return nobleCrypto.sha256(data);
    },
  };
  const memo = memoCrypto(counting, record());
  for (const text of texts)
    expect(toHex(memo.sha256(utf8(text)))).toBe(toHex(nobleCrypto.sha256(utf8(text))));
  expect(computed).toBe(0);
  // Same length, same 64 bytes at each end, one byte different in the middle: computed, not looked up.
  const near = `${'x'.repeat(100)}MIDDLF${'y'.repeat(100)}`;
  expect(toHex(memo.sha256(utf8(near)))).toBe(toHex(nobleCrypto.sha256(utf8(near))));
  expect(computed).toBe(1);
});
