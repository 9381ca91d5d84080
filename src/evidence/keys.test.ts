import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fromBase64, utf8 } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import {
  decodePrivateKeyPem,
  decodePublicKeyPem,
  encodePrivateKeyPem,
  generateKeyPair,
  publicKeyFingerprint,
} from './keys';
import { TEST_SEED } from './test-log';

type Vectors = {
  canonical_manifest_bytes_utf8: string;
  ed25519_manifest: { signature: { value: string; key_id: string; public_key_sha256: string } };
  ed25519_public_key_pem: string;
  ed25519_test_private_key_pem_NOT_FOR_PRODUCTION: string;
};
const vectors = JSON.parse(
  readFileSync('/work/shared/reference/examples/evidence-manifest-test-vectors.json', 'utf8'),
) as Vectors;

test('a key pair from the reference test seed matches upstream PEMs, fingerprint and key id', () => {
  const pair = generateKeyPair(TEST_SEED, crypto);
  expect(pair.publicKeyPem).toBe(vectors.ed25519_public_key_pem);
  expect(pair.privateKeyPem).toBe(vectors.ed25519_test_private_key_pem_NOT_FOR_PRODUCTION);
  expect(pair.fingerprint).toBe('f0ff50dacf109dea7f716d7c03eb7a821aa3a283fd3fa02f4c14dbba7d3c3322');
  expect(pair.keyId).toBe('f0ff50dacf109dea');
  expect(pair.fingerprint).toBe(vectors.ed25519_manifest.signature.public_key_sha256);
});

test("signing the reference manifest bytes reproduces upstream's Ed25519 signature", () => {
  const pair = generateKeyPair(TEST_SEED, crypto);
  const message = utf8(vectors.canonical_manifest_bytes_utf8);
  const signature = crypto.ed25519Sign(message, pair.privateKey);
  expect(signature).toEqual(fromBase64(vectors.ed25519_manifest.signature.value));
  expect(crypto.ed25519Verify(signature, message, pair.publicKey)).toBe(true);
  expect(crypto.ed25519Verify(signature, utf8('other'), pair.publicKey)).toBe(false);
  expect(crypto.ed25519Verify(new Uint8Array(3), message, pair.publicKey)).toBe(false);
});

test('PEMs decode back to the raw keys, tolerating CRLF and surrounding whitespace', () => {
  const pair = generateKeyPair(TEST_SEED, crypto);
  expect(decodePrivateKeyPem(pair.privateKeyPem)).toEqual({ ok: true, value: pair.privateKey });
  expect(decodePublicKeyPem(`\n${pair.publicKeyPem.replaceAll('\n', '\r\n')}`)).toEqual({
    ok: true,
    value: pair.publicKey,
  });
  // The fingerprint is of the text: another wrapping is another fingerprint, as upstream.
  expect(publicKeyFingerprint(pair.publicKeyPem.trimEnd(), crypto)).not.toBe(pair.fingerprint);
});

test('non-Ed25519 and malformed PEMs are errors with codes', () => {
  const pair = generateKeyPair(TEST_SEED, crypto);
  expect(decodePublicKeyPem(pair.privateKeyPem)).toMatchObject({
    ok: false,
    error: { code: 'key_invalid_pem' },
  });
  const p256 =
    '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP//A/bY2LhC30M9+RYtw==\n-----END PUBLIC KEY-----\n';
  expect(decodePublicKeyPem(p256)).toMatchObject({ ok: false, error: { code: 'key_not_ed25519' } });
  expect(decodePrivateKeyPem('nonsense')).toMatchObject({ ok: false });
  expect(encodePrivateKeyPem(pair.privateKey).split('\n')[1]?.length).toBeLessThanOrEqual(64);
  expect(() => generateKeyPair(new Uint8Array(31), crypto)).toThrow(TypeError);
});
