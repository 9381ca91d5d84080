import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { utf8 } from '../canonical';
import { nobleCrypto as testCrypto } from '../crypto';
import { decodePrivateKeyPem, decodePublicKeyPem, encodePublicKeyPem } from '../keys';
import { utf8Decode } from './bytes';
import {
  buildManifest,
  canonicalManifestBytes,
  type BundleManifest,
  type ManifestPayload,
  type ManifestSigning,
} from './manifest';
import { pythonJsonFile } from './python-json';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/evidence');
type Vectors = {
  canonical_manifest_bytes_utf8: string;
  sha256_manifest: BundleManifest;
  hs256_manifest: BundleManifest;
  ed25519_manifest: BundleManifest;
  ed25519_public_key_pem: string;
  ed25519_test_private_key_pem_NOT_FOR_PRODUCTION: string;
  hmac_key: string;
  public_key_sha256: string;
};
const vectors = JSON.parse(
  readFileSync(join(FIXTURES, 'evidence-manifest-test-vectors.json'), 'utf8'),
) as Vectors;
const sampleManifestText = readFileSync(join(FIXTURES, 'bundle-sample/manifest.json'), 'utf8');

function sampleFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const entry of vectors.sha256_manifest.files) {
    files.set(entry.path, readFileSync(join(FIXTURES, 'bundle-sample', entry.path)));
  }
  return files;
}

function build(signing: ManifestSigning): { manifest: BundleManifest; bytes: Uint8Array } {
  const result = buildManifest(sampleFiles(), {
    createdAt: '2026-05-21T15:40:00.000000+00:00',
    signing,
    crypto: testCrypto,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const ed25519Signing: ManifestSigning = {
  mode: 'ed25519',
  privateKeyPem: vectors.ed25519_test_private_key_pem_NOT_FOR_PRODUCTION,
  publicKeyPem: vectors.ed25519_public_key_pem,
};

test('canonical manifest bytes match the upstream vector byte for byte', () => {
  const { signature: _, ...payload } = vectors.sha256_manifest;
  const bytes = canonicalManifestBytes(payload satisfies ManifestPayload);
  expect(utf8Decode(bytes)).toBe(vectors.canonical_manifest_bytes_utf8);
  expect(canonicalManifestBytes(vectors.ed25519_manifest)).toEqual(bytes);
});

test('SHA256 mode reproduces the vector and the sample manifest.json bytes', () => {
  const { manifest, bytes } = build({ mode: 'digest' });
  expect(manifest).toEqual(vectors.sha256_manifest);
  expect(utf8Decode(bytes)).toBe(sampleManifestText);
});

test('HS256 mode reproduces the vector', () => {
  expect(build({ mode: 'hmac', key: vectors.hmac_key }).manifest).toEqual(vectors.hs256_manifest);
  expect(build({ mode: 'hmac', key: utf8(vectors.hmac_key) }).manifest).toEqual(vectors.hs256_manifest);
});

test('Ed25519 mode reproduces the vector: key_id = fingerprint[:16], fingerprint of the PEM text', () => {
  const { manifest, bytes } = build(ed25519Signing);
  expect(manifest).toEqual(vectors.ed25519_manifest);
  expect(utf8Decode(bytes)).toBe(pythonJsonFile(vectors.ed25519_manifest));
  expect(manifest.signature).toMatchObject({ public_key_sha256: vectors.public_key_sha256 });
});

test('Ed25519 mode takes an explicit key ID', () => {
  const { manifest } = build({ ...ed25519Signing, keyId: 'release-2026' });
  expect(manifest.signature).toMatchObject({ algorithm: 'Ed25519', key_id: 'release-2026' });
});

test('signing refuses bad key material with stable codes', () => {
  const files = sampleFiles();
  const base = { createdAt: '2026-05-21T15:40:00+00:00', crypto: testCrypto };
  const code = (signing: ManifestSigning): string | undefined => {
    const result = buildManifest(files, { ...base, signing });
    return result.ok ? undefined : result.error.code;
  };
  expect(code({ mode: 'hmac', key: '' })).toBe('empty_hmac_key');
  expect(code({ ...ed25519Signing, privateKeyPem: vectors.ed25519_public_key_pem })).toBe('key_invalid_pem');
  expect(code({ ...ed25519Signing, publicKeyPem: 'nope' })).toBe('key_invalid_pem');
  const otherKey = encodePublicKeyPem(new Uint8Array(32).fill(7));
  expect(code({ ...ed25519Signing, publicKeyPem: otherKey })).toBe('key_pair_mismatch');
  expect(code({ ...ed25519Signing, keyId: '' })).toBe('empty_key_id');
  files.set('manifest.json', new Uint8Array());
  expect(code({ mode: 'digest' })).toBe('reserved_file_name');
});

test('the core key helpers read the test key and re-encode it in the exact text Python writes', () => {
  const publicKey = decodePublicKeyPem(vectors.ed25519_public_key_pem);
  expect(publicKey.ok && encodePublicKeyPem(publicKey.value)).toBe(vectors.ed25519_public_key_pem);
  const seed = decodePrivateKeyPem(vectors.ed25519_test_private_key_pem_NOT_FOR_PRODUCTION);
  expect(seed.ok && seed.value).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
});
