import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ed25519PublicKey,
  fromHex,
  generateKeyPair,
  nobleCrypto,
  publicKeyFingerprint,
  toHex,
  verifyJsonl,
  exportJsonl,
} from '../../evidence';
import { buildTestLog } from '../../evidence/test-log';
import { nodeCrypto } from './node-crypto';

const bytes = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc.uint8Array({ minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 300 });
const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Compares as plain bytes (a Buffer and a Uint8Array with equal bytes are equal here). */
const hex = (value: Uint8Array): string => toHex(value);

describe('nodeCrypto gives the outputs of nobleCrypto', () => {
  test('sha256 on random inputs, and returns a plain Uint8Array', () => {
    fc.assert(
      fc.property(bytes({ maxLength: 2000 }), (data) => {
        expect(hex(nodeCrypto.sha256(data))).toBe(hex(nobleCrypto.sha256(data)));
      }),
    );
    const digest = nodeCrypto.sha256(new Uint8Array(3));
    expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
    expect(digest).toHaveLength(32);
  });

  test('sha256 does not keep the input: a reused buffer can change after the call', () => {
    const buffer = new Uint8Array(64).fill(7);
    const first = nodeCrypto.sha256(buffer.subarray(0, 32));
    const copy = hex(first);
    buffer.fill(9);
    nodeCrypto.sha256(buffer.subarray(0, 32));
    expect(hex(first)).toBe(copy);
  });

  test('hmacSha256 on random keys and messages (empty and long keys included)', () => {
    fc.assert(
      fc.property(bytes({ maxLength: 200 }), bytes(), (key, message) => {
        expect(hex(nodeCrypto.hmacSha256(key, message))).toBe(hex(nobleCrypto.hmacSha256(key, message)));
      }),
    );
  });

  test('ed25519Sign: the same signature (Ed25519 is deterministic), and each verifies the other', () => {
    fc.assert(
      fc.property(seed, bytes(), (privateKey, message) => {
        const publicKey = ed25519PublicKey(privateKey);
        const native = nodeCrypto.ed25519Sign(message, privateKey);
        expect(hex(native)).toBe(hex(nobleCrypto.ed25519Sign(message, privateKey)));
        expect(nodeCrypto.ed25519Verify(native, message, publicKey)).toBe(true);
        expect(nobleCrypto.ed25519Verify(native, message, publicKey)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('ed25519Verify agrees on altered signatures, messages and keys', () => {
    fc.assert(
      fc.property(
        seed,
        bytes({ minLength: 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('signature', 'message', 'key'),
        (privateKey, message, position, flip, part) => {
          const publicKey = ed25519PublicKey(privateKey);
          const signature = nobleCrypto.ed25519Sign(message, privateKey);
          const target = part === 'signature' ? signature : part === 'message' ? message : publicKey;
          const altered = target.slice();
          const index = position % altered.length;
          altered[index] = (altered[index] ?? 0) ^ flip;
          const args: [Uint8Array, Uint8Array, Uint8Array] =
            part === 'signature'
              ? [altered, message, publicKey]
              : part === 'message'
                ? [signature, altered, publicKey]
                : [signature, message, altered];
          expect(nodeCrypto.ed25519Verify(...args)).toBe(nobleCrypto.ed25519Verify(...args));
          expect(nodeCrypto.ed25519Verify(...args)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('ed25519Verify on random garbage: false from both, never an exception', () => {
    fc.assert(
      fc.property(bytes({ maxLength: 80 }), bytes(), bytes({ maxLength: 40 }), (signature, message, key) => {
        expect(nodeCrypto.ed25519Verify(signature, message, key)).toBe(
          nobleCrypto.ed25519Verify(signature, message, key),
        );
      }),
    );
  });

  test('edge cases: a non-canonical S and small-order keys are judged alike', () => {
    const privateKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    const publicKey = ed25519PublicKey(privateKey);
    const message = new Uint8Array([1, 2, 3]);
    const signature = nobleCrypto.ed25519Sign(message, privateKey);
    // S + L (the group order) is the same scalar in a non-canonical encoding: RFC 8032 rejects it.
    const order = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i] ?? 0);
    const sPlusL = s + order;
    const malleable = signature.slice();
    for (let i = 0; i < 32; i++) malleable[32 + i] = Number((sPlusL >> BigInt(8 * i)) & 0xffn);
    if (sPlusL < 2n ** 256n) {
      expect(nodeCrypto.ed25519Verify(malleable, message, publicKey)).toBe(false);
      expect(nobleCrypto.ed25519Verify(malleable, message, publicKey)).toBe(false);
    }
    // The identity point as key, R = identity and S = 0: [S]B = R + [k]A holds for every message.
    const identity = fromHex(`01${'00'.repeat(31)}`) ?? new Uint8Array();
    const trivial = new Uint8Array(64);
    trivial.set(identity, 0);
    expect(nobleCrypto.ed25519Verify(trivial, message, identity)).toBe(false);
    expect(nodeCrypto.ed25519Verify(trivial, message, identity)).toBe(false);
    // y = p: a non-canonical encoding of y = 0 (a small-order point too).
    const nonCanonical = fromHex(`ed${'ff'.repeat(30)}7f`) ?? new Uint8Array();
    expect(nobleCrypto.ed25519Verify(trivial, message, nonCanonical)).toBe(false);
    expect(nodeCrypto.ed25519Verify(trivial, message, nonCanonical)).toBe(false);
  });

  test('wrong key sizes: signing throws, verifying is false', () => {
    expect(() => nodeCrypto.ed25519Sign(new Uint8Array(1), new Uint8Array(31))).toThrow();
    expect(nodeCrypto.ed25519Verify(new Uint8Array(64), new Uint8Array(1), new Uint8Array(31))).toBe(false);
    expect(nodeCrypto.ed25519Verify(new Uint8Array(63), new Uint8Array(1), new Uint8Array(32))).toBe(false);
  });

  test('many keys: the cache never hands back another key', () => {
    const message = new Uint8Array([42]);
    for (let i = 0; i < 150; i++) {
      const privateKey = Uint8Array.from({ length: 32 }, (_, j) => (i * 7 + j) & 0xff);
      const signature = nodeCrypto.ed25519Sign(message, privateKey);
      expect(hex(signature)).toBe(hex(nobleCrypto.ed25519Sign(message, privateKey)));
      expect(nodeCrypto.ed25519Verify(signature, message, ed25519PublicKey(privateKey))).toBe(true);
    }
  });

  test('the evidence layer works end to end on it: keys, a signed log and its verification', () => {
    const key = generateKeyPair(new Uint8Array(32).fill(5), nodeCrypto);
    expect(key.fingerprint).toBe(publicKeyFingerprint(key.publicKeyPem, nobleCrypto));
    const log = buildTestLog({ size: 40, checkpointEvery: 10, crypto: nodeCrypto });
    const reference = buildTestLog({ size: 40, checkpointEvery: 10 });
    expect(log.checkpoints).toEqual(reference.checkpoints);
    const jsonl = exportJsonl(log.entries, log.checkpoints);
    const report = verifyJsonl(jsonl, { roots: [log.root] }, nodeCrypto);
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
  });
});
