import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { nobleCrypto } from '../crypto';
import { COMPLIANCE_FILE } from './attestation';
import { utf8Decode } from './bytes';
import { buildSessionBundle } from './bundle';
import { buildManifest, MANIFEST_FILE } from './manifest';
import type { BundleDecision } from './records';
import { verifyBundle } from './verify';

const SAMPLE = join(import.meta.dirname, '../../../fixtures/evidence/bundle-sample');
const sample = new Map(
  readdirSync(SAMPLE).map((name) => [name, new Uint8Array(readFileSync(join(SAMPLE, name)))]),
);
const sampleEvidence = JSON.parse(readFileSync(join(SAMPLE, 'evidence.json'), 'utf8')) as {
  session_id: string;
  created_at: string;
  decisions: BundleDecision[];
};
const crypto = nobleCrypto;

function buildFromSample(severityOrder: 'rank' | 'lexicographic') {
  const result = buildSessionBundle({
    sessionId: sampleEvidence.session_id,
    createdAt: sampleEvidence.created_at,
    decisions: sampleEvidence.decisions,
    severityOrder,
    crypto,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test('with upstream severity order, every file but our reworded compliance mapping equals the sample', () => {
  const { files } = buildFromSample('lexicographic');
  expect([...files.keys()]).toEqual([
    'evidence.json',
    'pr-attestation.md',
    'compliance-mapping.md',
    'siem-event.json',
    'sandbox-run-summary.json',
    'retention-policy.json',
    'manifest.json',
  ]);
  for (const [name, bytes] of files) {
    if (name === COMPLIANCE_FILE || name === MANIFEST_FILE) continue;
    expect(utf8Decode(bytes), name).toBe(utf8Decode(sample.get(name) ?? new Uint8Array()));
  }
});

test('the manifest over the sample compliance mapping is byte-identical to the sample manifest', () => {
  const { files } = buildFromSample('lexicographic');
  files.delete(MANIFEST_FILE);
  files.set(COMPLIANCE_FILE, sample.get(COMPLIANCE_FILE) ?? new Uint8Array());
  const manifest = buildManifest(files, {
    createdAt: sampleEvidence.created_at,
    signing: { mode: 'digest' },
    crypto,
  });
  expect(manifest.ok && utf8Decode(manifest.value.bytes)).toBe(
    utf8Decode(sample.get(MANIFEST_FILE) ?? new Uint8Array()),
  );
});

test('the compliance mapping keeps upstream layout: title, session line, header, five objectives in order', () => {
  const ours = utf8Decode(buildFromSample('rank').files.get(COMPLIANCE_FILE) ?? new Uint8Array()) ?? '';
  const theirs = utf8Decode(sample.get(COMPLIANCE_FILE) ?? new Uint8Array()) ?? '';
  const layout = (text: string): string[] =>
    text.split('\n').map((line) => line.replace(/^(\| [^|]+ \|) .* \|$/, '$1 … |'));
  expect(layout(ours)).toEqual(layout(theirs));
});

test('by default max_severity ranks severities: the sample session is "high", not upstream\'s "low"', () => {
  const siem = JSON.parse(
    utf8Decode(buildFromSample('rank').files.get('siem-event.json') ?? new Uint8Array()) ?? '',
  ) as unknown;
  expect(siem).toMatchObject({ max_severity: 'high', decision_count: 3, blocked_count: 1 });
});

test('the upstream sample bundle verifies; its unsigned digest is reported as a warning', () => {
  const report = verifyBundle(sample, { crypto });
  expect(report.errors).toEqual([]);
  expect(report.valid).toBe(true);
  expect(report.warnings.map((w) => w.code)).toEqual(['manifest_unsigned']);
  expect(report).toMatchObject({ session_id: 'sess_demo_001', checked: { files: 6, decisions: 3 } });
});

test('a bundle we build verifies, and the sample verifies under upstream minimum retention', () => {
  const { files } = buildFromSample('rank');
  expect(verifyBundle(files, { crypto }).errors).toEqual([]);
  expect(verifyBundle(sample, { crypto, minimumRetentionDays: 2555 }).valid).toBe(true);
  const short = verifyBundle(sample, { crypto, minimumRetentionDays: 3650 });
  expect(short.errors.map((e) => e.message)).toEqual([
    'retention policy below minimum: 2555 days < 3650 days',
  ]);
});

test('a Date created_at is written the way Python writes datetime.now().isoformat()', () => {
  const result = buildSessionBundle({
    sessionId: 's',
    createdAt: new Date(Date.UTC(2026, 4, 21, 15, 40, 0, 250)),
    decisions: [],
    crypto,
  });
  expect(result.ok && result.value.manifest.created_at).toBe('2026-05-21T15:40:00.250000+00:00');
});

test('bad inputs are errors with codes', () => {
  const base = { sessionId: 's', decisions: [], crypto };
  const code = (input: Partial<Parameters<typeof buildSessionBundle>[0]>): string | undefined => {
    const result = buildSessionBundle({ ...base, createdAt: '2026-05-21T15:40:00+00:00', ...input });
    return result.ok ? undefined : result.error.code;
  };
  expect(code({ createdAt: 'yesterday' })).toBe('invalid_created_at');
  expect(code({ retention: { days: 0 } })).toBe('invalid_retention_days');
  expect(code({ signing: { mode: 'hmac', key: '' } })).toBe('empty_hmac_key');
});
