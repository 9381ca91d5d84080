/**
 * The approval document (`cavra.approval.v1`, upstream §2.1) and its transitions as pure functions: create,
 * record one approver's approval (N distinct approvers may be required), close as denied or expired,
 * break glass, review a break-glass. The service (approval-service.ts) persists and logs what these return.
 */
import type { JsonObject, RoutingRule } from '../../engine';
import type { ApprovalRecord, ApprovalState } from '../../store';
import type { Route } from './routing';

/** Events of an approval's `history` (upstream's five, plus `approval_recorded` and `reviewed`). */
export type HistoryEvent =
  'requested' | 'approval_recorded' | 'approved' | 'denied' | 'expired' | 'break_glass' | 'reviewed';

/** One history entry (upstream shape). */
export type HistoryEntry = {
  event: HistoryEvent;
  actor: string;
  timestamp: string;
  reason: string | null;
  external_ref?: string;
};

/** One approver's approval while `required_approvals` is not reached yet (and the final one). */
export type ApproverVote = {
  actor: string;
  subject: string | null;
  timestamp: string;
  reason: string;
  external_ref?: string;
};

/** The decision an approval is about: a stored `cavra.decision.v1`, or the object the request carried. */
export type ApprovalDecision = { decision_id: string; [field: string]: unknown };

/** The follow-up review every break-glass gets. */
export type BreakGlassReview = {
  state: 'review_pending' | 'reviewed';
  /** Groups whose members may review. */
  reviewer_groups: string[];
  reviewed_by?: string;
  reviewed_at?: string;
  reason?: string;
  external_ref?: string;
};

/** An approval as the API stores and returns it. */
export type Approval = ApprovalRecord & {
  schema_version: 'cavra.approval.v1';
  product: 'CAVRA';
  correlation_id: string | null;
  decision: ApprovalDecision;
  history: HistoryEntry[];
  evidence_refs: string[];
  /** Distinct eligible approvers needed (routing `required_approvals`, default 1). */
  required_approvals: number;
  /** Approvals recorded so far (progress towards `required_approvals`). */
  approvals: ApproverVote[];
  routing: { routed_by: Route['routed_by']; rule: RoutingRule | null; source: string | null };
  decision_reason?: string;
  break_glass_reason?: string;
  review_state?: BreakGlassReview['state'] | null;
  review?: BreakGlassReview;
};

/** Who acts: the principal's name and subject. */
export type Acting = { actor: string; subject: string | null };

/** Python `isoformat()` of a UTC instant with microseconds: the form decisions and approvals share. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000+00:00`;
}

/** `date` plus `hours` (fractions allowed). */
export function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + Math.round(hours * 3_600_000));
}

/** Whether a pending approval is past its deadline at `now`. */
export function isPastDeadline(approval: Pick<ApprovalRecord, 'expires_at'>, now: Date): boolean {
  const deadline = Date.parse(approval.expires_at);
  return Number.isFinite(deadline) && deadline <= now.getTime();
}

/** What {@link newApproval} is built from. */
export type NewApproval = {
  approvalId: string;
  decision: ApprovalDecision;
  route: Route;
  routingSource: string | null;
  requestedBy: string;
  now: Date;
  ttlHours: number;
};

/** A new pending approval: one `requested` history entry whose reason is the decision's. */
export function newApproval(input: NewApproval): Approval {
  const { approvalId, decision, route, now } = input;
  const at = formatTime(now);
  const refs = stringList(decision['evidence_refs']);
  return {
    schema_version: 'cavra.approval.v1',
    product: 'CAVRA',
    approval_id: approvalId,
    decision_id: decision.decision_id,
    session_id: stringOr(decision['session_id'], 'local'),
    correlation_id: stringOr(decision['correlation_id'], null),
    state: 'pending',
    approver_group: route.approver_group,
    requested_by: input.requestedBy,
    requested_at: at,
    expires_at: formatTime(addHours(now, input.ttlHours)),
    repository: stringOr(decision['repository'], null),
    decision,
    history: [
      {
        event: 'requested',
        actor: input.requestedBy,
        timestamp: at,
        reason: stringOr(decision['reason'], null),
      },
    ],
    evidence_refs: unique([`approval://${approvalId}`, ...refs]),
    required_approvals: route.required_approvals,
    approvals: [],
    routing: { routed_by: route.routed_by, rule: route.rule, source: input.routingSource },
  };
}

/** The outcome of one approver's approval: still pending (progress recorded) or approved. */
export function recordApproval(
  approval: Approval,
  by: Acting,
  reason: string,
  externalRef: string | undefined,
  now: Date,
): Approval {
  const at = formatTime(now);
  const vote: ApproverVote = {
    actor: by.actor,
    subject: by.subject,
    timestamp: at,
    reason,
    ...ref(externalRef),
  };
  const approvals = [...approval.approvals, vote];
  const isComplete = approvals.length >= approval.required_approvals;
  const entry: HistoryEntry = {
    event: isComplete ? 'approved' : 'approval_recorded',
    actor: by.actor,
    timestamp: at,
    reason,
    ...ref(externalRef),
  };
  const next: Approval = { ...approval, approvals, history: [...approval.history, entry] };
  return isComplete ? decided(next, 'approved', by.actor, reason, externalRef, at) : next;
}

/** The approval closed as `denied` or `expired` by `actor`. */
export function closeApproval(
  approval: Approval,
  state: 'denied' | 'expired',
  actor: string,
  reason: string,
  externalRef: string | undefined,
  now: Date,
): Approval {
  const at = formatTime(now);
  const entry: HistoryEntry = { event: state, actor, timestamp: at, reason, ...ref(externalRef) };
  return decided(
    { ...approval, history: [...approval.history, entry] },
    state,
    actor,
    reason,
    externalRef,
    at,
  );
}

