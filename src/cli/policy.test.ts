import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runInMemory, tempPolicyDir } from './test-support';

const TEAM_PACK = `metadata:
  id: team
  title: Team rules
  description: Our repository guardrails.
  version: 1.2.0
  inherits: cavra-ai-agent-baseline
commands:
  allow: ['make test*']
tests:
  - name: make test is allowed
    request: { action_type: execute_command, target: make test }
    expect: { decision: allow }
`;

test('policy list prints an aligned table of packs with rule counts', async () => {
  const run = await runInMemory(['policy', 'list']);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toMatch(/^ID\s+VERSION\s+FILES\s+COMMANDS\s+MCP\s+TESTS\s+INHERITS\s+TITLE$/);
  expect(run.stdout).toMatch(
    /\ncavra-ai-agent-baseline \*\s+0\.1\.0\s+15\s+12\s+0\s+\d+\s+-\s+CAVRA AI Agent Baseline\n/,
  );
  expect(run.stdout).toMatch(/\ncavra-agentic-delivery\s+.*cavra-github-enterprise, cavra-ai-agent-baseline/);
  expect(run.stdout).toContain('20 packs (* default)');
  expect(run.stderr).toBe('');
});

test('policy list --json gives ids, inheritance, revisions and counts', async () => {
  const run = await runInMemory(['policy', 'list', '--json']);
  const packs = JSON.parse(run.stdout) as {
    id: string;
    revision: string;
    rules: { files: number };
    is_default: boolean;
  }[];
  expect(packs).toHaveLength(20);
  const baseline = packs.find((pack) => pack.id === 'cavra-ai-agent-baseline');
  expect(baseline).toMatchObject({ is_default: true, rules: { files: 15, commands: 12, mcp: 0 } });
  expect(baseline?.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test('policy list shows packs from $CAVRA_POLICY_DIR and reports packs that failed to load', async () => {
  const dir = tempPolicyDir({ team: TEAM_PACK, broken: 'metadata:\n  id: broken\n  title: 3\n' });
  const run = await runInMemory(['policy', 'list'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/\nteam\s+1\.2\.0\s+15\s+13\s+0\s+\d+\s+cavra-ai-agent-baseline\s+Team rules\n/);
  expect(run.stderr).toContain('problems kept packs from loading');
  expect(run.stderr).toMatch(/broken\/policy\.yaml:3:10: must be a string/);
});

test('pack diagnostics do not appear on normal runs', async () => {
  const dir = tempPolicyDir({ broken: 'metadata:\n  id: broken\n' });
  const run = await runInMemory(['evaluate', 'read_file', '.env'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
});

test('asking for a pack that failed validation says how to see why', async () => {
  const dir = tempPolicyDir({ broken: 'metadata:\n  id: broken\n' });
  const run = await runInMemory(['evaluate', 'read_file', '.env', '-p', 'broken'], {
    env: { CAVRA_POLICY_DIR: dir },
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    `policy pack 'broken' has errors and was not loaded: run 'cavra policy validate ${join(dir, 'broken', 'policy.yaml')}'`,
  );
});

test('policy describe shows metadata, the inheritance chain and rules by section with their origin', async () => {
  const dir = tempPolicyDir({ team: TEAM_PACK });
  const run = await runInMemory(['policy', 'describe', 'team'], { env: { CAVRA_POLICY_DIR: dir } });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^id {11}team\ntitle {8}Team rules\n/);
  expect(run.stdout).toContain('inherits     team ← cavra-ai-agent-baseline');
  expect(run.stdout).toMatch(/revision {5}sha256:[0-9a-f]{64}/);
  expect(run.stdout).toMatch(/commands\.allow \(\d+\)\n(.*\n)* {2}make test\*\n/);
  expect(run.stdout).toMatch(/ {2}npm test\*\s+from cavra-ai-agent-baseline/);
  expect(run.stdout).toContain('git.protected_branches');
});

test('policy describe --json includes the merged document', async () => {
  const run = await runInMemory(['policy', 'describe', 'cavra-terraform-prod', '--json']);
  const described = JSON.parse(run.stdout) as { id: string; document: { metadata: { id: string } } };
  expect(described.id).toBe('cavra-terraform-prod');
  expect(described.document.metadata.id).toBe('cavra-terraform-prod');
});

test('policy describe of an unknown pack exits 2 and lists the packs', async () => {
  const run = await runInMemory(['policy', 'describe', 'nope']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /unknown policy pack 'nope': use one of ai-agent-baseline, .*terraform-ai-guardrails\n/,
  );
  const missing = await runInMemory(['policy', 'describe']);
  expect(missing.stderr).toContain('missing <id>: use one of');
});

test('an unknown policy subcommand exits 2 and names the subcommands', async () => {
  const run = await runInMemory(['policy', 'lint']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "unknown policy subcommand 'lint': use one of list, describe, validate, compile, test, explain",
  );
});
