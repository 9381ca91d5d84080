import { expect, test } from 'vitest';
import { runInMemory, tempPolicyDir } from './test-support';

const PACK = `metadata:
  id: team
  title: Team rules
  description: Our repository guardrails.
  version: '1.0'
filesystem:
  block_read: [.env]
commands:
  allow: ['make test*']
tests:
  - name: blocks .env
    request: { action_type: read_file, target: .env }
    expect: { decision: block, rule_id: filesystem.read.block }
  - name: make test is allowed
    request: { action_type: execute_command, target: make test }
    expect: { decision: allow }
`;

test('policy test <id> prints PASS per test and a summary, exit 0', async () => {
  const dir = tempPolicyDir({ team: PACK });
  const run = await runInMemory(['policy', 'test', 'team'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run).toEqual({
    code: 0,
    stdout: 'team\n  PASS  blocks .env\n  PASS  make test is allowed\n\n2 passed, 0 failed\n',
    stderr: '',
  });
});

test('a failing test prints FAIL with what differed and exits 1', async () => {
  const wrong = PACK.replace('expect: { decision: allow }', 'expect: { decision: block, severity: high }');
  const dir = tempPolicyDir({ team: wrong });
  const run = await runInMemory(['policy', 'test', 'team'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(
    '  FAIL  make test is allowed\n        decision: expected block, got allow\n        severity: expected high, got low\n',
  );
  expect(run.stdout).toContain('1 passed, 1 failed\n');
});

test('policy test without an id runs every pack, and a pack that fails to load counts as a failure', async () => {
  const dir = tempPolicyDir({ team: PACK, broken: 'metadata:\n  id: broken\n' });
  const run = await runInMemory(['policy', 'test'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /\nbroken\n {2}FAIL {2}pack not loaded: run 'cavra policy validate .*broken\/policy\.yaml'\n/,
  );
  expect(run.stdout).toContain('team\n  PASS  blocks .env\n');
  expect(run.stdout).toContain('cavra-hipaa\n  PASS');
  expect(run.stdout).toMatch(/\n\d+ passed, [1-9]\d* failed\n$/);
});

test('a bundled pack passes its own inline tests', async () => {
  const run = await runInMemory(['policy', 'test', 'cavra-hipaa']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
});
