/**
 * Approval routing (upstream §2.3, CAVRA additions in docs/decisions/0012-approvals.md): which approver group
 * an approval goes to, and how many distinct approvers it needs. The routing file
 * (`CAVRA_APPROVAL_ROUTING_FILE`, YAML or JSON) adds rules in front of upstream's defaults, or replaces them
 * with `replace_defaults: true`. Parsing is pure (text in, rules or errors out) so the sandbox can use it too.
 */
import { z } from '@hono/zod-openapi';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_ROUTING_RULES,
  routeApproval,
  routingRuleMatches,
  type RoutableDecision,
  type RoutingRule,
} from '../../engine';

/** The rules the API routes with, and where they came from. */
export type ApprovalRouting = {
  rules: readonly RoutingRule[];
  /** The routing file, or null for the built-in defaults. */
  source: string | null;
  /** Whether the file replaced the defaults instead of adding to them. */
  replacesDefaults: boolean;
};

/** Upstream's built-in rules only. */
export const DEFAULT_APPROVAL_ROUTING: ApprovalRouting = {
  rules: DEFAULT_ROUTING_RULES,
  source: null,
  replacesDefaults: false,
};

/** The most distinct approvers a route may require (a typo like 50 would make approvals unreachable). */
export const MAX_REQUIRED_APPROVALS = 10;

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const text = z.string().trim().min(1, 'must be a non-empty string');

const RuleSchema = z.strictObject({
  approver_group: text,
  rule_id: text.optional(),
  rule_id_prefix: text.optional(),
  action_type: text.optional(),
  severity: z.enum(SEVERITIES).optional(),
  min_severity: z.enum(SEVERITIES).optional(),
  policy_pack: text.optional(),
  target_contains: text.optional(),
  repository: text.optional(),
  required_approvals: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_REQUIRED_APPROVALS, `must be at most ${MAX_REQUIRED_APPROVALS}`)
    .optional(),
});

const RulesSchema = z.array(RuleSchema);

const DocumentSchema = z.union([
  RulesSchema,
  z.strictObject({
    approval_routing: RulesSchema.optional(),
    routing_rules: RulesSchema.optional(),
    replace_defaults: z.boolean({ error: 'must be true or false' }).optional(),
  }),
]);

/** A routing file's verdict: the routing, or every problem with a dotted field path. */
export type RoutingParseResult = { ok: true; routing: ApprovalRouting } | { ok: false; errors: string[] };

/**
 * Parses a routing document (YAML or JSON text; JSON is YAML). Accepts upstream's forms (a bare list, or an
 * object with `approval_routing` or `routing_rules`) plus `replace_defaults`. Errors name the field:
 * `approval_routing[1].min_severity: expected one of low, medium, high, critical`.
 */
export function parseRoutingDocument(source: string, name: string): RoutingParseResult {
  let document: unknown;
  try {
    document = parseYaml(source);
  } catch (error) {
    return { ok: false, errors: [`${name} is not valid YAML or JSON: ${(error as Error).message}`] };
  }
  if (document === null || document === undefined) {
    return {
      ok: false,
      errors: [`${name} is empty: write a list of routing rules or { approval_routing: [...] }`],
    };
  }
  const parsed = DocumentSchema.safeParse(document);
  if (!parsed.success) return { ok: false, errors: describeIssues(document, parsed.error) };
  const value = parsed.data;
  if (Array.isArray(value)) return { ok: true, routing: withDefaults(value, false, name) };
  if (value.approval_routing !== undefined && value.routing_rules !== undefined) {
    return { ok: false, errors: ['use either approval_routing or routing_rules, not both'] };
  }
  const rules = value.approval_routing ?? value.routing_rules;
  if (rules === undefined) {
    return {
      ok: false,
      errors: ['approval_routing: is required (a list of rules, each with approver_group)'],
    };
  }
  return { ok: true, routing: withDefaults(rules, value.replace_defaults === true, name) };
}

function withDefaults(rules: readonly RoutingRule[], replace: boolean, source: string): ApprovalRouting {
  return {
    rules: replace ? [...rules] : [...rules, ...DEFAULT_ROUTING_RULES],
    source,
    replacesDefaults: replace,
  };
}

/** zod issues as `field.path: message`, reported against the branch the document was trying to be. */
function describeIssues(document: unknown, error: z.ZodError): string[] {
  // A union reports "invalid input" for the whole; re-validate against the branch that fits the shape.
  const branch = Array.isArray(document)
    ? RulesSchema.safeParse(document)
    : z
        .strictObject({
          approval_routing: RulesSchema.optional(),
          routing_rules: RulesSchema.optional(),
          replace_defaults: z.boolean({ error: 'must be true or false' }).optional(),
        })
        .safeParse(document);
  const issues = branch.success ? error.issues : branch.error.issues;
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) =>
          `${fieldPath([...issue.path, key])}: is not a routing field (known: ${Object.keys(RuleSchema.shape).join(', ')}, and at the top level approval_routing, routing_rules, replace_defaults)`,
      );
    }
    const message = /received undefined$/.test(issue.message)
      ? 'is required'
      : issue.message.replace(/^Invalid input: /, '').replace(/^expected array/, 'expected a list of rules');
    const text = message.charAt(0).toLowerCase() + message.slice(1);
    return [`${issue.path.length === 0 ? 'the document' : fieldPath(issue.path)}: ${text}`];
  });
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === 'number' ? `${out}[${part}]` : out === '' ? String(part) : `${out}.${String(part)}`,
    '',
  );
}

/** Where an approval was routed, and how many distinct approvers it needs. */
export type Route = {
  approver_group: string;
  required_approvals: number;
  /** `explicit` (the request named the group), `rule` (a routing rule matched) or `decision` (its own group). */
  routed_by: 'explicit' | 'rule' | 'decision';
  rule: RoutingRule | null;
};

/** Routes a decision (upstream order: explicit group, first matching rule, the decision's group). */
export function routeDecision(
  decision: RoutableDecision,
  routing: ApprovalRouting,
  explicitGroup?: string,
): Route | undefined {
  const routed = routeApproval(decision, routing.rules, explicitGroup);
  if (routed === undefined) return undefined;
  const isExplicit = explicitGroup !== undefined && explicitGroup !== '';
  const rule = routed.rule ?? null;
  // An explicit group still takes the approver count of the rule that would have matched for that group, so
  // naming the group cannot lower the number of approvers the routing file demands.
  const matching = isExplicit
    ? routing.rules.find(
        (candidate) =>
          candidate.approver_group === routed.approver_group && routingRuleMatches(candidate, decision),
      )
    : rule;
  return {
    approver_group: routed.approver_group,
    required_approvals: matching?.required_approvals ?? 1,
    routed_by: isExplicit ? 'explicit' : rule !== null ? 'rule' : 'decision',
    rule,
  };
}
