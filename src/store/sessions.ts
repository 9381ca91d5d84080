import type { Kysely } from 'kysely';
import type { Decision } from '../engine';
import type { Database, SessionsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, inTransaction, toCount, toJson } from './support';

/** Session states (upstream §4). */
export type SessionState = 'active' | 'completed' | 'failed' | 'archived';

/** A session summary (`cavra.session.v1` without schema_version/product, which the API adds). */
export type SessionSummary = {
  session_id: string;
  agent_id: string | null;
  actor: string | null;
  repository: string | null;
  policy_pack: string | null;
  state: SessionState;
  started_at: string;
  updated_at: string;
  decision_count: number;
  blocked_count: number;
  approval_required_count: number;
  /** Deduplicated union of the session's decisions' refs, in the order first seen. */
  evidence_refs: string[];
};

/** What `POST /sessions` may set; everything but the id is optional. */
export type SessionInput = Partial<Omit<SessionSummary, 'session_id'>> & { session_id: string };

/** The filters of `GET /sessions`; every one is an exact match. */
export type SessionFilter = {
  agent_id?: string;
  repository?: string;
  policy_pack?: string;
  state?: SessionState;
};

const FILTER_COLUMNS = [
  'agent_id',
  'repository',
  'policy_pack',
  'state',
] as const satisfies readonly (keyof SessionFilter & keyof SessionsTable)[];

/** Session summaries, kept up to date by every decision insert. */
export interface SessionRepository {
  /** The summary of this session, or null. */
  get(sessionId: string): Promise<SessionSummary | null>;
  /** Matching sessions, most recently updated first (`updated_at DESC, session_id ASC`), paged. */
  list(filter?: SessionFilter, page?: PageRequest): Promise<Page<SessionSummary>>;
  /**
   * Upserts a summary (`POST /sessions`). When the session has stored decisions, counts and timestamps are derived
   * from them; otherwise the input's, then the stored ones, then `now`. Evidence refs are merged, never dropped.
   */
  upsert(input: SessionInput): Promise<SessionSummary>;
}

/** The session repository over a store context; `now` fills timestamps a summary without decisions lacks. */
export function createSessionRepository(ctx: StoreContext, now: () => Date): SessionRepository {
  return {
    get: (sessionId) => read(ctx.db, sessionId),
    list: async (filter = {}, pageRequest) => {
      const { limit, offset } = clampPage(pageRequest);
      let query = ctx.db.selectFrom('sessions');
      for (const column of FILTER_COLUMNS) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      const counted = await query
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      const rows = await query
        .selectAll()
        .orderBy('updated_at', 'desc')
        .orderBy('session_id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute();
      return { items: rows.map(fromRow), total: toCount(counted?.total), limit, offset };
    },
    upsert: (input) =>
      inTransaction(ctx, async (db) => {
        await ctx.dialect.lock(db, 'session', input.session_id);
        const existing = await read(db, input.session_id);
        const derived = await deriveFromDecisions(db, input.session_id);
        const stamp = now().toISOString();
        const summary: SessionSummary = {
          session_id: input.session_id,
          agent_id: input.agent_id ?? existing?.agent_id ?? null,
          actor: input.actor ?? existing?.actor ?? null,
          repository: input.repository ?? existing?.repository ?? null,
          policy_pack: input.policy_pack ?? existing?.policy_pack ?? null,
          state: input.state ?? existing?.state ?? 'active',
          started_at: derived?.started_at ?? input.started_at ?? existing?.started_at ?? stamp,
          updated_at: derived?.updated_at ?? input.updated_at ?? existing?.updated_at ?? stamp,
          decision_count: derived?.decision_count ?? input.decision_count ?? existing?.decision_count ?? 0,
          blocked_count: derived?.blocked_count ?? input.blocked_count ?? existing?.blocked_count ?? 0,
          approval_required_count:
            derived?.approval_required_count ??
            input.approval_required_count ??
            existing?.approval_required_count ??
            0,
          evidence_refs: union(existing?.evidence_refs ?? [], input.evidence_refs ?? []),
        };
        await write(db, summary);
        return summary;
      }),
  };
}

/**
 * Folds one newly stored decision into its session's summary. Runs inside the decision's insert transaction and
 * takes the session lock, so concurrent inserts into one session never lose a count.
 */
export async function recordDecisionInSession(ctx: StoreContext, decision: Decision): Promise<void> {
  await ctx.dialect.lock(ctx.db, 'session', decision.session_id);
  const existing = await read(ctx.db, decision.session_id);
  const at = decision.timestamp;
  const summary: SessionSummary = {
    session_id: decision.session_id,
    agent_id: existing?.agent_id ?? decision.agent_id,
    actor: existing?.actor ?? decision.actor,
    repository: existing?.repository ?? decision.repository ?? null,
    policy_pack: existing?.policy_pack ?? decision.policy_pack,
    state: existing?.state ?? 'active',
    // A summary posted before its first decision carries caller timestamps; decisions replace them.
    started_at:
      existing && existing.decision_count > 0 && existing.started_at < at ? existing.started_at : at,
    updated_at:
      existing && existing.decision_count > 0 && existing.updated_at > at ? existing.updated_at : at,
    decision_count: (existing?.decision_count ?? 0) + 1,
    blocked_count: (existing?.blocked_count ?? 0) + (decision.decision === 'block' ? 1 : 0),
    approval_required_count:
      (existing?.approval_required_count ?? 0) + (decision.decision === 'require_approval' ? 1 : 0),
    evidence_refs: union(existing?.evidence_refs ?? [], decision.evidence_refs),
  };
  await write(ctx.db, summary);
}

type Derived = Pick<
  SessionSummary,
  'started_at' | 'updated_at' | 'decision_count' | 'blocked_count' | 'approval_required_count'
>;

async function read(db: Kysely<Database>, sessionId: string): Promise<SessionSummary | null> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

async function deriveFromDecisions(db: Kysely<Database>, sessionId: string): Promise<Derived | null> {
  const row = await db
    .selectFrom('decisions')
    .where('session_id', '=', sessionId)
    .select((eb) => [
      eb.fn.countAll<string | number>().as('decision_count'),
      eb.fn.min('timestamp').as('started_at'),
      eb.fn.max('timestamp').as('updated_at'),
      eb.fn
        .sum<string | number | null>(eb.case().when('decision', '=', 'block').then(1).else(0).end())
        .as('blocked'),
      eb.fn
        .sum<string | number | null>(
          eb.case().when('decision', '=', 'require_approval').then(1).else(0).end(),
        )
        .as('approval_required'),
    ])
    .executeTakeFirst();
  if (!row || toCount(row.decision_count) === 0) return null;
  return {
    started_at: row.started_at,
    updated_at: row.updated_at,
    decision_count: toCount(row.decision_count),
    blocked_count: toCount(row.blocked ?? 0),
    approval_required_count: toCount(row.approval_required ?? 0),
  };
}

async function write(db: Kysely<Database>, summary: SessionSummary): Promise<void> {
  const { session_id: _id, ...columns } = toRow(summary);
  await db
    .insertInto('sessions')
    .values(toRow(summary))
    .onConflict((oc) => oc.column('session_id').doUpdateSet(columns))
    .execute();
}

function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

function toRow(summary: SessionSummary): SessionsTable {
  return { ...summary, evidence_refs: toJson(summary.evidence_refs) };
}

function fromRow(row: SessionsTable): SessionSummary {
  return {
    ...row,
    state: row.state as SessionState,
    evidence_refs: fromJson<string[]>(row.evidence_refs),
  };
}
