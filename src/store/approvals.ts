import type { ApprovalsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, optionalString, toCount, toJson } from './support';

/** Approval states (upstream §2.2); every state but `pending` is terminal. */
export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired' | 'break_glass';

/** Every approval state, for validation. */
export const APPROVAL_STATES: readonly ApprovalState[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'break_glass',
];

/**
 * An approval (`cavra.approval.v1`) as the store sees it: the fields it indexes are typed, the rest (embedded
 * decision, history, evidence refs …) is kept as given and returned as stored.
 */
export type ApprovalRecord = {
  approval_id: string;
  decision_id: string;
  session_id?: string | null;
  state: ApprovalState;
  approver_group: string;
  requested_by?: string | null;
  requested_at: string;
  expires_at: string;
  decided_by?: string | null;
  decided_at?: string | null;
  external_ref?: string | null;
  break_glass?: boolean;
  /** The decision's repository (indexed since migration 0004). */
  repository?: string | null;
  /** Break-glass follow-up review state (`review_pending`, `reviewed`); absent for ordinary approvals. */
  review_state?: string | null;
  [field: string]: unknown;
};

/** The filters of `GET /approvals` (plus decision and session, for linkage); exact matches. */
export type ApprovalFilter = {
  state?: ApprovalState;
  approver_group?: string;
  decision_id?: string;
  session_id?: string;
  repository?: string;
  review_state?: string;
};

const FILTER_COLUMNS = [
  'state',
  'approver_group',
  'decision_id',
  'session_id',
  'repository',
  'review_state',
] as const satisfies readonly (keyof ApprovalFilter & keyof ApprovalsTable)[];

/** Approvals. State transitions are the caller's rules; the store makes them atomic. */
export interface ApprovalRepository {
  /** Stores a new approval; `false` when the id exists (the stored one is kept). */
  create(approval: ApprovalRecord): Promise<boolean>;
  /** The approval with this id, or null. */
  get(approvalId: string): Promise<ApprovalRecord | null>;
  /** Matching approvals, newest request first (`requested_at DESC, approval_id ASC`), paged. */
  list(filter?: ApprovalFilter, page?: PageRequest): Promise<Page<ApprovalRecord>>;
  /**
   * Replaces an approval only if its stored state is still `expectedState` (compare-and-set), so two approvers
   * racing on one pending request cannot both win. `false` when it is missing or its state moved on.
   */
  update(approval: ApprovalRecord, expectedState: ApprovalState): Promise<boolean>;
  /**
   * Pending approvals whose `expires_at` is at or before `now` (same text form: ISO-8601 UTC as the API writes
   * it), oldest deadline first, at most `limit` (default 100): what the expiry sweeper works through.
   */
  listExpired(now: string, limit?: number): Promise<ApprovalRecord[]>;
}

/** The approval repository over a store context. */
export function createApprovalRepository(ctx: StoreContext): ApprovalRepository {
  return {
    create: async (approval) => {
      const result = await ctx.db
        .insertInto('approvals')
        .values(approvalRow(approval))
        .onConflict((oc) => oc.column('approval_id').doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    get: async (approvalId) => {
      const row = await ctx.db
        .selectFrom('approvals')
        .select('payload')
        .where('approval_id', '=', approvalId)
        .executeTakeFirst();
      return row ? fromJson<ApprovalRecord>(row.payload) : null;
    },
    list: async (filter = {}, pageRequest) => {
      const { limit, offset } = clampPage(pageRequest);
      let query = ctx.db.selectFrom('approvals');
      for (const column of FILTER_COLUMNS) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      const counted = await query
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      const rows = await query
        .select('payload')
        .orderBy('requested_at', 'desc')
        .orderBy('approval_id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute();
      return {
        items: rows.map((row) => fromJson<ApprovalRecord>(row.payload)),
        total: toCount(counted?.total),
        limit,
        offset,
      };
    },
    update: async (approval, expectedState) => {
      const { approval_id, ...columns } = approvalRow(approval);
      const result = await ctx.db
        .updateTable('approvals')
        .set(columns)
        .where('approval_id', '=', approval_id)
        .where('state', '=', expectedState)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    listExpired: async (now, limit = 100) => {
      const rows = await ctx.db
        .selectFrom('approvals')
        .select('payload')
        .where('state', '=', 'pending')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .orderBy('approval_id')
        .limit(clampPage({ limit }).limit)
        .execute();
      return rows.map((row) => fromJson<ApprovalRecord>(row.payload));
    },
  };
}

/** The row of an approval (its columns and JSON); throws for a state the store does not know. */
export function approvalRow(approval: ApprovalRecord): ApprovalsTable {
  if (!APPROVAL_STATES.includes(approval.state)) {
    throw new Error(`unsupported approval state: ${approval.state}`);
  }
  return {
    approval_id: approval.approval_id,
    decision_id: approval.decision_id,
    session_id: optionalString(approval.session_id),
    state: approval.state,
    approver_group: approval.approver_group,
    requested_by: optionalString(approval.requested_by),
    requested_at: approval.requested_at,
    expires_at: approval.expires_at,
    decided_by: optionalString(approval.decided_by),
    decided_at: optionalString(approval.decided_at),
    external_ref: optionalString(approval.external_ref),
    break_glass: approval.break_glass === true ? 1 : 0,
    repository: optionalString(approval.repository),
    review_state: optionalString(approval.review_state),
    payload: toJson(approval),
  };
}
