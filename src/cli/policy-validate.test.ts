import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runInMemory, tempFile, tempPolicyDir } from './test-support';

const VALID = `metadata:
  id: team
  title: Team rules
  description: Our repository guardrails.
  version: '1.0'
  inherits: cavra-ai-agent-baseline
commands:
  allow: ['make test*']
`;

test('validate prints valid <id> for a good pack file and exits 0', async () => {
  const dir = tempPolicyDir({ team: VALID });
  const run = await runInMemory(['policy', 'validate', join(dir, 'team', 'policy.yaml')]);
  expect(run).toEqual({ code: 0, stdout: 'valid team\n', stderr: '' });
});

test('validate reports errors and warnings as file:line:column and exits 1', async () => {
  const dir = tempPolicyDir({
    team: `metadata:\n  id: team\n  title: Team\n  description: d\n  version: 1\ncommands:\n  block: terraform apply*\n  alow: []\n`,
  });
  const run = await runInMemory(['policy', 'validate', 'team/policy.yaml'], { cwd: dir });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe(
    [
      'team/policy.yaml:5:12: must be a string',
      'team/policy.yaml:7:10: must be a list',
      "team/policy.yaml:8:3: warning: unknown key 'alow' (ignored by the engine)",
      'invalid team (2 errors)',
      '',
    ].join('\n'),
  );
});

test('validate resolves inheritance: an unknown parent is an error', async () => {
  const dir = tempPolicyDir({
    team: VALID.replace('inherits: cavra-ai-agent-baseline', 'inherits: no-such-pack'),
  });
  const run = await runInMemory(['policy', 'validate', dir]);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("inherits unknown pack 'no-such-pack'");
  expect(run.stdout).toContain('invalid team (1 error)');
});

test('validate checks every pack of a folder and summarises', async () => {
  const dir = tempPolicyDir({ team: VALID, other: VALID.replace('id: team', 'id: other') });
  const run = await runInMemory(['policy', 'validate', dir]);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('valid other\nvalid team\n\n2 packs: 2 valid, 0 invalid\n');
});

test('validate accepts the bundled packs', async () => {
  const run = await runInMemory(['policy', 'validate', 'policies']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('20 packs: 20 valid, 0 invalid');
});

test('validate warns when metadata.id and the folder name differ', async () => {
  const dir = tempPolicyDir({ team: VALID.replace('id: team', 'id: squad') });
  const run = await runInMemory(['policy', 'validate', dir]);
  expect(run.stdout).toMatch(
    /team\/policy\.yaml:2:3: warning: metadata\.id 'squad' differs from the folder name 'team'/,
  );
  expect(run.code).toBe(0);
});

test('validate takes a standalone YAML or JSON pack file', async () => {
  const file = tempFile(
    'compiled.json',
    JSON.stringify({ metadata: { id: 'compiled', title: 'C', description: 'd', version: '1' } }),
  );
  const run = await runInMemory(['policy', 'validate', file]);
  expect(run).toMatchObject({ code: 0, stdout: 'valid compiled\n' });
});

test('validate of a missing path or an empty folder is a usage error', async () => {
  const missing = await runInMemory(['policy', 'validate', 'nowhere']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("no such file or folder: 'nowhere'");
  const empty = await runInMemory(['policy', 'validate', tempPolicyDir({})]);
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain('no packs in');
  const none = await runInMemory(['policy', 'validate']);
  expect(none.stderr).toContain('missing <path>');
});
