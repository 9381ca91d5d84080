import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createTrustRootBundle, generateKeyPair, type TrustRoot } from '../evidence';
import { testCrypto, testKey, testTrustRoot } from '../../test/api-support';
import { KEY_FILES, loadSigningKey } from './keys';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-keys-'));
  dirs.push(dir);
  return dir;
}

const now = () => new Date('2026-05-21T15:40:00.000Z');

test('first start generates the key (0600) with its trust root; later starts load the same key and root', () => {
  const keysDir = join(tempDir(), '.cavra', 'keys');
  const first = loadSigningKey({ keysDir, crypto: testCrypto, now });
  expect(first.source).toEqual({ kind: 'generated', dir: keysDir, isNew: true });
  expect(statSync(join(keysDir, KEY_FILES.privateKey)).mode & 0o777).toBe(0o600);
  expect(readFileSync(join(keysDir, KEY_FILES.publicKey), 'utf8')).toBe(first.key.publicKeyPem);
  expect(first.trustRoots).toEqual([
    expect.objectContaining({
      key_id: first.key.keyId,
      valid_from: '2026-05-21T15:40:00.000Z',
      status: 'active',
    }),
  ]);
  const later = loadSigningKey({ keysDir, crypto: testCrypto, now: () => new Date('2030-01-01T00:00:00Z') });
  expect(later.source).toEqual({ kind: 'generated', dir: keysDir, isNew: false });
  expect(later.key.fingerprint).toBe(first.key.fingerprint);
  // valid_from stays the key's birth, so checkpoints signed before the restart still verify.
  expect(later.trustRoots).toEqual(first.trustRoots);
});

test('a key from CAVRA_EVIDENCE_SIGNING_KEY_FILE is used as is, with roots from CAVRA_EVIDENCE_TRUST_ROOTS', () => {
  const dir = tempDir();
  const keyFile = join(dir, 'signing.pem');
  writeFileSync(keyFile, testKey.privateKeyPem);
  const bare = loadSigningKey({ keyFile, keysDir: join(dir, 'unused'), crypto: testCrypto, now });
  expect(bare.key.fingerprint).toBe(testKey.fingerprint);
  expect(bare.source).toEqual({ kind: 'file', path: keyFile });
  expect(bare.trustRoots.map((r) => r.valid_from)).toEqual(['1970-01-01T00:00:00Z']);
  const old = generateKeyPair(new Uint8Array(32).fill(7), testCrypto);
  const oldRoot: TrustRoot = {
    ...testTrustRoot,
    key_id: old.keyId,
    public_key_pem: old.publicKeyPem,
    public_key_sha256: old.fingerprint,
    status: 'retired',
    valid_until: '2026-01-01T00:00:00Z',
  };
  const bundle = createTrustRootBundle([testTrustRoot, oldRoot], '2026-05-21T00:00:00Z');
  if (!bundle.ok) throw new Error(bundle.error.message);
  const rootsFile = join(dir, 'roots.json');
  writeFileSync(rootsFile, JSON.stringify(bundle.value));
  const withRoots = loadSigningKey({
    keyFile,
    trustRootsFile: rootsFile,
    keysDir: dir,
    crypto: testCrypto,
    now,
  });
  expect(withRoots.trustRoots.map((r) => r.key_id).sort()).toEqual([old.keyId, testTrustRoot.key_id].sort());
});

test('unreadable or wrong key files are errors that name the file and the variable', () => {
  const dir = tempDir();
  expect(() =>
    loadSigningKey({ keyFile: join(dir, 'nope.pem'), keysDir: dir, crypto: testCrypto, now }),
  ).toThrow(/cannot read CAVRA_EVIDENCE_SIGNING_KEY_FILE '.*nope\.pem': no such file/);
  const publicOnly = join(dir, 'public.pem');
  writeFileSync(publicOnly, testKey.publicKeyPem);
  expect(() => loadSigningKey({ keyFile: publicOnly, keysDir: dir, crypto: testCrypto, now })).toThrow(
    /CAVRA_EVIDENCE_SIGNING_KEY_FILE '.*public\.pem': private key: not a 'PRIVATE KEY' PEM block/,
  );
  const roots = join(dir, 'roots.json');
  writeFileSync(roots, '{');
  expect(() => loadSigningKey({ trustRootsFile: roots, keysDir: dir, crypto: testCrypto, now })).toThrow(
    /CAVRA_EVIDENCE_TRUST_ROOTS '.*roots\.json' is not JSON/,
  );
});
