import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  attestationLine,
  buildComplianceMapping,
  buildPrAttestation,
  verifyPrAttestation,
} from './attestation';
import { pythonJsonFile } from './python-json';
import type { BundleDecision } from './records';
import { buildRetentionPolicy, checkRetention } from './retention';

const SAMPLE = join(import.meta.dirname, '../../../fixtures/evidence/bundle-sample');
const read = (name: string): string => readFileSync(join(SAMPLE, name), 'utf8');
const { decisions } = JSON.parse(read('evidence.json')) as { decisions: BundleDecision[] };

test('the PR attestation is byte-identical to upstream for the sample session', () => {
  expect(buildPrAttestation('sess_demo_001', decisions)).toBe(read('pr-attestation.md'));
});

test('without approvals the Approval Outcomes section is left out; a pending approval names its group', () => {
  const plain = decisions.map(({ approval: _approval, ...d }) => d);
  expect(buildPrAttestation('s', plain)).not.toContain('## Approval Outcomes');
  const pending = {
    ...(decisions[1] as BundleDecision),
    approval: { approval_id: 'apr_1', state: 'pending', decided_by: null, approver_group: 'IAM' },
  };
  expect(buildPrAttestation('s', [pending])).toContain(
    '- `apr_1` `iam/admin-role.tf` -> **pending** by `IAM`',
  );
});

test('attestation verification passes for the sample and lists every missing target', () => {
  const ok = verifyPrAttestation(read('pr-attestation.md'), 'sess_demo_001', decisions);
  expect(ok).toMatchObject({
    schema_version: 'cavra.pr-attestation.verification.v1',
    valid: true,
    errors: [],
    decision_count: 3,
  });
  const extra: BundleDecision = {
    ...(decisions[2] as BundleDecision),
    target: 'terraform apply',
    decision: 'block',
  };
  const bad = verifyPrAttestation(read('pr-attestation.md'), 'sess_demo_001', [...decisions, extra]);
  expect(bad.valid).toBe(false);
  expect(bad.missing_targets).toEqual(['terraform apply']);
  expect(bad.errors).toEqual([
    'summary mismatch: expected "- Blocked actions: 2"',
    'missing decision target: terraform apply',
  ]);
});

test('upstream error strings: missing file, missing title, session mismatch', () => {
  expect(verifyPrAttestation(undefined, 's', []).errors).toEqual(['missing pr-attestation.md']);
  const body = read('pr-attestation.md').replace('# CAVRA PR Attestation', '# Something else');
  expect(verifyPrAttestation(body, 'other', decisions).errors).toEqual([
    'missing attestation title',
    'session ID mismatch',
  ]);
});

test('a decision line that names the target but a different outcome does not count as covered', () => {
  const flipped = decisions.map((d, i) => (i === 0 ? { ...d, decision: 'allow' } : d));
  const result = verifyPrAttestation(read('pr-attestation.md'), 'sess_demo_001', flipped);
  expect(result.missing_targets).toEqual(['.env']);
  expect(attestationLine(decisions[0] as BundleDecision)).toBe(
    '- `read_file` `.env` -> **block** via `filesystem.read.block`',
  );
});

test('the compliance mapping has upstream objectives and our own evidence wording', () => {
  const ours = buildComplianceMapping('sess_demo_001');
  const objectives = (text: string): string[] =>
    [...text.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1] ?? '');
  expect(objectives(ours)).toEqual(objectives(read('compliance-mapping.md')));
  expect(ours).not.toBe(read('compliance-mapping.md'));
});

test('retention: upstream defaults, retain_until in Python isoformat, legal hold, and the minimum check', () => {
  const policy = buildRetentionPolicy('sess_demo_001', '2026-05-21T15:40:00.000000+00:00');
  expect(policy.ok && pythonJsonFile(policy.value)).toBe(read('retention-policy.json'));
  expect(policy).toMatchObject({
    value: {
      retain_until: '2033-05-19T15:40:00+00:00',
      disposition: 'eligible_for_review_after_retain_until',
    },
  });
  const held = buildRetentionPolicy('s', '2024-02-29T12:00:00.5+02:00', {
    days: 365,
    legalHold: true,
    classification: 'pci',
  });
  expect(held).toMatchObject({
    value: { retain_until: '2025-02-28T12:00:00.500000+02:00', disposition: 'retain', legal_hold: true },
  });
  expect(checkRetention(undefined, 1).map((i) => i.message)).toEqual(['missing retention policy']);
  expect(checkRetention({ retention_days: 30 }, 30)).toEqual([]);
});
