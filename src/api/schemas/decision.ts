/**
 * Decision requests (what `POST /decisions` and `POST /evaluate` accept) and decisions (`cavra.decision.v1`
 * plus CAVRA's explanation fields), as zod schemas for validation and OpenAPI.
 */
import { z } from '@hono/zod-openapi';
import { OUTCOMES, POLICY_MODES, type Outcome, type PolicyMode } from '../../engine';
import { DECISION_SORT_KEYS } from '../../store';
import { PageQuery } from './common';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const OUTCOME_VALUES = OUTCOMES as readonly [Outcome, ...Outcome[]];
const MODE_VALUES = POLICY_MODES as readonly [PolicyMode, ...PolicyMode[]];

/** An identifier a caller chooses (session, agent, actor, repository, pack): printable, 1–200 characters. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not contain control characters');

/** A JSON object (release-governance records, generic-adapter metadata). */
const JsonObjectSchema = z.record(z.string(), z.unknown()).openapi({ type: 'object' });

/**
 * Upstream's `POST /decisions` body (§5.2) plus the engine's optional fields. Unknown fields are rejected: a
 * misspelt `policy_pack` must not silently fall back to the default pack.
 */
export const DecisionRequestSchema = z
  .strictObject({
    action_type: z.string().trim().min(1, 'is required').openapi({
      description:
        'read_file, write_file, execute_command, git_operation, mcp_tool_call, pull_request, release_governance_record, or a dotted generic type (crm.update_record)',
      example: 'execute_command',
    }),
    target: z.string().optional().openapi({
      description: 'The path, the command, the git ref, or `server:tool` for MCP',
      example: 'terraform plan && terraform apply -auto-approve',
    }),
    session_id: Identifier.optional().openapi({ description: 'Default `local`', example: 'sess_demo_001' }),
    agent_id: Identifier.optional().openapi({
      description: 'Default `unknown-agent`',
      example: 'claude-code',
    }),
    actor: Identifier.optional().openapi({ description: 'Default `ai-agent`' }),
    repository: Identifier.optional().openapi({ example: 'payments/api' }),
    policy_pack: Identifier.optional().openapi({
      description: 'Default `cavra-ai-agent-baseline`',
      example: 'cavra-ai-agent-baseline',
    }),
    policy_mode: z.enum(MODE_VALUES).optional(),
    operation: z.string().optional().openapi({ description: 'git_operation: the git verb (default push)' }),
    requested_operation: z.string().optional(),
    server: z.string().optional().openapi({ description: 'mcp_tool_call: the MCP server' }),
    tool: z.string().optional().openapi({ description: 'mcp_tool_call: the tool' }),
    capability: z.string().optional().openapi({ description: 'mcp_tool_call: the capability' }),
    cwd: z.string().optional().openapi({ description: 'Workspace root for resolving absolute paths' }),
    break_glass_actor: z.string().optional(),
    break_glass_reason: z.string().optional(),
    record: JsonObjectSchema.optional().openapi({ description: 'release_governance_record: the record' }),
    release_governance: JsonObjectSchema.optional(),
    action_id: z.string().optional(),
    adapter_id: z.string().optional(),
    tenant_id: z.string().optional(),
    workspace_id: z.string().optional(),
    risk_level: z.enum(SEVERITIES).optional(),
    metadata: JsonObjectSchema.optional(),
  })
  .openapi('DecisionRequest');

const MatchedRuleSchema = z
  .object({
    rule_id: z.string(),
    decision: z.enum(OUTCOME_VALUES),
    severity: z.enum(SEVERITIES),
    pattern: z.string().optional(),
    pack: z.string().optional(),
    segment: z.string().optional(),
    path: z.string().optional(),
    access: z.enum(['read', 'write']).optional(),
    reason: z.string(),
  })
  .openapi('MatchedRule');

const SegmentSchema = z
  .object({
    command: z.string(),
    program: z.string().nullable(),
    decision: z.enum(OUTCOME_VALUES),
    rule_id: z.string(),
    context: z.string(),
  })
  .openapi('CommandSegment');

/** `cavra.decision.v1` with CAVRA's additions (policy_revision, mode, base_decision, matched_rules, segments). */
export const DecisionSchema = z
  .object({
    schema_version: z.literal('cavra.decision.v1'),
    decision_id: z.string().openapi({ example: 'dec_3cec71622d12' }),
    session_id: z.string(),
    agent_id: z.string(),
    actor: z.string(),
    action_type: z.string(),
    target: z.string(),
    requested_operation: z.string(),
    policy_pack: z.string(),
    policy_id: z.string(),
    rule_id: z.string().openapi({ example: 'commands.block' }),
    decision: z.enum(OUTCOME_VALUES).openapi({ description: 'The outcome the agent must obey' }),
    severity: z.enum(SEVERITIES),
    reason: z.string(),
    evidence_refs: z.array(z.string()),
    approver_group: z.string().nullable(),
    timestamp: z.string().openapi({ example: '2026-05-21T15:40:02.000000+00:00' }),
    correlation_id: z.string(),
    repository: z.string().optional(),
    policy_revision: z.string(),
    mode: z.enum(MODE_VALUES),
    base_decision: z.enum(OUTCOME_VALUES),
    mode_reason: z.string(),
    evidence_required: z.boolean(),
    matched_rules: z.array(MatchedRuleSchema),
    segments: z.array(SegmentSchema).optional(),
    action_id: z.string().optional(),
    adapter_id: z.string().optional(),
    tenant_id: z.string().nullable().optional(),
    workspace_id: z.string().nullable().optional(),
    taxonomy: z
      .object({
        domain: z.string(),
        effect: z.string(),
        risk_level: z.enum(SEVERITIES),
        default_decision: z.enum(OUTCOME_VALUES),
      })
      .nullable()
      .optional(),
    metadata_summary: z
      .object({
        keys: z.array(z.string()),
        contains_customer_data: z.boolean(),
        system: z.string().nullable(),
      })
      .optional(),
  })
  .openapi('Decision');

/** `GET /decisions` filters (upstream §5.2), every one an exact match, plus paging. */
export const DecisionListQuery = PageQuery.extend({
  session_id: z.string().optional(),
  agent_id: z.string().optional(),
  repository: z.string().optional(),
  policy_pack: z.string().optional(),
  decision: z.enum(OUTCOME_VALUES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  action_type: z.string().optional(),
  sort: z
    .enum([...DECISION_SORT_KEYS, ...DECISION_SORT_KEYS.map((key) => `-${key}` as const)])
    .optional()
    .openapi({
      description:
        'Sort column, `-` for descending (default `-timestamp`, newest first); severity sorts by rank, ties by newest',
      example: '-severity',
    }),
});
