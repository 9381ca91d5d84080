import { sql } from 'kysely';
import type { Decision } from '../engine';
import { decisionColumns } from './decision-columns';
import { recordDecisionInSession } from './sessions';
import type { DecisionsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, inTransaction, toCount, toJson } from './support';

/** The filters of `GET /decisions` (upstream §5.2); every one is an exact match. */
export type DecisionFilter = {
  session_id?: string;
  agent_id?: string;
  repository?: string;
  policy_pack?: string;
  decision?: string;
  severity?: string;
  action_type?: string;
};

/** The columns `GET /decisions` filters on by exact match, in this order. */
export const DECISION_FILTER_COLUMNS = [
  'session_id',
  'agent_id',
  'repository',
  'policy_pack',
  'decision',
  'severity',
  'action_type',
] as const satisfies readonly (keyof DecisionFilter & keyof DecisionsTable)[];

/** Columns `GET /decisions` sorts on (`sort=severity` ascending, `sort=-severity` descending). */
export const DECISION_SORT_KEYS = [
  'timestamp',
  'decision',
  'severity',
  'action_type',
  'target',
  'rule_id',
  'agent_id',
  'repository',
  'session_id',
] as const;

/** A sort order for {@link DecisionRepository.list}; ties break on `timestamp DESC, decision_id ASC`. */
export type DecisionSort = { by: (typeof DECISION_SORT_KEYS)[number]; direction: 'asc' | 'desc' };

/** Persisted decisions. */
export interface DecisionRepository {
  /**
   * Stores a decision and folds it into its session's summary, in one transaction. Idempotent: a decision id that
   * is already stored is left as it was and `false` is returned.
   */
  insert(decision: Decision): Promise<boolean>;
  /** The decision with this id, or null. */
  get(decisionId: string): Promise<Decision | null>;
  /**
   * Matching decisions, newest first (`timestamp DESC, decision_id ASC`) unless `sort` says otherwise (severity
   * sorts by rank, low → critical), paged (limit 1..500, default 50).
   */
  list(filter?: DecisionFilter, page?: PageRequest, sort?: DecisionSort): Promise<Page<Decision>>;
}

/** The decision repository over a store context. */
export function createDecisionRepository(ctx: StoreContext): DecisionRepository {
  return {
    insert: (decision) =>
      inTransaction(ctx, async (db) => {
        const result = await db
          .insertInto('decisions')
          .values(toDecisionRow(decision))
          .onConflict((oc) => oc.column('decision_id').doNothing())
          .executeTakeFirst();
        const inserted = (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
        if (inserted) await recordDecisionInSession({ db, dialect: ctx.dialect }, decision);
        return inserted;
      }),
    get: async (decisionId) => {
      const row = await ctx.db
        .selectFrom('decisions')
        .select('payload')
        .where('decision_id', '=', decisionId)
        .executeTakeFirst();
      return row ? fromJson<Decision>(row.payload) : null;
    },
    list: async (filter = {}, pageRequest, sort) => {
      const { limit, offset } = clampPage(pageRequest);
      let query = ctx.db.selectFrom('decisions');
      for (const column of DECISION_FILTER_COLUMNS) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      const counted = await query
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      let ordered = query.select('payload');
      if (sort !== undefined && !(sort.by === 'timestamp' && sort.direction === 'desc')) {
        ordered =
          sort.by === 'severity'
            ? ordered.orderBy(
                sql`case severity when 'low' then 0 when 'medium' then 1 when 'high' then 2 when 'critical' then 3 else -1 end`,
                sort.direction,
              )
            : ordered.orderBy(sort.by, sort.direction);
      }
      const rows = await ordered
        .orderBy('timestamp', 'desc')
        .orderBy('decision_id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute();
      return {
        items: rows.map((row) => fromJson<Decision>(row.payload)),
        total: toCount(counted?.total),
        limit,
        offset,
      };
    },
  };
}

/** The row of a decision: indexed copies of the filter columns and the whole decision as JSON text. */
export function toDecisionRow(decision: Decision): DecisionsTable {
  return { ...decisionColumns(decision), repository: decision.repository ?? null, payload: toJson(decision) };
}
