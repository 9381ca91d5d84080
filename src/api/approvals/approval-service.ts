/**
 * Approvals over the store: every transition is one unit of work — read the approval, check who acts and what
 * state it is in, compare-and-set the new state (`approvals.update(…, expectedState)`), append the transition
 * to the evidence log — so concurrent deciders produce exactly one transition and the others a 409. After a
 * commit, notifications go out in the background (never on the response path) and a checkpoint is signed if
 * due. docs/decisions/0012-approvals.md.
 */
import type { Decision, JsonObject } from '../../engine';
import type { EntryKind, EvidenceEntry } from '../../evidence';
import type { ApprovalState, Store, StoreRepositories } from '../../store';
import type { Principal } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import type { EvidenceService } from '../evidence/evidence-service';
import { ApprovalNotifier, type DeliveryResult } from '../notifications/notifier';
import type { NotificationProvider } from '../notifications/payloads';
import type { NotificationConfig } from '../notifications/provider-config';
import {
  breakGlassApproval,
  closeApproval,
  formatTime,
  isPastDeadline,
  newApproval,
  recordApproval,
  reviewBreakGlass,
  transitionEvidence,
  type Acting,
  type Approval,
  type ApprovalDecision,
  type HistoryEvent,
  type NewApproval,
} from './approval-record';
import {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_REVIEW_GROUPS,
  canBreakGlass,
  canDecideApproval,
  canReviewBreakGlass,
  isSameIdentity,
  type ApprovalAction,
} from './permissions';
import { DEFAULT_APPROVAL_ROUTING, routeDecision, type ApprovalRouting } from './routing';

/** Default time-to-live of an approval request (upstream: 24 h). */
export const DEFAULT_TTL_HOURS = 24;
/** The longest break-glass (enterprise identity contract: 4 h or less). */
export const MAX_BREAK_GLASS_TTL_HOURS = 4;
/** The longest ordinary approval request. */
export const MAX_TTL_HOURS = 24 * 30;
/** The actor of transitions nobody made (expiry). */
export const SYSTEM_ACTOR: Acting = { actor: 'system', subject: null };

/** The approval settings of an app (`ApiDeps.approvals`); every field is optional. */
export type ApprovalDeps = {
  /** Routing rules (`CAVRA_APPROVAL_ROUTING_FILE`); default upstream's built-in rules. */
  routing?: ApprovalRouting;
  /** Notification providers (`CAVRA_APPROVAL_PROVIDER_CONFIG`); default none. */
  notifications?: NotificationConfig;
  /** The `fetch` deliveries use; default the global one. */
  fetch?: typeof fetch;
  /** Waits between delivery retries; default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Time-to-live of new approval requests, in hours; default 24. */
  defaultTtlHours?: number;
};

/** What the service runs on. */
export type ApprovalServiceOptions = {
  store: Store;
  evidence: EvidenceService;
  clock: () => Date;
  randomHex12: () => string;
  routing: ApprovalRouting;
  notifier: ApprovalNotifier | null;
  defaultTtlHours: number;
  onBackgroundError: (error: unknown) => void;
};

/** A request to create an approval. */
export type CreateApproval = {
  decision: ApprovalDecision;
  approverGroup?: string;
  requestedBy: string;
  ttlHours?: number;
  /** Overrides the clock (the demo seed scripts its timeline). */
  now?: Date;
  /** No notifications for this transition (the demo seed must not message real providers). */
  isSilent?: boolean;
};

/** A decision on an approval (approve, deny, expire). */
export type DecideInput = { reason: string; externalRef?: string; now?: Date; isSilent?: boolean };

/** A break-glass request. */
export type BreakGlassRequest = {
  decision: ApprovalDecision;
  reason: string;
  externalRef: string;
  ttlHours?: number;
  now?: Date;
  isSilent?: boolean;
};

/** What a sweep did. */
export type SweepReport = { expired: string[] };

const ACTIONS = { approve: 'approved', deny: 'denied', expire: 'expired' } as const satisfies Record<
  string,
  ApprovalAction
>;

