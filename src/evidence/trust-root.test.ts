import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { nobleCrypto as crypto } from './crypto';
import { generateKeyPair } from './keys';
import { TEST_SEED } from './test-log';
import {
  createTrustRoot,
  createTrustRootBundle,
  keyUsableAt,
  parseTrustRoots,
  type TrustRoot,
} from './trust-root';

const example = (name: string): unknown =>
  JSON.parse(readFileSync(`/work/shared/reference/examples/${name}`, 'utf8')) as unknown;
const pair = generateKeyPair(TEST_SEED, crypto);

function root(overrides: Partial<TrustRoot>): TrustRoot {
  const made = createTrustRoot(
    { publicKeyPem: pair.publicKeyPem, validFrom: '2026-01-01T00:00:00Z' },
    crypto,
  );
  if (!made.ok) throw new Error(made.error.message);
  return { ...made.value, ...overrides };
}

test("a trust root for the reference key equals upstream's example document", () => {
  const made = createTrustRoot(
    { publicKeyPem: pair.publicKeyPem, validFrom: '2026-05-21T15:40:00.000000+00:00' },
    crypto,
  );
  expect(made).toEqual({ ok: true, value: example('evidence-trust-root.example.json') });
});

test("upstream's single-root and bundle files parse", () => {
  expect(parseTrustRoots(example('evidence-trust-root.example.json'), crypto)).toMatchObject({ ok: true });
  const bundle = parseTrustRoots(example('evidence-trust-root-bundle.example.json'), crypto);
  expect(bundle.ok && bundle.value.map((r) => r.key_id)).toEqual(['f0ff50dacf109dea']);
});

test('bundles are sorted by key id and refuse duplicates', () => {
  const a = root({ key_id: 'bbb' });
  const b = root({ key_id: 'aaa' });
  const bundle = createTrustRootBundle([a, b], '2026-05-21T15:40:00Z');
  expect(bundle.ok && bundle.value.trust_roots.map((r) => r.key_id)).toEqual(['aaa', 'bbb']);
  expect(createTrustRootBundle([a, a], '2026-05-21T15:40:00Z')).toMatchObject({ ok: false });
  const doc = { schema_version: 'cavra.evidence.trust-root-bundle.v1', trust_roots: [a, a] };
  expect(parseTrustRoots(doc, crypto)).toMatchObject({ ok: false, error: { message: /appears twice/ } });
});

test('malformed roots are rejected, including a fingerprint that is not of the PEM', () => {
  const cases: [Partial<TrustRoot> | Record<string, unknown>, RegExp][] = [
    [{ algorithm: 'RSA' as 'Ed25519' }, /Ed25519/],
    [{ key_id: '' }, /no key_id/],
    [{ public_key_sha256: 'a'.repeat(64) }, /not the SHA-256/],
    [{ status: 'paused' as 'active' }, /status/],
    [{ valid_from: 'soon' }, /valid_from/],
    [{ valid_until: '2025-01-01T00:00:00Z' }, /valid_until/],
    [{ schema_version: 'x' as 'cavra.evidence.trust-root.v1' }, /schema_version/],
  ];
  for (const [change, message] of cases) {
    expect(parseTrustRoots({ ...root({}), ...change }, crypto)).toMatchObject({
      ok: false,
      error: { message },
    });
  }
  expect(parseTrustRoots([], crypto)).toMatchObject({ ok: false });
});

test('key status rule: active and retired keys verify inside their window, revoked keys never', () => {
  const window = { valid_from: '2026-01-01T00:00:00Z', valid_until: '2026-06-30T23:59:59Z' };
  const inside = '2026-03-01T12:00:00+00:00';
  const after = '2026-07-01T00:00:00Z';
  const before = '2025-12-31T23:59:59Z';
  expect(keyUsableAt(root({ status: 'active', valid_until: null }), after)).toEqual({ usable: true });
  expect(keyUsableAt(root({ status: 'active', ...window }), inside)).toEqual({ usable: true });
  expect(keyUsableAt(root({ status: 'active', ...window }), after)).toMatchObject({ code: 'key_expired' });
  expect(keyUsableAt(root({ status: 'active', ...window }), before)).toMatchObject({
    code: 'key_not_yet_valid',
  });
  expect(keyUsableAt(root({ status: 'retired', ...window }), inside)).toEqual({ usable: true });
  expect(keyUsableAt(root({ status: 'retired', ...window }), window.valid_until)).toEqual({ usable: true });
  expect(keyUsableAt(root({ status: 'retired', ...window }), after)).toMatchObject({ code: 'key_retired' });
  expect(keyUsableAt(root({ status: 'retired', valid_until: null }), inside)).toMatchObject({
    code: 'key_retired_without_end',
  });
  expect(keyUsableAt(root({ status: 'revoked', ...window }), inside)).toMatchObject({ code: 'key_revoked' });
  expect(keyUsableAt(root({ status: 'active' }), 'now')).toMatchObject({ code: 'time_invalid' });
});
