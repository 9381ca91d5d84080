import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DEFAULT_ROUTING_RULES } from '../../engine';
import { DEFAULT_APPROVAL_ROUTING, parseRoutingDocument, routeDecision } from './routing';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/approvals/${name}`, import.meta.url), 'utf8');

const IAM_WRITE = {
  rule_id: 'filesystem.write.require_approval',
  target: 'iam/admin-role.tf',
  severity: 'high' as const,
  approver_group: 'Platform Security',
  repository: 'payments/api',
};

function parse(text: string) {
  const result = parseRoutingDocument(text, 'routing.yaml');
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.routing;
}

function errors(text: string): string[] {
  const result = parseRoutingDocument(text, 'routing.yaml');
  return result.ok ? [] : result.errors;
}

test("upstream's default rules, from the fixture, are the built-in ones", () => {
  const routing = parse(fixture('approval-routing.default-rules.json'));
  expect(routing.rules.slice(0, DEFAULT_ROUTING_RULES.length)).toEqual(DEFAULT_ROUTING_RULES);
  expect(routeDecision(IAM_WRITE, DEFAULT_APPROVAL_ROUTING)).toMatchObject({
    approver_group: 'IAM',
    routed_by: 'rule',
  });
});

test('a routing file adds its rules in front of the defaults, or replaces them with replace_defaults', () => {
  const added = parse(fixture('approval-routing.repo-override.example.json'));
  expect(added.rules).toHaveLength(1 + DEFAULT_ROUTING_RULES.length);
  expect(routeDecision(IAM_WRITE, added)?.approver_group).toBe('Cloud IAM Owners');
  const mcp = { rule_id: 'mcp.registry.tool_scope', target: 'github:x', severity: 'medium' as const };
  expect(routeDecision(mcp, added)?.approver_group).toBe('AI Governance');
  const replaced = parse(
    'replace_defaults: true\napproval_routing:\n  - { rule_id_prefix: commands., approver_group: Ops }\n',
  );
  expect(replaced.replacesDefaults).toBe(true);
  expect(routeDecision(mcp, replaced)).toBeUndefined();
  // With no rule matching, the decision's own group applies (upstream order).
  expect(routeDecision({ ...IAM_WRITE, target: 'src/x.ts' }, replaced)).toMatchObject({
    approver_group: 'Platform Security',
    routed_by: 'decision',
  });
});

test('repository globs, min_severity and required_approvals', () => {
  const routing = parse(
    [
      '- { repository: "payments/*", min_severity: critical, approver_group: Payments CAB, required_approvals: 3 }',
      '- { repository: "payments/*", min_severity: high, approver_group: Payments Owners, required_approvals: 2 }',
    ].join('\n'),
  );
  expect(routeDecision(IAM_WRITE, routing)).toMatchObject({
    approver_group: 'Payments Owners',
    required_approvals: 2,
  });
  expect(routeDecision({ ...IAM_WRITE, severity: 'critical' }, routing)).toMatchObject({
    required_approvals: 3,
  });
  expect(routeDecision({ ...IAM_WRITE, repository: 'web/app' }, routing)).toMatchObject({
    approver_group: 'IAM',
    required_approvals: 1,
  });
  // Naming the group explicitly cannot lower the approver count its rule demands.
  expect(routeDecision(IAM_WRITE, routing, 'Payments Owners')).toMatchObject({
    routed_by: 'explicit',
    required_approvals: 2,
  });
  expect(routeDecision(IAM_WRITE, routing, 'Someone Else')).toMatchObject({ required_approvals: 1 });
});

test('bad files are refused with errors that name the field', () => {
  expect(errors('approval_routing:\n  - { rule_id_prefix: filesystem. }\n')).toEqual([
    'approval_routing[0].approver_group: is required',
  ]);
  expect(errors('- { approver_group: IAM, min_severity: severe }')[0]).toMatch(/^\[0\]\.min_severity: /);
  expect(errors('- { approver_group: IAM, required_approvals: 0 }')).toEqual([
    '[0].required_approvals: must be at least 1',
  ]);
  expect(errors('- { approver_group: IAM, required_approvals: 11 }')).toEqual([
    '[0].required_approvals: must be at most 10',
  ]);
  expect(errors('- { approver_group: IAM, repo: x }')[0]).toMatch(/^\[0\]\.repo: is not a routing field/);
  expect(errors('approval_routing: []\nreplace_defaults: yes please\n')).toEqual([
    'replace_defaults: must be true or false',
  ]);
  expect(errors('{ rules: [] }')[0]).toMatch(/^rules: is not a routing field/);
  expect(errors('')).toEqual([
    'routing.yaml is empty: write a list of routing rules or { approval_routing: [...] }',
  ]);
  expect(errors('[unclosed')[0]).toMatch(/^routing\.yaml is not valid YAML or JSON/);
  expect(errors('{}')).toEqual(['approval_routing: is required (a list of rules, each with approver_group)']);
});
