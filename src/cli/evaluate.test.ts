import { expect, test } from 'vitest';
import type { Decision, PolicyModeSummary } from '../engine';
import { runInMemory } from './test-support';

async function decisionOf(argv: string[]): Promise<Decision> {
  const run = await runInMemory(['evaluate', ...argv, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Decision;
}

test('evaluate read_file .env blocks, exits 0 and prints decision.v1 JSON with fresh ids', async () => {
  const decision = await decisionOf(['read_file', '.env']);
  expect(decision).toMatchObject({
    schema_version: 'cavra.decision.v1',
    action_type: 'read_file',
    target: '.env',
    requested_operation: 'read',
    policy_pack: 'cavra-ai-agent-baseline',
    decision: 'block',
    rule_id: 'filesystem.read.block',
    severity: 'high',
    approver_group: null,
    mode: 'enforce',
  });
  expect(decision.decision_id).toMatch(/^dec_[0-9a-f]{12}$/);
  expect(decision.correlation_id).toMatch(/^corr_[0-9a-f]{12}$/);
  expect(decision.evidence_refs).toEqual([`evidence://local/${decision.decision_id}`]);
  expect(Date.now() - Date.parse(decision.timestamp)).toBeLessThan(60_000);
});

test('--json is pretty-printed with two spaces', async () => {
  const run = await runInMemory(['evaluate', 'read_file', '.env', '--json']);
  expect(run.stdout).toMatch(/^\{\n {2}"schema_version": "cavra.decision.v1",\n/);
});

test('git_operation takes the ref as target and pushes', async () => {
  const decision = await decisionOf(['git_operation', 'origin/main']);
  expect(decision).toMatchObject({
    target: 'origin/main',
    requested_operation: 'push',
    decision: 'block',
    rule_id: 'git.protected_branch.block_direct_push',
  });
});

test('mcp_tool_call defaults to tool "unknown" and capability "filesystem" (upstream positional form)', async () => {
  const decision = await decisionOf(['mcp_tool_call', 'some-server']);
  expect(decision).toMatchObject({ target: 'some-server:unknown', requested_operation: 'filesystem' });
  expect(decision.rule_id).toBe('mcp.server.trust.block_unknown');
});

test('mcp_tool_call takes --server/--tool/--capability', async () => {
  const decision = await decisionOf([
    'mcp_tool_call',
    '--server',
    'github-mcp',
    '--tool',
    'create_pull_request',
    '--capability',
    'repository',
  ]);
  expect(decision).toMatchObject({
    target: 'github-mcp:create_pull_request',
    requested_operation: 'repository',
  });
});

test('--policy-mode with --json prints upstream policy-mode summary', async () => {
  const run = await runInMemory([
    'evaluate',
    'execute_command',
    'terraform apply -auto-approve',
    '--policy-mode',
    'break_glass',
    '--break-glass-actor',
    'ic',
    '--break-glass-reason',
    'outage',
    '--json',
  ]);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout) as PolicyModeSummary;
  expect(summary).toMatchObject({
    schema_version: 'cavra.policy-mode-summary.v1',
    mode: 'break_glass',
    effective_decision: 'allow_with_attestation',
    break_glass_actor_present: true,
    break_glass_reason_present: true,
  });
  expect(summary.base_decision.decision).toBe('block');
});

test('human output shows decision, rule, severity, reason, approver group and one row per command segment', async () => {
  const run = await runInMemory(['evaluate', 'execute_command', 'npm test && terraform apply']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^decision {8}block\nrule {12}commands\.block\nseverity {8}critical\n/);
  expect(run.stdout).toContain('reason          Matched blocked command policy: terraform apply*');
  expect(run.stdout).toContain('approver group  none');
  expect(run.stdout).toMatch(
    /SEGMENT\s+DECISION\s+RULE\nnpm test\s+allow\s+commands\.allow\nterraform apply\s+block\s+commands\.block\n/,
  );
});

test('decisions are coloured only on a TTY and only without NO_COLOR', async () => {
  const argv = ['evaluate', 'read_file', '.env'];
  expect((await runInMemory(argv, { isTTY: true })).stdout).toContain('\u001b[31mblock');
  expect((await runInMemory(argv, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  expect((await runInMemory(argv, { isTTY: false })).stdout).not.toContain('\u001b[');
});

test('--cwd makes absolute paths under it relative', async () => {
  const decision = await decisionOf(['read_file', '/srv/repo/config/.env', '--cwd', '/srv/repo']);
  expect(decision.decision).toBe('block');
});

test('an unknown action type exits 2 and names the valid ones', async () => {
  const run = await runInMemory(['evaluate', 'delete_everything', 'x']);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(
    "cavra: unknown action type 'delete_everything': use one of read_file, write_file, execute_command",
  );
});

test('an unknown pack exits 2 and lists the packs', async () => {
  const run = await runInMemory(['evaluate', 'read_file', '.env', '--policy-pack', 'nope']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /^cavra: unknown policy pack 'nope': use one of .*cavra-ai-agent-baseline.*cavra-terraform-prod/,
  );
});

test('an unknown policy mode exits 2 and names the modes', async () => {
  const run = await runInMemory(['evaluate', 'read_file', '.env', '-m', 'lenient']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "unknown policy mode 'lenient': use one of enforce, audit_only, strict, break_glass",
  );
});

test('missing arguments and extra words are usage errors that say what to do', async () => {
  const missing = await runInMemory(['evaluate', 'read_file']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('missing <target> for read_file: cavra evaluate read_file <path>');
  const unquoted = await runInMemory(['evaluate', 'execute_command', 'terraform', 'plan']);
  expect(unquoted.code).toBe(2);
  expect(unquoted.stderr).toContain("unexpected argument 'plan': quote a target that contains spaces");
  const empty = await runInMemory(['evaluate', 'read_file', ' ']);
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain('empty <target> for read_file (an unset shell variable?)');
  const noType = await runInMemory(['evaluate']);
  expect(noType.stderr).toContain('missing <action_type>');
});

test('flags that do not fit the action type are rejected', async () => {
  const run = await runInMemory(['evaluate', 'read_file', '.env', '--tool', 'x']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("option '--tool' applies only to mcp_tool_call");
});

test('an unknown flag is a usage error pointing at the command help', async () => {
  const run = await runInMemory(['evaluate', 'read_file', '.env', '--jsn']);
  expect(run).toEqual({
    code: 2,
    stdout: '',
    stderr: "cavra: unknown option '--jsn'\nrun 'cavra evaluate --help' for usage\n",
  });
});

test('policy explain lists every matched rule with pattern, pack and segment', async () => {
  const run = await runInMemory(['policy', 'explain', 'execute_command', 'cat .env && terraform apply']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('matched rules');
  expect(run.stdout).toMatch(
    /commands\.block\s+block\s+critical\s+terraform apply\*\s+cavra-ai-agent-baseline\s+segment: terraform apply/,
  );
  expect(run.stdout).toMatch(
    /filesystem\.read\.block\s+block\s+high\s+\.env\s+cavra-ai-agent-baseline\s+read \.env/,
  );
  expect(run.stdout).toMatch(/FOUND IN/);
  expect(run.stdout).toContain('policy revision    sha256:');
});

test('policy explain --json prints the decision, not the mode summary', async () => {
  const run = await runInMemory(['policy', 'explain', 'read_file', '.env', '-m', 'audit_only', '--json']);
  const decision = JSON.parse(run.stdout) as Decision;
  expect(decision).toMatchObject({
    schema_version: 'cavra.decision.v1',
    mode: 'audit_only',
    base_decision: 'block',
  });
});
