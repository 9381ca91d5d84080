import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { utf8 } from '../canonical';
import { nobleCrypto as crypto } from '../crypto';
import { generateKeyPair } from '../keys';
import { createTrustRoot, createTrustRootBundle, type TrustRoot, type TrustRootInput } from '../trust-root';
import { buildSessionBundle } from './bundle';
import { buildManifest } from './manifest';
import type { BundleManifest, ManifestSigning } from './manifest';
import { pythonJsonFile, type PyJsonValue } from './python-json';
import type { BundleDecision } from './records';
import { verifyBundle, type VerifyBundleOptions } from './verify';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/evidence');
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
type Vectors = {
  sha256_manifest: BundleManifest;
  hs256_manifest: BundleManifest;
  ed25519_manifest: BundleManifest;
  ed25519_public_key_pem: string;
  ed25519_test_private_key_pem_NOT_FOR_PRODUCTION: string;
};
const vectors = JSON.parse(read('evidence-manifest-test-vectors.json')) as Vectors;
const SAMPLE = join(FIXTURES, 'bundle-sample');
const sample = (): Map<string, Uint8Array> =>
  new Map(readdirSync(SAMPLE).map((name) => [name, new Uint8Array(readFileSync(join(SAMPLE, name)))]));
const evidence = JSON.parse(read('bundle-sample/evidence.json')) as { decisions: BundleDecision[] };

const PRIVATE_PEM = vectors.ed25519_test_private_key_pem_NOT_FOR_PRODUCTION;
const PUBLIC_PEM = vectors.ed25519_public_key_pem;
const HMAC_KEY = 'cavra-test-hmac-key';
const CREATED_AT = '2026-05-21T15:40:00.000000+00:00';
const other = generateKeyPair(new Uint8Array(32).fill(9), crypto);

function withManifest(manifest: unknown): Map<string, Uint8Array> {
  return sample().set('manifest.json', utf8(pythonJsonFile(manifest as PyJsonValue)));
}