/** The approvals of one app. */
export class ApprovalService {
  readonly #options: ApprovalServiceOptions;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: ApprovalServiceOptions) {
    this.#options = options;
  }

  /** The routing in force. */
  get routing(): ApprovalRouting {
    return this.#options.routing;
  }

  /** The notifier, or null when no providers are configured. */
  get notifier(): ApprovalNotifier | null {
    return this.#options.notifier;
  }

  /** The approval with this id, or null. */
  async get(approvalId: string): Promise<Approval | null> {
    return (await this.#options.store.approvals.get(approvalId)) as Approval | null;
  }

  /**
   * Stores a `require_approval` decision together with the approval it asks for (requested by the decision's
   * actor, routed by the routing rules): the decision, its session summary, its log entry, the approval and the
   * approval's `requested` entry are one unit of work, one commit (docs/decisions/0026-api-decision-path.md).
   * Null (reported) when no approver group resolves: the decision is then stored alone and stays
   * `require_approval` with nobody able to approve it.
   * @throws ApiError 409 when a decision with this id is already stored (nothing is written).
   */
  async recordDecision(decision: Decision, now?: Date): Promise<Approval | null> {
    const route = routeDecision(routable(decision), this.#options.routing);
    if (route === undefined) {
      await this.#options.evidence.recordDecision(decision);
      this.#options.onBackgroundError(unroutable());
      return null;
    }
    // No approval can exist for this decision yet: its id was minted by the engine for this request (`POST
    // /approvals` with a `decision` object can only name decisions decided before, e.g. by `/evaluate`).
    //
    // The clock is read as when these were three steps: the decision's `recorded_at`, the approval's time, the
    // approval entry's `recorded_at`.
    const recordedAt = this.#options.clock().toISOString();
    const at = now ?? this.#options.clock();
    const approval = newApproval({
      approvalId: `apr_${this.#options.randomHex12()}`,
      decision,
      route,
      requestedBy: decision.actor,
      now: at,
      routingSource: this.#options.routing.source,
      ttlHours: this.#options.defaultTtlHours,
    });
    const by = actingAs(decision.actor);
    // The decision, its approval and the approval's `requested` entry commit together, group-committed with the
    // other appends in flight (docs/decisions/0026-api-decision-path.md).
    const [, entry] = await this.#options.evidence.recordDecisionFollowedBy(decision, recordedAt, {
      kind: 'approval',
      payload: transitionEvidence(approval, 'requested', null, by, null, undefined, formatTime(at)),
      recordedAt: this.#options.clock().toISOString(),
      approval,
    });
    this.#afterCommit(approval, 'requested', false, entry);
    return approval;
  }

  /**
   * Creates a pending approval, routed by the routing rules.
   * @throws ApiError 400 when no approver group resolves; 409 when the decision already has a pending approval.
   */
  async create(input: CreateApproval): Promise<Approval> {
    const { decision } = input;
    const now = input.now ?? this.#options.clock();
    const approvalId = `apr_${this.#options.randomHex12()}`;
    const created = await this.#options.store.transaction(async (tx) => {
      const existing = await pendingApproval(tx, decision.decision_id);
      if (existing !== null) {
        throw new ApiError(
          409,
          'approval_exists',
          `decision '${decision.decision_id}' already has a pending approval (${existing.approval_id}): decide that one`,
        );
      }
      const route = routeDecision(routable(decision), this.#options.routing, input.approverGroup);
      if (route === undefined) throw unroutable();
      return this.#insertRequested(tx, {
        approvalId,
        decision,
        route,
        requestedBy: input.requestedBy,
        now,
        ...(input.ttlHours !== undefined && { ttlHours: input.ttlHours }),
      });
    });
    this.#afterCommit(created.approval, 'requested', input.isSilent, created.entry);
    return created.approval;
  }

  /** Inside a unit of work: stores a new pending approval and logs its `requested` transition. */
  async #insertRequested(
    tx: StoreRepositories,
    input: Omit<NewApproval, 'routingSource' | 'ttlHours'> & { ttlHours?: number },
  ): Promise<{ approval: Approval; entry: EvidenceEntry }> {
    const approval = newApproval({
      ...input,
      routingSource: this.#options.routing.source,
      ttlHours: input.ttlHours ?? this.#options.defaultTtlHours,
    });
    if (!(await tx.approvals.create(approval))) {
      throw new ApiError(409, 'approval_exists', `approval '${approval.approval_id}' already exists`);
    }
    const by = actingAs(input.requestedBy);
    const entry = await this.#log(
      tx,
      'approval',
      approval,
      'requested',
      null,
      by,
      null,
      undefined,
      input.now,
    );
    return { approval, entry };
  }

  /**
   * Approves, denies or expires a pending approval as `principal`.
   * @throws ApiError 404 unknown; 403 not authorised, or approving one's own request; 409 not pending, expired
   * (it is moved to `expired` first), already approved by this approver, or another decision won the race.
   */
  async decide(
    approvalId: string,
    kind: keyof typeof ACTIONS,
    principal: Principal,
    input: DecideInput,
  ): Promise<Approval> {
    const action = ACTIONS[kind];
    const by: Acting = { actor: principal.actor.actor, subject: principal.actor.subject };
    const now = input.now ?? this.#options.clock();
    const outcome = await this.#options.store.transaction(async (tx) => {
      const approval = await this.#load(tx, approvalId);
      if (!canDecideApproval(principal, approval, action)) {
        throw new ApiError(
          403,
          'not_authorized',
          `${by.actor} may not ${kind} approvals of group '${approval.approver_group}'${approval.break_glass === true ? ` (break-glass approvals need ${BREAK_GLASS_GROUP})` : ''}`,
        );
      }
      assertPending(approval);
      if (action !== 'expired' && isPastDeadline(approval, now)) {
        const expired = await this.#expire(tx, approval, SYSTEM_ACTOR, expiryReason(approval), now);
        return { approval: expired, event: 'expired' as const, isLate: true, entry: undefined };
      }
      if (action === 'approved') {
        if (isSameIdentity(principal, await requesterIdentities(tx, approval))) {
          throw new ApiError(
            403,
            'self_approval_forbidden',
            `${by.actor} requested this action (or owns the agent that did) and may not approve it: another member of '${approval.approver_group}' must`,
          );
        }
        if (approval.approvals.some((vote) => isSameIdentity(principal, [vote.actor, vote.subject]))) {
          throw new ApiError(
            409,
            'already_approved_by_actor',
            `${by.actor} has already approved this request; it needs ${approval.required_approvals} distinct approvers (${approval.approvals.length} so far)`,
          );
        }
      }
      const next =
        action === 'approved'
          ? recordApproval(approval, by, input.reason, input.externalRef, now)
          : closeApproval(approval, action, by.actor, input.reason, input.externalRef, now);
      await this.#update(tx, next, 'pending');
      const event = next.history.at(-1)?.event ?? action;
      const entry = await this.#log(
        tx,
        'approval',
        next,
        event,
        'pending',
        by,
        input.reason,
        input.externalRef,
        now,
      );
      return { approval: next, event, isLate: false, entry };
    });
    this.#afterCommit(outcome.approval, outcome.event, input.isSilent, outcome.entry);
    if (outcome.isLate) {
      throw new ApiError(
        409,
        'approval_expired',
        `approval '${approvalId}' expired at ${outcome.approval.expires_at} before it was decided; it is now expired: request a new approval`,
      );
    }
    return outcome.approval;
  }

  /**
   * Opens a break-glass approval: Change Advisory Board only, with a reason, an external reference and a TTL
   * of at most 4 hours; it starts a follow-up review (`review_pending`).
   * @throws ApiError 403 outside the Change Advisory Board; 400 for a TTL over 4 h.
   */
  async breakGlass(principal: Principal, input: BreakGlassRequest): Promise<Approval> {
    if (!canBreakGlass(principal)) {
      throw new ApiError(
        403,
        'break_glass_forbidden',
        `${principal.actor.actor} is not in '${BREAK_GLASS_GROUP}': only its members may break glass`,
      );
    }
    const ttlHours = input.ttlHours ?? MAX_BREAK_GLASS_TTL_HOURS;
    if (ttlHours > MAX_BREAK_GLASS_TTL_HOURS) {
      throw new ApiError(
        400,
        'break_glass_ttl_too_long',
        `ttl_hours must be at most ${MAX_BREAK_GLASS_TTL_HOURS} for break-glass`,
        {
          field: 'ttl_hours',
        },
      );
    }
    const by: Acting = { actor: principal.actor.actor, subject: principal.actor.subject };
    const now = input.now ?? this.#options.clock();
    const approval = breakGlassApproval({
      approvalId: `apr_${this.#options.randomHex12()}`,
      decision: input.decision,
      by,
      approverGroup: BREAK_GLASS_GROUP,
      reason: input.reason,
      externalRef: input.externalRef,
      ttlHours,
      reviewerGroups: BREAK_GLASS_REVIEW_GROUPS,
      now,
    });
    const entry = await this.#options.store.transaction(async (tx) => {
      if (!(await tx.approvals.create(approval))) {
        throw new ApiError(409, 'approval_exists', `approval '${approval.approval_id}' already exists`);
      }
      return this.#log(
        tx,
        'break_glass',
        approval,
        'break_glass',
        null,
        by,
        input.reason,
        input.externalRef,
        now,
      );
    });
    this.#afterCommit(approval, 'break_glass', input.isSilent, entry);
    return approval;
  }

  /**
   * Closes the follow-up review of a break-glass (`review_pending` → `reviewed`).
   * @throws ApiError 404; 403 outside the review groups, or reviewing one's own break-glass; 409 when the
   * approval is not a break-glass or is already reviewed.
   */
  async review(approvalId: string, principal: Principal, input: DecideInput): Promise<Approval> {
    const by: Acting = { actor: principal.actor.actor, subject: principal.actor.subject };
    const now = input.now ?? this.#options.clock();
    const { reviewed, entry } = await this.#options.store.transaction(async (tx) => {
      const approval = await this.#load(tx, approvalId);
      if (approval.state !== 'break_glass') {
        throw new ApiError(
          409,
          'not_break_glass',
          `approval '${approvalId}' is ${approval.state}: only break-glass approvals are reviewed`,
        );
      }
      if (!canReviewBreakGlass(principal)) {
        throw new ApiError(
          403,
          'not_authorized',
          `${by.actor} may not review break-glass approvals: that needs ${BREAK_GLASS_REVIEW_GROUPS.join(' or ')}`,
        );
      }
      if (isSameIdentity(principal, [approval.decided_by, approval.requested_by])) {
        throw new ApiError(
          403,
          'self_review_forbidden',
          `${by.actor} broke the glass and may not review it: another reviewer must`,
        );
      }
      if (approval.review_state !== 'review_pending') {
        throw new ApiError(
          409,
          'already_reviewed',
          `approval '${approvalId}' was already reviewed by ${approval.review?.reviewed_by ?? 'someone'}`,
        );
      }
      const next = reviewBreakGlass(approval, by.actor, input.reason, input.externalRef, now);
      await this.#update(tx, next, 'break_glass');
      const entry = await this.#log(
        tx,
        'break_glass',
        next,
        'reviewed',
        'break_glass',
        by,
        input.reason,
        input.externalRef,
        now,
      );
      return { reviewed: next, entry };
    });
    this.#afterCommit(reviewed, 'reviewed', input.isSilent, entry);
    return reviewed;
  }

  /** Expires every pending approval whose deadline is at or before `now`, as `system`. */
  async sweepExpired(now: Date = this.#options.clock(), isSilent = false): Promise<SweepReport> {
    const expired: string[] = [];
    for (;;) {
      const due = await this.#options.store.approvals.listExpired(formatTime(now), 100);
      let changed = 0;
      for (const candidate of due) {
        const approval = await this.#options.store.transaction(async (tx) => {
          const current = (await tx.approvals.get(candidate.approval_id)) as Approval | null;
          // Someone decided it since the list was read: nothing to do.
          if (current === null || current.state !== 'pending' || !isPastDeadline(current, now)) return null;
          return this.#expire(tx, current, SYSTEM_ACTOR, expiryReason(current), now);
        });
        if (approval === null) continue;
        changed += 1;
        expired.push(approval.approval_id);
        this.#afterCommit(approval, 'expired', isSilent);
      }
      if (due.length < 100 || changed === 0) return { expired };
    }
  }

  /**
   * Sends the approval as it is now to the configured providers (all, or one) and waits for the outcome.
   * @throws ApiError 404; 400 when notifications are not configured or the provider is not.
   */
  async deliver(
    approvalId: string,
    options: { provider?: string; retries?: number; timeoutMs?: number },
  ): Promise<DeliveryResult> {
    const approval = await this.get(approvalId);
    if (approval === null) throw notFound(approvalId);
    const notifier = this.#options.notifier;
    if (notifier === null) {
      throw new ApiError(
        400,
        'notifications_not_configured',
        'approval notifications are not configured: set CAVRA_APPROVAL_PROVIDER_CONFIG to a provider file',
      );
    }
    const provider = options.provider ?? 'all';
    if (provider !== 'all' && !notifier.providers.includes(provider as NotificationProvider)) {
      throw new ApiError(400, 'provider_not_configured', `provider '${provider}' is not configured`, {
        field: 'provider',
        choices: ['all', ...notifier.providers],
      });
    }
    return notifier.deliver(approval, {
      event: 'manual',
      ...(provider !== 'all' && { providers: [provider as NotificationProvider] }),
      ...(options.retries !== undefined && { retries: options.retries }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
  }

  /** Resolves once every background notification started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #load(tx: StoreRepositories, approvalId: string): Promise<Approval> {
    const approval = (await tx.approvals.get(approvalId)) as Approval | null;
    if (approval === null) throw notFound(approvalId);
    return approval;
  }

  async #update(tx: StoreRepositories, next: Approval, expected: ApprovalState): Promise<void> {
    if (!(await tx.approvals.update(next, expected))) {
      throw new ApiError(
        409,
        'approval_conflict',
        `approval '${next.approval_id}' was changed by another request: reload it`,
      );
    }
  }

  async #expire(
    tx: StoreRepositories,
    approval: Approval,
    by: Acting,
    reason: string,
    now: Date,
  ): Promise<Approval> {
    const next = closeApproval(approval, 'expired', by.actor, reason, undefined, now);
    await this.#update(tx, next, 'pending');
    await this.#log(tx, 'approval', next, 'expired', 'pending', by, reason, undefined, now);
    return next;
  }

  async #log(
    tx: StoreRepositories,
    kind: Extract<EntryKind, 'approval' | 'break_glass'>,
    approval: Approval,
    event: HistoryEvent,
    fromState: ApprovalState | null,
    by: Acting,
    reason: string | null,
    externalRef: string | undefined,
    now: Date,
  ): Promise<EvidenceEntry> {
    const at = formatTime(now);
    const payload: JsonObject = transitionEvidence(approval, event, fromState, by, reason, externalRef, at);
    return tx.evidence.append(kind, payload, this.#options.clock().toISOString());
  }

  /**
   * After a commit: a checkpoint if one is due, and notifications, both off the response path. `logged` is the
   * transition's entry: the log holds at least `sequence + 1` entries (without it the log is counted).
   */
  #afterCommit(approval: Approval, event: HistoryEvent, isSilent = false, logged?: EvidenceEntry): void {
    const { evidence, notifier, onBackgroundError } = this.#options;
    this.#track(evidence.checkpointIfDue(logged && logged.sequence + 1).catch(onBackgroundError));
    if (!isSilent && notifier !== null && notifier.wants(event)) {
      this.#track(notifier.deliver(approval, { event }).catch(onBackgroundError));
    }
  }

  #track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }
}

/**
 * Whoever may not approve: the requester, the decision's actor, and the registered owner of the decision's
 * agent (registry `owner`; upstream's placeholder `unassigned` is nobody).
 */
async function requesterIdentities(tx: StoreRepositories, approval: Approval): Promise<string[]> {
  const decision = approval.decision;
  const identities = [approval.requested_by, decision['actor']].filter(
    (v): v is string => typeof v === 'string',
  );
  const agentId = decision['agent_id'];
  if (typeof agentId === 'string' && agentId !== '') {
    const owner = (await tx.registry.agents.get(agentId))?.owner;
    if (typeof owner === 'string' && owner !== '' && owner !== 'unassigned') identities.push(owner);
  }
  return identities;
}

function assertPending(approval: Approval): void {
  if (approval.state !== 'pending') {
    throw new ApiError(
      409,
      'approval_not_pending',
      `approval '${approval.approval_id}' is ${approval.state}${approval.decided_by ? ` (by ${approval.decided_by})` : ''}: only pending approvals can be changed`,
    );
  }
}

function expiryReason(approval: Approval): string {
  return `approval expired: not decided before ${approval.expires_at}`;
}

function unroutable(): ApiError {
  return new ApiError(
    400,
    'approver_group_required',
    'no approver group applies to this decision: pass approver_group, or add a routing rule that matches it',
    { field: 'approver_group' },
  );
}

/** The decision's pending approval, if it has one. */
async function pendingApproval(tx: StoreRepositories, decisionId: string): Promise<Approval | null> {
  const open = await tx.approvals.list({ decision_id: decisionId, state: 'pending' }, { limit: 1 });
  return (open.items[0] as Approval | undefined) ?? null;
}

function notFound(approvalId: string): ApiError {
  return new ApiError(404, 'approval_not_found', `approval '${approvalId}' not found`);
}

function actingAs(actor: string): Acting {
  return { actor, subject: null };
}

/** The routing view of a decision object (missing fields match no rule that names them). */
function routable(decision: ApprovalDecision) {
  const text = (key: string): string | undefined => {
    const value = decision[key];
    return typeof value === 'string' ? value : undefined;
  };
  const severity = text('severity');
  return {
    rule_id: text('rule_id') ?? '',
    target: text('target') ?? '',
    severity:
      severity === 'low' || severity === 'medium' || severity === 'high' || severity === 'critical'
        ? severity
        : 'medium',
    approver_group: text('approver_group') ?? null,
    ...(text('action_type') !== undefined && { action_type: text('action_type') }),
    ...(text('policy_pack') !== undefined && { policy_pack: text('policy_pack') }),
    ...(text('repository') !== undefined && { repository: text('repository') }),
  } as const;
}

/** The approval service of an app built from `deps` (its notifier when providers are configured). */
export function createApprovalService(
  deps: ApiDeps,
  evidence: EvidenceService,
  onBackgroundError: (error: unknown) => void,
): ApprovalService {
  const settings = deps.approvals ?? {};
  const fetcher = settings.fetch ?? ((input, init) => fetch(input, init));
  const notifier =
    settings.notifications === undefined
      ? null
      : new ApprovalNotifier({
          config: settings.notifications,
          store: deps.store,
          fetch: fetcher,
          clock: deps.clock,
          randomHex12: deps.randomHex12,
          crypto: deps.evidence.crypto,
          ...(settings.sleep !== undefined && { sleep: settings.sleep }),
        });
  return new ApprovalService({
    store: deps.store,
    evidence,
    clock: deps.clock,
    randomHex12: deps.randomHex12,
    routing: settings.routing ?? DEFAULT_APPROVAL_ROUTING,
    notifier,
    defaultTtlHours: settings.defaultTtlHours ?? DEFAULT_TTL_HOURS,
    onBackgroundError,
  });
}

/**
 * Expires every pending approval past its deadline at `now` (the server runs this on an interval; it is safe
 * to run from several processes at once: each approval is expired once, the others find it decided).
 */
export function sweepExpiredApprovals(deps: { approvals: ApprovalService }, now: Date): Promise<SweepReport> {
  return deps.approvals.sweepExpired(now);
}
