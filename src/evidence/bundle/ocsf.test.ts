import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { OUTCOMES } from '../../engine';
import { decisionToOcsf, ocsfJsonl, ocsfViolations } from './ocsf';
import type { PyJsonObject } from './python-json';
import type { BundleDecision } from './records';

const SAMPLE = join(import.meta.dirname, '../../../fixtures/evidence/bundle-sample/evidence.json');
const { decisions } = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { decisions: BundleDecision[] };
const options = { productVersion: '0.1.0' };

function ocsf(decision: BundleDecision): PyJsonObject {
  const result = decisionToOcsf(decision, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test('a blocked file read becomes API Activity: Read, Denied/Blocked, High, with actor, resource and policy', () => {
  expect(ocsf(decisions[0] as BundleDecision)).toMatchObject({
    class_uid: 6003,
    category_uid: 6,
    activity_id: 2,
    type_uid: 600302,
    time: Date.UTC(2026, 4, 21, 15, 40, 1),
    timezone_offset: 0,
    severity_id: 4,
    severity: 'High',
    action_id: 2,
    disposition_id: 2,
    disposition: 'Blocked',
    status_id: 2,
    is_alert: true,
    metadata: {
      version: '1.6.0',
      uid: 'dec_0a1b2c3d4e5f',
      correlation_uid: 'corr_111111111111',
      event_code: 'filesystem.read.block',
      product: { name: 'CAVRA', vendor_name: 'CAVRA', version: '0.1.0' },
    },
    actor: { user: { name: 'claude-code' }, app_name: 'claude-code', session: { uid: 'sess_demo_001' } },
    api: { operation: 'read_file' },
    resources: [{ name: '.env', type: 'file' }],
    policy: { uid: 'cavra-ai-agent-baseline', name: 'cavra-ai-agent-baseline' },
  });
});

test('an approved require_approval write is Update, Allowed/Approved; an allowed command is Other, Allowed', () => {
  expect(ocsf(decisions[1] as BundleDecision)).toMatchObject({
    activity_id: 3,
    action_id: 1,
    disposition_id: 8,
    disposition: 'Approved',
    unmapped: { approval_state: 'approved', approver_group: 'Platform Security' },
  });
  expect(ocsf(decisions[2] as BundleDecision)).toMatchObject({
    activity_id: 99,
    activity_name: 'execute_command',
    type_uid: 600399,
    action_id: 1,
    disposition_id: 1,
    severity_id: 2,
    is_alert: false,
    resources: [{ name: 'terraform plan', type: 'command' }],
  });
});

test(
  'every outcome, approval state and severity yields an event that meets the chosen OCSF requirements',
  { timeout: 30_000 },
  () => {
    const decision = fc.record({
      decision: fc.constantFrom(...OUTCOMES, 'something_new'),
      severity: fc.constantFrom('low', 'medium', 'high', 'critical', 'unknown'),
      action_type: fc.constantFrom(
        'read_file',
        'write_file',
        'execute_command',
        'git_operation',
        'mcp_tool_call',
        'x.y',
      ),
      state: fc.constantFrom(undefined, 'pending', 'approved', 'denied', 'expired'),
      offset: fc.constantFrom('+00:00', '-05:30', 'Z'),
    });
    fc.assert(
      fc.property(decision, ({ decision: outcome, severity, action_type, state, offset }) => {
        const base = decisions[0] as BundleDecision;
        const event = ocsf({
          ...base,
          decision: outcome,
          severity,
          action_type,
          approval: state === undefined ? undefined : { state },
          timestamp: `2026-05-21T15:40:01.123456${offset}`,
        });
        expect(ocsfViolations(event)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  },
);

test('the validator reports what an event lacks', () => {
  expect(ocsfViolations({})).toContain('class_uid 6003, category_uid 6');
  const event = { ...ocsf(decisions[0] as BundleDecision), disposition_id: 1, api: {} };
  expect(ocsfViolations(event)).toEqual(['disposition_id fits action_id', 'api.operation']);
});

test('time is epoch milliseconds (truncated) and the offset is kept in minutes', () => {
  const event = ocsf({ ...(decisions[0] as BundleDecision), timestamp: '2026-05-21T10:10:01.999999-05:30' });
  expect(event).toMatchObject({ time: Date.UTC(2026, 4, 21, 15, 40, 1, 999), timezone_offset: -330 });
  const bad = decisionToOcsf({ ...(decisions[0] as BundleDecision), timestamp: 'now' }, options);
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_timestamp' } });
});

test('OCSF JSONL has one event per decision', () => {
  const jsonl = ocsfJsonl(decisions, options);
  const lines = jsonl.ok ? jsonl.value.trimEnd().split('\n') : [];
  expect(lines.map((line) => (JSON.parse(line) as { metadata: { uid: string } }).metadata.uid)).toEqual(
    decisions.map((d) => d.decision_id),
  );
});