/** What a break-glass is built from. */
export type BreakGlassInput = {
  approvalId: string;
  decision: ApprovalDecision;
  by: Acting;
  approverGroup: string;
  reason: string;
  externalRef: string;
  ttlHours: number;
  reviewerGroups: readonly string[];
  now: Date;
};

/**
 * A break-glass approval (upstream §2.4): requested, approved and broken-glass by the same actor at once, with
 * its external reference, a TTL of at most 4 hours, and a follow-up review pending.
 */
export function breakGlassApproval(input: BreakGlassInput): Approval {
  const { by, reason, externalRef, now } = input;
  const at = formatTime(now);
  const base = newApproval({
    approvalId: input.approvalId,
    decision: input.decision,
    route: { approver_group: input.approverGroup, required_approvals: 1, routed_by: 'explicit', rule: null },
    routingSource: null,
    requestedBy: by.actor,
    now,
    ttlHours: input.ttlHours,
  });
  const vote: ApproverVote = {
    actor: by.actor,
    subject: by.subject,
    timestamp: at,
    reason,
    external_ref: externalRef,
  };
  const steps: HistoryEntry[] = (['approved', 'break_glass'] as const).map((event) => ({
    event,
    actor: by.actor,
    timestamp: at,
    reason,
    external_ref: externalRef,
  }));
  return {
    ...decided(
      { ...base, approvals: [vote], history: [...base.history, ...steps] },
      'break_glass',
      by.actor,
      reason,
      externalRef,
      at,
    ),
    break_glass: true,
    break_glass_reason: reason,
    review_state: 'review_pending',
    review: { state: 'review_pending', reviewer_groups: [...input.reviewerGroups] },
  };
}

/** A break-glass after its follow-up review. */
export function reviewBreakGlass(
  approval: Approval,
  actor: string,
  reason: string,
  externalRef: string | undefined,
  now: Date,
): Approval {
  const at = formatTime(now);
  const entry: HistoryEntry = { event: 'reviewed', actor, timestamp: at, reason, ...ref(externalRef) };
  return {
    ...approval,
    history: [...approval.history, entry],
    review_state: 'reviewed',
    review: {
      reviewer_groups: approval.review?.reviewer_groups ?? [],
      state: 'reviewed',
      reviewed_by: actor,
      reviewed_at: at,
      reason,
      ...ref(externalRef),
    },
  };
}

/** Upstream's attach-decision summary (§2.7). */
export type ApprovalSummary = {
  approval_id: string;
  decision_id: string;
  session_id: string | null;
  state: ApprovalState;
  approver_group: string;
  requested_by: string | null;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  external_ref: string | null;
  break_glass: boolean;
  evidence_refs: string[];
};

/** Upstream's attach-decision summary (§2.7) of an approval. */
export function approvalSummary(approval: Approval): ApprovalSummary {
  return {
    approval_id: approval.approval_id,
    decision_id: approval.decision_id,
    session_id: approval.session_id ?? null,
    state: approval.state,
    approver_group: approval.approver_group,
    requested_by: approval.requested_by ?? null,
    requested_at: approval.requested_at,
    expires_at: approval.expires_at,
    decided_by: approval.decided_by ?? null,
    decided_at: approval.decided_at ?? null,
    external_ref: approval.external_ref ?? null,
    break_glass: approval.break_glass === true,
    evidence_refs: [...approval.evidence_refs],
  };
}

/**
 * The evidence entry payload of one transition (entry kind `approval`, or `break_glass` for break-glass and
 * its review): who moved which approval from which state to which, why, and the progress of N-of-M approvals.
 */
export function transitionEvidence(
  approval: Approval,
  event: HistoryEvent,
  fromState: ApprovalState | null,
  by: Acting,
  reason: string | null,
  externalRef: string | undefined,
  at: string,
): JsonObject {
  const decision = approval.decision;
  return {
    schema_version: 'cavra.approval.transition.v1',
    approval_id: approval.approval_id,
    decision_id: approval.decision_id,
    session_id: approval.session_id ?? null,
    repository: approval.repository ?? null,
    approver_group: approval.approver_group,
    event,
    from_state: fromState,
    to_state: approval.state,
    actor: by.actor,
    subject: by.subject,
    reason,
    external_ref: externalRef ?? null,
    at,
    requested_by: approval.requested_by ?? null,
    expires_at: approval.expires_at,
    required_approvals: approval.required_approvals,
    approvals_recorded: approval.approvals.length,
    break_glass: approval.break_glass === true,
    review_state: approval.review_state ?? null,
    decision_summary: {
      rule_id: stringOr(decision['rule_id'], null),
      action_type: stringOr(decision['action_type'], null),
      target: stringOr(decision['target'], null),
      severity: stringOr(decision['severity'], null),
      decision: stringOr(decision['decision'], null),
    },
  };
}

function decided(
  approval: Approval,
  state: ApprovalState,
  actor: string,
  reason: string,
  externalRef: string | undefined,
  at: string,
): Approval {
  return {
    ...approval,
    state,
    decided_by: actor,
    decided_at: at,
    decision_reason: reason,
    ...(externalRef !== undefined && { external_ref: externalRef }),
  };
}

function ref(externalRef: string | undefined): { external_ref?: string } {
  return externalRef === undefined ? {} : { external_ref: externalRef };
}

function stringOr<T extends string | null>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
