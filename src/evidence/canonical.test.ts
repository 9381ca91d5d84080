import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { JsonValue } from '../engine';
import { bytesEqual, canonicalJson, fromBase64, fromHex, isSha256Hex, toBase64, toHex } from './canonical';

test('the RFC 8785 §3.2.4 example canonicalises as published', () => {
  const input = JSON.parse(
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
      '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
  ) as JsonValue;
  expect(canonicalJson(input)).toBe(
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('properties sort by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
  const input = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
  expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"ö":7,"€":1,"😀":5,"דּ":3}');
});

test('the serializer agrees with the canonicalize package on generated JSON', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }),
        fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
      ),
      (value) => {
        let expected: string | undefined;
        try {
          expected = canonicalize(value);
        } catch {
          // No canonical form (lone surrogates): ours must refuse too.
          expect(() => canonicalJson(value as JsonValue)).toThrow(TypeError);
          return;
        }
        expect(canonicalJson(value as JsonValue)).toBe(expected);
      },
    ),
    { numRuns: 200 },
  );
});

test('values without a canonical form are refused', () => {
  expect(() => canonicalJson({ a: '\ud800' })).toThrow(/lone surrogate/);
  expect(() => canonicalJson({ '\udc00': 1 })).toThrow(/lone surrogate/);
  expect(() => canonicalJson([Number.NaN])).toThrow(TypeError);
  expect(canonicalJson({ a: '\ud83d\ude00', b: -0 })).toBe('{"a":"😀","b":0}');
});

test('hex is lowercase and strict', () => {
  expect(toHex(Uint8Array.of(0, 171, 255))).toBe('00abff');
  expect(fromHex('00abff')).toEqual(Uint8Array.of(0, 171, 255));
  expect(fromHex('00ABFF')).toBeNull();
  expect(fromHex('abc')).toBeNull();
  expect(isSha256Hex('a'.repeat(64))).toBe(true);
  expect(isSha256Hex('A'.repeat(64))).toBe(false);
});

test('base64 round-trips and rejects every non-canonical text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
      const text = toBase64(bytes);
      expect(fromBase64(text)).toEqual(bytes);
    }),
  );
  expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  for (const bad of ['+/9=', 'AA', 'AA=', 'A===', '-_8=', 'AA==AA==', ' AA=', 'AAA=\n'])
    expect(fromBase64(bad)).toBeNull();
});

test('byte comparison', () => {
  expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
  expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
  expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
});

test('a lone surrogate is refused wherever it is: value, key, next to escaped characters, at either end', () => {
  const lone = ['\ud800', '\udc00', 'a\ud800', '\udc00b', 'x\n\ud800', '"\udfff"', '\\\ud83d'];
  for (const text of lone) {
    expect(() => canonicalJson(text), JSON.stringify(text)).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ [text]: 1 }), JSON.stringify(text)).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ a: [1, { b: text }] }), JSON.stringify(text)).toThrow(/lone surrogate/);
  }
  // Halves in two different strings never pair up: quotes separate them.
  expect(() => canonicalJson(['\ud83d', '\ude00'])).toThrow(/lone surrogate/);
  expect(() => canonicalJson({ '\ud83d': '\ude00' })).toThrow(/lone surrogate/);
  expect(canonicalJson({ '😀': '\n😀"' })).toBe('{"😀":"\\n😀\\""}');
});
