import { expect, test } from 'vitest';
import { buildPolicySet, decide, type DecisionRequest, type McpRegistry } from './index';

const policies = buildPolicySet([
  {
    id: 'base',
    file: 'base.yaml',
    source: `metadata: {id: base, title: Base, description: d, version: '1'}
filesystem: {block_read: ['.env'], require_approval_write: ['iam/**']}
commands: {block: ['terraform apply*'], allow: ['terraform plan*']}
mcp: {allowed_servers: [github-enterprise], blocked_servers: [personal-drive]}
`,
  },
  {
    id: 'open-mcp',
    file: 'o.yaml',
    source: `metadata: {id: open-mcp, title: O, description: d, version: '1'}\nmcp: {block_unknown_servers: false}\n`,
  },
]);

const context = { now: () => new Date('2026-03-04T05:06:07.089Z'), randomHex12: () => 'abcdef012345' };

function run(request: DecisionRequest, registry?: McpRegistry) {
  const result = decide({ policy_pack: 'base', ...request }, policies, {
    ...context,
    ...(registry && { registry }),
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test('a decision keeps upstream fields and formats', () => {
  const decision = run({ action_type: 'read_file', target: './config//../.env' });
  expect(decision).toMatchObject({
    schema_version: 'cavra.decision.v1',
    decision_id: 'dec_abcdef012345',
    session_id: 'local',
    agent_id: 'unknown-agent',
    actor: 'ai-agent',
    target: 'config/../.env',
    requested_operation: 'read',
    policy_pack: 'base',
    policy_id: 'base',
    rule_id: 'filesystem.read.block',
    decision: 'block',
    severity: 'high',
    reason: 'Matched sensitive path policy: .env',
    evidence_refs: ['evidence://local/dec_abcdef012345'],
    approver_group: null,
    timestamp: '2026-03-04T05:06:07.089000+00:00',
    correlation_id: 'corr_abcdef012345',
    mode: 'enforce',
    base_decision: 'block',
  });
  expect(decision.policy_revision).toMatch(/^sha256:/);
  expect(decision.matched_rules).toEqual([
    {
      rule_id: 'filesystem.read.block',
      decision: 'block',
      severity: 'high',
      pattern: '.env',
      pack: 'base',
      path: '.env',
      access: 'read',
      reason: 'Matched sensitive path policy: .env',
    },
  ]);
});

test('modes overlay the guard outcome and keep the base decision', () => {
  const plan = { action_type: 'execute_command', target: 'terraform plan' };
  const apply = { action_type: 'execute_command', target: 'terraform apply' };
  expect(run({ ...plan, policy_mode: 'strict' })).toMatchObject({
    decision: 'require_approval',
    base_decision: 'allow',
    approver_group: 'Repository Owners',
    evidence_required: true,
  });
  expect(run({ ...apply, policy_mode: 'audit_only' })).toMatchObject({
    decision: 'audit_only',
    base_decision: 'block',
    rule_id: 'commands.block',
  });
  expect(run({ ...apply, policy_mode: 'break_glass' })).toMatchObject({ decision: 'block' });
  expect(
    run({
      ...apply,
      policy_mode: 'break_glass',
      break_glass_actor: 'ic@example.com',
      break_glass_reason: 'outage',
    }),
  ).toMatchObject({
    decision: 'allow_with_attestation',
    base_decision: 'block',
  });
  expect(
    run({ ...apply, policy_mode: 'break_glass', break_glass_actor: 'ic', break_glass_reason: '  ' }).decision,
  ).toBe('block');
});

test('errors are values with stable codes and name the valid choices', () => {
  const unknownPack = decide(
    { action_type: 'read_file', target: 'x', policy_pack: 'nope' },
    policies,
    context,
  );
  expect(!unknownPack.ok && unknownPack.error).toMatchObject({
    code: 'unknown_policy_pack',
    choices: ['base', 'open-mcp'],
  });
  const unknownType = decide({ action_type: 'launch_rocket', target: 'x' }, policies, context);
  expect(!unknownType.ok && unknownType.error.code).toBe('unknown_action_type');
  const badMode = decide(
    { action_type: 'read_file', target: 'x', policy_pack: 'base', policy_mode: 'yolo' as 'strict' },
    policies,
    context,
  );
  expect(!badMode.ok && badMode.error.code).toBe('invalid_policy_mode');
});

test('an internal failure blocks (fail closed), never allows', () => {
  const broken = { mcp_servers: null } as unknown as McpRegistry;
  const decision = run({ action_type: 'mcp_tool_call', server: 'github-enterprise', tool: 'x' }, broken);
  expect(decision.decision).toBe('block');
  expect(decision.rule_id).toBe('runtime.error.fail_closed');
});

test('MCP without a registry uses the pack lists; unknown servers block by default', () => {
  expect(
    run({ action_type: 'mcp_tool_call', server: 'github-enterprise', tool: 'create_issue' }).rule_id,
  ).toBe('mcp.server.trust.allow');
  expect(run({ action_type: 'mcp_tool_call', server: 'personal-drive', tool: 'x' }).rule_id).toBe(
    'mcp.server.trust.block_unknown',
  );
  expect(run({ action_type: 'mcp_tool_call', server: 'random', tool: 'x' }).decision).toBe('block');
  expect(
    run({ action_type: 'mcp_tool_call', server: 'random', tool: 'x', policy_pack: 'open-mcp' }).decision,
  ).toBe('allow');
  expect(run({ action_type: 'mcp_tool_call', target: 'github-enterprise:create_issue' }).target).toBe(
    'github-enterprise:create_issue',
  );
});

test('MCP with a registry follows upstream order', () => {
  const registry: McpRegistry = {
    mcp_servers: [
      {
        server_id: 'gh',
        trust_tier: 'approved',
        capabilities: ['repository'],
        allowed_tools: ['create_pull_request'],
      },
      { server_id: 'lab', trust_tier: 'experimental' },
      { server_id: 'bad', trust_tier: 'trusted', approval_state: 'denied' },
      { server_id: 'open', name: 'open-alias', trust_tier: 'trusted' },
    ],
  };
  const rule = (server: string, tool: string, capability?: string) =>
    run({ action_type: 'mcp_tool_call', server, tool, ...(capability && { capability }) }, registry).rule_id;
  expect(rule('nobody', 'x')).toBe('mcp.registry.unknown');
  expect(rule('bad', 'x')).toBe('mcp.registry.blocked');
  expect(rule('lab', 'x')).toBe('mcp.registry.requires_approval');
  expect(rule('gh', 'delete_repository')).toBe('mcp.registry.tool_scope');
  expect(rule('gh', 'create_pull_request', 'shell')).toBe('mcp.registry.capability_scope');
  expect(rule('gh', 'create_pull_request', 'repository')).toBe('mcp.registry.allow');
  expect(rule('open-alias', 'anything')).toBe('mcp.registry.allow');
});

test('release-governance signals count numbers only', () => {
  const rule = (record: Record<string, unknown>) =>
    run({ action_type: 'release_governance_record', record } as DecisionRequest).rule_id;
  expect(rule({})).toBe('release_governance.record.missing');
  expect(rule({ metadata_kind: 'rollout-evidence-capture', blocked_count: true })).toBe(
    'release_governance.record.verified',
  );
  expect(rule({ metadata_kind: 'rollout-evidence-capture', blocked_count: '3' })).toBe(
    'release_governance.record.verified',
  );
  expect(rule({ metadata_kind: 'rollout-evidence-capture', blocked_count: 1 })).toBe(
    'release_governance.signal.critical',
  );
  expect(rule({ metadata_kind: 'custom-kind' })).toBe('release_governance.approval.not_required');
  expect(rule({ metadata_kind: 'release-connector-delivery', delivery_success: 'Succeeded' })).toBe(
    'release_governance.record.verified',
  );
  expect(rule({ metadata_kind: 'x', approval_state: 'Cancel-led' })).toBe(
    'release_governance.approval.unknown',
  );
  expect(rule({ metadata_kind: 'x', approval: { state: 'EXPIRED' } })).toBe(
    'release_governance.approval.denied',
  );
});

test('generic adapter actions carry taxonomy and adapter fields', () => {
  const decision = run({
    action_type: 'data.export_dataset',
    adapter_id: 'bi-agent',
    action_id: 'a1',
    metadata: { system: 'warehouse', contains_customer_data: true },
  });
  expect(decision).toMatchObject({
    rule_id: 'generic_adapter.export.require_approval',
    severity: 'high',
    approver_group: 'Data Governance',
    session_id: 'generic-adapter:bi-agent',
    taxonomy: { domain: 'data', effect: 'export', risk_level: 'high', default_decision: 'require_approval' },
    metadata_summary: {
      keys: ['contains_customer_data', 'system'],
      contains_customer_data: true,
      system: 'warehouse',
    },
  });
  expect(run({ action_type: 'knowledge.search', risk_level: 'medium' }).rule_id).toBe(
    'generic_adapter.default.require_approval',
  );
});

test('the same inputs give the same decision (determinism)', () => {
  const request: DecisionRequest = {
    action_type: 'execute_command',
    target: 'cd x && terraform plan | tee out',
    cwd: '/repo',
  };
  expect(run(request)).toEqual(run(request));
});
