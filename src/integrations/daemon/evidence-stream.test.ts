import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DaemonEvidenceStream, verifyDaemonEvidence, type StreamKey } from './evidence-stream';
import { goJson, goTimestamp } from './go-json';

// Upstream's two-record sample (reference §1.8 test vectors): HMAC key `daemon-test-key`, key id `ci-hmac-1`.
const SAMPLE = readFileSync(
  join(import.meta.dirname, '../../../fixtures/hooks/daemon/go-daemon-evidence.sample.jsonl'),
  'utf8',
);
const SAMPLE_KEY: StreamKey = { keyId: 'ci-hmac-1', secret: new TextEncoder().encode('daemon-test-key') };

test("upstream's sample stream verifies: hashes, chain and signatures", () => {
  expect(verifyDaemonEvidence(SAMPLE, 'sample.jsonl', SAMPLE_KEY)).toEqual({
    path: 'sample.jsonl',
    valid: true,
    records: 2,
    signed_records: 2,
    errors: [],
  });
});

test('tampering, a missing key, a wrong key id and a wrong key are each reported', () => {
  const tampered = SAMPLE.replace('terraform plan', 'terraform plam');
  expect(verifyDaemonEvidence(tampered, 'x', SAMPLE_KEY).errors).toContain('record 1: hash mismatch');
  expect(verifyDaemonEvidence(SAMPLE, 'x').errors).toEqual([
    'record 1: signature present but verification key was not provided',
    'record 2: signature present but verification key was not provided',
  ]);
  expect(verifyDaemonEvidence(SAMPLE, 'x', { ...SAMPLE_KEY, keyId: 'other' }).errors[0]).toBe(
    'record 1: signature key_id mismatch',
  );
  const wrongKey = { keyId: 'ci-hmac-1', secret: new TextEncoder().encode('not-the-key') };
  expect(verifyDaemonEvidence(SAMPLE, 'x', wrongKey).errors[0]).toBe('record 1: signature mismatch');
  const [first = ''] = SAMPLE.trim().split('\n');
  expect(verifyDaemonEvidence(`${first}\n${first}\n`, 'x', SAMPLE_KEY).errors).toContain(
    'record 2: sequence mismatch: got 1 want 2',
  );
  expect(verifyDaemonEvidence('', 'x').errors).toEqual(['evidence stream is empty']);
  expect(verifyDaemonEvidence('{oops\n', 'x').errors).toEqual(['record 1 is not valid JSON']);
});

test("records written here reproduce upstream's record_id, record_hash and signature for the same exchange", () => {
  const [line = ''] = SAMPLE.trim().split('\n');
  const upstream = JSON.parse(line) as {
    request: unknown;
    response: { evidence_refs: string[] };
    timestamp: string;
  };
  const file = join(mkdtempSync(join(tmpdir(), 'cvd-')), 'stream.jsonl');
  const stream = new DaemonEvidenceStream(file, SAMPLE_KEY);
  const response = { ...upstream.response, evidence_refs: upstream.response.evidence_refs.slice(0, 1) };
  const answered = stream.append(upstream.request, response, new Date(Date.parse(upstream.timestamp)));
  expect(answered.evidence_refs).toEqual(upstream.response.evidence_refs);
  expect(readFileSync(file, 'utf8')).toBe(`${line}\n`);
});

test('a stream resumes its chain from the file, and escapes like Go', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cvd-')), 'stream.jsonl');
  const key: StreamKey = { keyId: 'k', secret: new TextEncoder().encode('0123456789abcdef') };
  new DaemonEvidenceStream(file, key).append({ target: 'a<b>&c' }, { decision: 'allow' }, new Date(0));
  const resumed = new DaemonEvidenceStream(file, key);
  expect(resumed.size).toBe(1);
  resumed.append({ target: 'b' }, { decision: 'block' }, new Date(1500));
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('a\\u003cb\\u003e\\u0026c');
  expect(verifyDaemonEvidence(text, file, key)).toMatchObject({ valid: true, records: 2, signed_records: 2 });
  writeFileSync(file, text.replace('"decision":"block"', '"decision":"allow"'));
  expect(verifyDaemonEvidence(readFileSync(file, 'utf8'), file, key).valid).toBe(false);
});

test('Go encodings: RFC3339Nano timestamps and HTML-safe JSON', () => {
  expect(goTimestamp(new Date('2026-05-21T15:40:01.200Z'))).toBe('2026-05-21T15:40:01.2Z');
  expect(goTimestamp(new Date('2026-05-21T15:40:02.000Z'))).toBe('2026-05-21T15:40:02Z');
  expect(goJson({ a: '<&>\u2028' })).toBe('{"a":"\\u003c\\u0026\\u003e\\u2028"}');
});
