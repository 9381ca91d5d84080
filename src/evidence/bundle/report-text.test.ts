import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { utf8 } from '../canonical';
import { nobleCrypto as crypto } from '../crypto';
import { pythonJsonFile, type PyJsonValue } from './python-json';
import { formatBundleReport, isUnverifiedPass } from './report-text';
import { verifyBundle } from './verify';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/evidence');
const SAMPLE = join(FIXTURES, 'bundle-sample');
const sample = (): Map<string, Uint8Array> =>
  new Map(readdirSync(SAMPLE).map((name) => [name, new Uint8Array(readFileSync(join(SAMPLE, name)))]));

test('an unsigned pass opens with a banner and never reads as plain VALID', () => {
  const report = verifyBundle(sample(), { crypto });
  expect(isUnverifiedPass(report)).toBe(true);
  const text = formatBundleReport(report);
  expect(text.split('\n')[0]).toBe('!!! SIGNATURE NOT VERIFIED !!!');
  expect(text).toContain('VALID (integrity only): evidence bundle for session sess_demo_001');
  expect(text).toContain('signature: SHA256, NOT verified');
});

test('a verified pass names the key and trust root; a failure lists every error', () => {
  const vectors = JSON.parse(readFileSync(join(FIXTURES, 'evidence-manifest-test-vectors.json'), 'utf8')) as {
    ed25519_manifest: PyJsonValue;
  };
  const files = sample();
  const root = JSON.parse(
    readFileSync(join(FIXTURES, 'evidence-trust-root.example.json'), 'utf8'),
  ) as unknown;
  const signed = new Map(files).set('manifest.json', utf8(pythonJsonFile(vectors.ed25519_manifest)));
  const ok = formatBundleReport(verifyBundle(signed, { trustRoots: root, crypto }));
  expect(ok.split('\n')[0]).toBe(
    'VALID: evidence bundle for session sess_demo_001 — 0 error(s), 0 warning(s)',
  );
  expect(ok).toContain(
    'signature: Ed25519 verified, key f0ff50dacf109dea (trust root f0ff50dacf109dea, active',
  );
  files.delete('evidence.json');
  const bad = formatBundleReport(verifyBundle(files, { crypto }));
  expect(bad).toMatch(/^INVALID: /);
  expect(bad).toContain('  error   missing_file [evidence.json]: missing file: evidence.json');
});