function root(input: Partial<TrustRootInput> = {}): TrustRoot {
  const result = createTrustRoot({ publicKeyPem: PUBLIC_PEM, validFrom: CREATED_AT, ...input }, crypto);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function codes(files: Map<string, Uint8Array>, options: Omit<VerifyBundleOptions, 'crypto'>) {
  const report = verifyBundle(files, { ...options, crypto });
  return {
    valid: report.valid,
    errors: report.errors.map((e) => e.code),
    warnings: report.warnings.map((w) => w.code),
  };
}

describe('upstream test vectors verify with the right key material', () => {
  const hs256 = (): Map<string, Uint8Array> => withManifest(vectors.hs256_manifest);
  const ed25519 = (): Map<string, Uint8Array> => withManifest(vectors.ed25519_manifest);
  const trustRoot = JSON.parse(read('evidence-trust-root.example.json')) as unknown;
  const trustBundle = JSON.parse(read('evidence-trust-root-bundle.example.json')) as unknown;

  test('HS256 with its key', () => {
    const report = verifyBundle(hs256(), { key: HMAC_KEY, crypto });
    expect(report).toMatchObject({
      valid: true,
      errors: [],
      signature: { algorithm: 'HS256', verified: true },
    });
  });
  test('HS256 with a wrong key is upstream\'s "manifest signature mismatch"', () => {
    const report = verifyBundle(hs256(), { key: 'wrong', crypto });
    expect(report.errors.map((e) => e.message)).toEqual(['manifest signature mismatch']);
  });
  test('Ed25519 with the public key, the single trust root and the trust-root bundle', () => {
    for (const keys of [
      { publicKeyPem: PUBLIC_PEM },
      { trustRoots: trustRoot },
      { trustRoots: trustBundle },
    ]) {
      const report = verifyBundle(ed25519(), { ...keys, keyId: 'f0ff50dacf109dea', crypto });
      expect(report.errors).toEqual([]);
      expect(report.signature).toMatchObject({
        algorithm: 'Ed25519',
        verified: true,
        keyId: 'f0ff50dacf109dea',
      });
    }
  });
  test('unverifiable signatures are never a silent pass: a warning, or an error with requireSignature', () => {
    for (const files of [hs256(), ed25519()]) {
      expect(codes(files, {})).toEqual({ valid: true, errors: [], warnings: ['signature_not_verified'] });
      expect(codes(files, { requireSignature: true })).toMatchObject({
        valid: false,
        errors: ['signature_not_verified'],
      });
    }
    expect(codes(sample(), { requireSignature: true }).errors).toEqual(['manifest_unsigned']);
  });
});

describe('key material against the wrong mode', () => {
  test('a digest-only bundle fails when a key is demanded (a stripped signature cannot pass)', () => {
    expect(codes(sample(), { key: HMAC_KEY }).errors).toEqual(['signature_algorithm_mismatch']);
    expect(codes(sample(), { publicKeyPem: PUBLIC_PEM }).errors).toEqual(['signature_algorithm_mismatch']);
    expect(codes(sample(), { trustRoots: root() }).errors).toEqual(['signature_algorithm_mismatch']);
  });
  test('Ed25519 checked with another public key: fingerprint and signature mismatch', () => {
    const files = withManifest(vectors.ed25519_manifest);
    expect(codes(files, { publicKeyPem: other.publicKeyPem }).errors).toEqual([
      'fingerprint_mismatch',
      'signature_mismatch',
    ]);
    expect(codes(files, { publicKeyPem: PUBLIC_PEM, keyId: 'other' }).errors).toEqual(['key_id_mismatch']);
    expect(codes(files, { key: HMAC_KEY }).errors).toEqual(['signature_algorithm_mismatch']);
  });
  test('several kinds of key material: upstream order, the rest reported as ignored', () => {
    const files = withManifest(vectors.hs256_manifest);
    expect(codes(files, { key: HMAC_KEY, publicKeyPem: PUBLIC_PEM })).toEqual({
      valid: true,
      errors: [],
      warnings: ['key_material_ignored'],
    });
  });
});

describe('trust roots honour status and validity windows (upstream: active only, windows ignored)', () => {
  const files = (): Map<string, Uint8Array> => withManifest(vectors.ed25519_manifest);
  const check = (r: TrustRoot): string[] => codes(files(), { trustRoots: r }).errors;
  test('active inside its window verifies; before valid_from or after valid_until does not', () => {
    expect(check(root())).toEqual([]);
    expect(check(root({ validFrom: '2026-05-21T15:40:01+00:00' }))).toEqual(['trust_root_not_valid']);
    expect(check(root({ validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }))).toEqual([
      'trust_root_not_valid',
    ]);
  });
  test('retired verifies what it signed inside its window, nothing after it', () => {
    const retired = { status: 'retired' as const, validFrom: '2025-01-01T00:00:00Z' };
    expect(check(root({ ...retired, validUntil: '2026-06-01T00:00:00Z' }))).toEqual([]);
    expect(check(root({ ...retired, validUntil: '2026-05-21T15:39:59Z' }))).toEqual(['trust_root_not_valid']);
  });
  test('revoked never verifies, whatever the window', () => {
    const revoked = check(root({ status: 'revoked', validFrom: '2025-01-01T00:00:00Z' }));
    expect(revoked).toEqual(['trust_root_revoked']);
  });
  test('a bundle without the signing key is upstream\'s "matching trust root not found"', () => {
    const otherRoot = root({ publicKeyPem: other.publicKeyPem });
    const bundle = createTrustRootBundle([otherRoot], CREATED_AT);
    const report = verifyBundle(files(), { trustRoots: bundle.ok ? bundle.value : null, crypto });
    expect(report.errors.map((e) => e.message)).toEqual(['matching trust root not found']);
  });
  test('an invalid trust-root document is an error, not a crash', () => {
    expect(codes(files(), { trustRoots: { schema_version: 'nope' } }).errors).toEqual(['trust_root_invalid']);
  });
});

describe('structural errors, all collected, with upstream strings', () => {
  test('missing manifest returns at once', () => {
    const files = sample();
    files.delete('manifest.json');
    expect(verifyBundle(files, { crypto }).errors.map((e) => e.message)).toEqual([
      'missing manifest: manifest.json',
    ]);
  });
  test('a missing file and a changed file are both reported; an extra file is a warning', () => {
    const files = sample();
    files.delete('evidence.json');
    files.set('siem-event.json', utf8('{}\n'));
    files.set('notes.txt', utf8('hi'));
    const report = verifyBundle(files, { crypto });
    expect(report.errors.map((e) => e.message)).toEqual([
      'missing file: evidence.json',
      'checksum mismatch: siem-event.json',
    ]);
    expect(report.warnings.map((w) => w.code)).toEqual(['unlisted_file', 'manifest_unsigned']);
  });
  test('a re-indented manifest with the same content is rejected', () => {
    const files = sample();
    const text = readFileSync(join(SAMPLE, 'manifest.json'), 'utf8').replace(/\n {2}/g, '\n\t');
    files.set('manifest.json', utf8(text));
    expect(codes(files, {}).errors).toEqual(['manifest_not_canonical']);
  });
  test('paths that are not plain file names are rejected', () => {
    const manifest = { ...vectors.sha256_manifest, files: [{ path: '../x', sha256: '00', bytes: 0 }] };
    expect(codes(withManifest(manifest), {}).errors).toEqual(['invalid_manifest_path', 'digest_mismatch']);
  });
});

type Mode = { signing: ManifestSigning; keys: Omit<VerifyBundleOptions, 'crypto'> };
const MODES: Record<string, Mode> = {
  digest: { signing: { mode: 'digest' }, keys: {} },
  hmac: { signing: { mode: 'hmac', key: HMAC_KEY }, keys: { key: HMAC_KEY } },
  ed25519: {
    signing: { mode: 'ed25519', privateKeyPem: PRIVATE_PEM, publicKeyPem: PUBLIC_PEM },
    keys: { publicKeyPem: PUBLIC_PEM, keyId: 'f0ff50dacf109dea' },
  },
  trustRoot: {
    signing: { mode: 'ed25519', privateKeyPem: PRIVATE_PEM, publicKeyPem: PUBLIC_PEM },
    keys: { trustRoots: { schema_version: 'cavra.evidence.trust-root-bundle.v1', trust_roots: [root()] } },
  },
};

test.each(Object.keys(MODES))(
  '%s: our bundle verifies, and any one-byte change to any file breaks it',
  (name) => {
    const mode = MODES[name] as Mode;
    const built = buildSessionBundle({
      sessionId: 's1',
      createdAt: CREATED_AT,
      decisions: evidence.decisions,
      signing: mode.signing,
      crypto,
    });
    if (!built.ok) throw new Error(built.error.message);
    const files = built.value.files;
    expect(codes(files, mode.keys).errors).toEqual([]);
    const names = [...files.keys()];
    const edit = fc.record({
      file: fc.nat({ max: names.length - 1 }),
      offset: fc.nat(),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(edit, ({ file, offset, kind, byte }) => {
        const target = names[file] ?? '';
        const original = files.get(target) ?? new Uint8Array();
        const at = offset % original.length;
        const bytes = [...original];
        if (kind === 'replace') bytes[at] = bytes[at] === byte ? (byte + 1) % 256 : byte;
        else if (kind === 'delete') bytes.splice(at, 1);
        else bytes.splice(at, 0, byte);
        const tampered = new Map(files).set(target, Uint8Array.from(bytes));
        return !verifyBundle(tampered, { ...mode.keys, crypto }).valid;
      }),
      { numRuns: 150 },
    );
  },
  30_000,
);

test('verification never throws, whatever JSON the listed files hold', { timeout: 30_000 }, () => {
  const names = [
    'evidence.json',
    'siem-event.json',
    'retention-policy.json',
    'inclusion-proofs.json',
    'pr-attestation.md',
  ];
  const proof = fc.record({
    decision_id: fc.string(),
    sequence: fc.integer(),
    entry: fc.record({
      entry_hash: fc.string(),
      kind: fc.string(),
      sequence: fc.integer(),
      payload: fc.object(),
    }),
    leaf_hash: fc.string(),
    inclusion_proof: fc.array(fc.string(), { maxLength: 3 }),
    checkpoint: fc.integer({ min: -1, max: 2 }),
  });
  const inclusion = fc.record({
    schema_version: fc.constant('cavra.evidence.inclusion-proofs.v1'),
    checkpoints: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }),
    proofs: fc.array(proof, { maxLength: 3 }),
  });
  const content = fc.oneof(
    inclusion,
    fc.jsonValue({ maxDepth: 3, noUnicodeString: false }),
    fc.record({
      session_id: fc.string(),
      decisions: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    }),
  );
  fc.assert(
    fc.property(fc.tuple(...names.map(() => content)), (values) => {
      const files = new Map(names.map((name, i) => [name, utf8(JSON.stringify(values[i]))]));
      const manifest = buildManifest(files, { createdAt: CREATED_AT, signing: { mode: 'digest' }, crypto });
      if (!manifest.ok) return false;
      files.set('manifest.json', manifest.value.bytes);
      const report = verifyBundle(files, { crypto, minimumRetentionDays: 1, checkpointTrustRoots: root() });
      return report.checked['files'] === names.length;
    }),
    { numRuns: 100 },
  );
});
