import { expect, test } from 'vitest';
import { toDecisionRequest } from './requests';

test('keeps known fields, drops unknown ones and treats null as absent', () => {
  expect(
    toDecisionRequest(
      { action_type: 'read_file', target: '.env', session_id: null, extra: 1, metadata: { a: 1 } },
      {},
    ),
  ).toEqual({ action_type: 'read_file', target: '.env', metadata: { a: 1 } });
});

test('defaults apply unless the request sets the field', () => {
  const defaults = { policy_pack: 'cavra-hipaa', policy_mode: 'strict' } as const;
  expect(toDecisionRequest({ action_type: 'read_file', target: 'a' }, defaults)).toMatchObject(defaults);
  expect(
    toDecisionRequest(
      { action_type: 'read_file', target: 'a', policy_pack: 'x', policy_mode: 'enforce' },
      defaults,
    ),
  ).toMatchObject({ policy_pack: 'x', policy_mode: 'enforce' });
});

test('says what is wrong with a malformed request', () => {
  expect(toDecisionRequest([1], {})).toBe('expected a JSON object, got an array');
  expect(toDecisionRequest({ target: 'x' }, {})).toBe('"action_type" is required');
  expect(toDecisionRequest({ action_type: 'read_file', target: ['a'] }, {})).toBe(
    '"target" must be a string, got an array',
  );
  expect(toDecisionRequest({ action_type: 'x.y', record: 'r' }, {})).toBe(
    '"record" must be an object, got string "r"',
  );
  expect(toDecisionRequest({ action_type: 'read_file', policy_mode: 'lax' }, {})).toBe(
    '"policy_mode" must be one of enforce, audit_only, strict, break_glass, got "lax"',
  );
  expect(toDecisionRequest({ action_type: 'x.y', risk_level: 'extreme' }, {})).toBe(
    '"risk_level" must be one of low, medium, high, critical, got "extreme"',
  );
});
