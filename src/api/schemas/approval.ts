/**
 * Approvals (`cavra.approval.v1`, upstream §2, §5.4) as zod schemas: the record, the list query and every
 * request body. Bodies are strict; identity fields upstream accepted from the body (`actor_claims`,
 * `actor_token`) are declared only so the refusal can name them (docs/decisions/0012-approvals.md).
 */
import { z } from '@hono/zod-openapi';
import { APPROVAL_STATES, type ApprovalState } from '../../store';
import { NOTIFICATION_PROVIDERS } from '../notifications/payloads';
import { PageQuery } from './common';
import { Identifier } from './decision';

const STATE_VALUES = APPROVAL_STATES as readonly [ApprovalState, ...ApprovalState[]];
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** A decision inside an approval request: a `cavra.decision.v1` object (at least its `decision_id`). */
export const ApprovalDecisionSchema = z
  .looseObject({
    decision_id: Identifier.openapi({ example: 'dec_1b2c3d4e5f60' }),
    session_id: z.string().optional(),
    agent_id: z.string().optional(),
    actor: z.string().optional(),
    repository: z.string().optional(),
    action_type: z.string().optional(),
    target: z.string().optional(),
    rule_id: z.string().optional(),
    decision: z.string().optional(),
    severity: z.enum(SEVERITIES).optional(),
    reason: z.string().optional(),
    evidence_refs: z.array(z.string()).optional(),
    approver_group: z.string().nullable().optional(),
    correlation_id: z.string().optional(),
  })
  .openapi('ApprovalDecision', {
    description:
      'The decision the approval is about. When a decision with this `decision_id` is stored, the stored one is used.',
  });

const HistoryEntrySchema = z.object({
  event: z.enum([
    'requested',
    'approval_recorded',
    'approved',
    'denied',
    'expired',
    'break_glass',
    'reviewed',
  ]),
  actor: z.string(),
  timestamp: z.string(),
  reason: z.string().nullable(),
  external_ref: z.string().optional(),
});

const VoteSchema = z.object({
  actor: z.string(),
  subject: z.string().nullable(),
  timestamp: z.string(),
  reason: z.string(),
  external_ref: z.string().optional(),
});

const RoutingRuleSchema = z.object({
  approver_group: z.string(),
  rule_id: z.string().optional(),
  rule_id_prefix: z.string().optional(),
  action_type: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  min_severity: z.enum(SEVERITIES).optional(),
  policy_pack: z.string().optional(),
  target_contains: z.string().optional(),
  repository: z.string().optional(),
  required_approvals: z.number().int().optional(),
});

/** `cavra.approval.v1` plus CAVRA's progress, routing and review fields. */
export const ApprovalSchema = z
  .object({
    schema_version: z.literal('cavra.approval.v1'),
    product: z.literal('CAVRA'),
    approval_id: z.string().openapi({ example: 'apr_5c6d7e8f9a0b' }),
    decision_id: z.string(),
    session_id: z.string().nullable().optional(),
    correlation_id: z.string().nullable(),
    state: z.enum(STATE_VALUES),
    approver_group: z.string().openapi({ example: 'IAM' }),
    requested_by: z.string().nullable().optional(),
    requested_at: z.string().openapi({ example: '2026-05-21T15:40:03.000000+00:00' }),
    expires_at: z.string(),
    repository: z.string().nullable().optional(),
    decision: ApprovalDecisionSchema,
    history: z.array(HistoryEntrySchema),
    evidence_refs: z.array(z.string()),
    decided_by: z.string().nullable().optional(),
    decided_at: z.string().nullable().optional(),
    decision_reason: z.string().optional(),
    external_ref: z.string().nullable().optional(),
    break_glass: z.boolean().optional(),
    break_glass_reason: z.string().optional(),
    required_approvals: z.number().int().openapi({
      description: 'Distinct eligible approvers needed (routing rule `required_approvals`, default 1)',
    }),
    approvals: z.array(VoteSchema).openapi({ description: 'Approvals recorded so far (progress)' }),
    routing: z.object({
      routed_by: z.enum(['explicit', 'rule', 'decision']),
      rule: RoutingRuleSchema.nullable(),
      source: z.string().nullable(),
    }),
    review_state: z.enum(['review_pending', 'reviewed']).nullable().optional(),
    review: z
      .object({
        state: z.enum(['review_pending', 'reviewed']),
        reviewer_groups: z.array(z.string()),
        reviewed_by: z.string().optional(),
        reviewed_at: z.string().optional(),
        reason: z.string().optional(),
        external_ref: z.string().optional(),
      })
      .optional(),
  })
  .openapi('Approval');

