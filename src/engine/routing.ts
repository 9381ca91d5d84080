import type { Severity } from './types';

/**
 * An approval routing rule (upstream §3.7). Every key present must match; the first matching rule wins.
 * CAVRA adds `repository` (a glob, `*` = any characters) and `min_severity`.
 */
export type RoutingRule = {
  approver_group: string;
  rule_id?: string;
  rule_id_prefix?: string;
  action_type?: string;
  severity?: Severity;
  min_severity?: Severity;
  policy_pack?: string;
  target_contains?: string;
  repository?: string;
  /** N distinct eligible approvers (issue 4); defaults to 1. */
  required_approvals?: number;
};

/** The fields of a decision routing looks at. */
export type RoutableDecision = {
  rule_id: string;
  target: string;
  severity: Severity;
  approver_group?: string | null;
  action_type?: string;
  policy_pack?: string;
  repository?: string;
};

export const DEFAULT_ROUTING_RULES: readonly RoutingRule[] = [
  { rule_id_prefix: 'filesystem.write', target_contains: 'iam/', approver_group: 'IAM' },
  {
    rule_id_prefix: 'filesystem.write',
    target_contains: '.github/workflows',
    approver_group: 'Platform Security',
  },
  { rule_id_prefix: 'commands.default', severity: 'medium', approver_group: 'Repository Owners' },
  { rule_id_prefix: 'commands.block', target_contains: 'terraform', approver_group: 'Cloud Security' },
  { rule_id_prefix: 'mcp.', approver_group: 'AI Governance' },
];

const RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

function globMatch(pattern: string, value: string): boolean {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's').test(value);
}

export function routingRuleMatches(rule: RoutingRule, decision: RoutableDecision): boolean {
  return (
    (rule.rule_id === undefined || rule.rule_id === decision.rule_id) &&
    (rule.rule_id_prefix === undefined || decision.rule_id.startsWith(rule.rule_id_prefix)) &&
    (rule.action_type === undefined || rule.action_type === decision.action_type) &&
    (rule.severity === undefined || rule.severity === decision.severity) &&
    (rule.min_severity === undefined || RANK[decision.severity] >= RANK[rule.min_severity]) &&
    (rule.policy_pack === undefined || rule.policy_pack === decision.policy_pack) &&
    (rule.target_contains === undefined || decision.target.includes(rule.target_contains)) &&
    (rule.repository === undefined ||
      (decision.repository !== undefined && globMatch(rule.repository, decision.repository)))
  );
}

/**
 * Resolves the approver group: an explicit group wins, then the first matching routing rule, then the
 * decision's own group. Undefined when none applies (the caller reports it as an error).
 */
export function routeApproval(
  decision: RoutableDecision,
  rules: readonly RoutingRule[] = DEFAULT_ROUTING_RULES,
  explicitGroup?: string,
): { approver_group: string; rule: RoutingRule | undefined } | undefined {
  if (explicitGroup !== undefined && explicitGroup !== '')
    return { approver_group: explicitGroup, rule: undefined };
  const rule = rules.find((candidate) => routingRuleMatches(candidate, decision));
  if (rule !== undefined) return { approver_group: rule.approver_group, rule };
  const own = decision.approver_group;
  return own === undefined || own === null || own === ''
    ? undefined
    : { approver_group: own, rule: undefined };
}