/** `GET /approvals` filters (exact matches) and paging. */
export const ApprovalListQuery = PageQuery.extend({
  state: z.enum(STATE_VALUES).optional(),
  approver_group: z.string().optional(),
  session_id: z.string().optional(),
  repository: z.string().optional(),
  decision_id: z.string().optional(),
  review_state: z.enum(['review_pending', 'reviewed']).optional(),
});

const reason = z.string().trim().min(1, 'is required: say why').max(2000, 'must be at most 2000 characters');
const externalRef = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .openapi({ example: 'CHG-123' });
const actor = Identifier.optional().openapi({
  description:
    "Demo mode only: the name to act as. With OIDC the actor is the token's; a different name here is refused.",
});
const unsignedIdentity = {
  actor_claims: z.unknown().optional().openapi({ description: 'Refused: unsigned claims are never trusted' }),
  actor_token: z
    .unknown()
    .optional()
    .openapi({ description: 'Refused: send the token as `Authorization: Bearer`' }),
};

/** `POST /approvals`. */
export const CreateApprovalBody = z
  .strictObject({
    decision: ApprovalDecisionSchema.optional(),
    decision_id: Identifier.optional().openapi({ description: 'A stored decision, instead of `decision`' }),
    approver_group: Identifier.optional().openapi({ description: 'Overrides routing' }),
    requested_by: Identifier.optional().openapi({ description: 'Default: the caller' }),
    ttl_hours: z.number().positive('must be more than 0').max(720, 'must be at most 720').optional(),
    ...unsignedIdentity,
  })
  .openapi('CreateApproval');

/** `POST /approvals/{id}/approve|deny` and `/review`. */
export const DecideApprovalBody = z
  .strictObject({ reason, external_ref: externalRef.optional(), actor, ...unsignedIdentity })
  .openapi('DecideApproval');

/** `POST /approvals/{id}/expire` (the body is optional). */
export const ExpireApprovalBody = z
  .strictObject({ reason: reason.optional(), actor, ...unsignedIdentity })
  .openapi('ExpireApproval');

/** `POST /approvals/break-glass`. */
export const BreakGlassBody = z
  .strictObject({
    decision: ApprovalDecisionSchema.optional(),
    decision_id: Identifier.optional(),
    reason,
    external_ref: externalRef.openapi({
      description: 'The incident or change ticket (required)',
      example: 'INC-777',
    }),
    ttl_hours: z
      .number()
      .positive('must be more than 0')
      .optional()
      .openapi({ description: 'At most 4; default 4' }),
    approver_group: z
      .string()
      .optional()
      .openapi({ description: 'Must be `Change Advisory Board` when given' }),
    actor,
    ...unsignedIdentity,
  })
  .openapi('BreakGlass');

/** `POST /approvals/{id}/deliver` (the body is optional). */
export const DeliverBody = z
  .strictObject({
    provider: z
      .enum(['all', ...NOTIFICATION_PROVIDERS])
      .optional()
      .openapi({ description: 'Default `all`' }),
    retries: z.number().int('must be a whole number').min(0).max(10).optional(),
    timeout_seconds: z.number().min(0.1).max(60).optional(),
  })
  .openapi('DeliverApproval');

/** One provider's delivery outcome. */
const ProviderDeliverySchema = z.object({
  provider: z.enum(NOTIFICATION_PROVIDERS),
  delivery_id: z.string(),
  success: z.boolean(),
  status_code: z.number().int(),
  attempt_count: z.number().int(),
  started_at: z.string(),
  completed_at: z.string(),
  error: z.string().nullable(),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()) }),
});

/** `cavra.approval.delivery.v1`. */
export const DeliveryResultSchema = z
  .object({
    schema_version: z.literal('cavra.approval.delivery.v1'),
    product: z.literal('CAVRA'),
    approval_id: z.string(),
    decision_id: z.string(),
    event: z.string(),
    generated_at: z.string(),
    success: z.boolean(),
    deliveries: z.array(ProviderDeliverySchema),
  })
  .openapi('ApprovalDeliveryResult');

/** A stored delivery (`GET /approvals/{id}/deliveries`). */
export const DeliveryRecordSchema = z
  .looseObject({
    delivery_id: z.string(),
    subject_kind: z.string(),
    subject_id: z.string(),
    provider: z.string(),
    status: z.enum(['pending', 'retrying', 'delivered', 'failed', 'skipped']),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Delivery');

/** The decision with its approval summary (upstream §2.7). */
export const AttachedDecisionSchema = ApprovalDecisionSchema.extend({
  approval: z.object({
    approval_id: z.string(),
    decision_id: z.string(),
    session_id: z.string().nullable(),
    state: z.enum(STATE_VALUES),
    approver_group: z.string(),
    requested_by: z.string().nullable(),
    requested_at: z.string(),
    expires_at: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    external_ref: z.string().nullable(),
    break_glass: z.boolean(),
    evidence_refs: z.array(z.string()),
  }),
}).openapi('AttachedDecision');
