import type { Kysely } from 'kysely';
import type { Decision } from '../engine';
import type { SessionState } from '../evidence';
import type { Database, SessionsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, inTransaction, toCount, toJson } from './support';

/**
 * A stored session summary: upstream `cavra.session.v1` fields plus `decision_counts` (as the evidence layer's
 * `summarizeSession` computes them), kept up to date on every decision insert instead of re-derived on read.
 * Identity fields no decision or caller provided are null; the API applies `SESSION_DEFAULTS`.
 */
export type SessionRecord = {
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
  /** Deduplicated union of the session's decisions' refs, in the order first stored. */
  evidence_refs: string[];
  /** Decisions per outcome (`allow`, `block`, `require_approval` …). */
  decision_counts: Record<string, number>;
};

/** What `POST /sessions` may set. Counts and times are the decisions' once the session has any. */
export type SessionInput = Partial<Omit<SessionRecord, 'session_id' | 'decision_counts'>> & {
  session_id: string;
};

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
  get(sessionId: string): Promise<SessionRecord | null>;
  /** Matching sessions, most recently updated first (`updated_at DESC, session_id ASC`), paged. */
  list(filter?: SessionFilter, page?: PageRequest): Promise<Page<SessionRecord>>;
  /**
   * Upserts a summary (`POST /sessions`; the only way to change `state`). When the session has stored decisions,
   * counts, times and refs are derived from them; otherwise the input's, then the stored ones, then `now`.
   */
  upsert(input: SessionInput): Promise<SessionRecord>;
}

/** The session repository over a store context; `now` fills timestamps a summary without decisions lacks. */
export function createSessionRepository(ctx: StoreContext, now: () => Date): SessionRepository {
  return {
    get: async (sessionId) => {
      const record = await read(ctx.db, sessionId);
      return record === null ? null : ((await withDecisionRefs(ctx.db, [record]))[0] ?? null);
    },
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
      const items = await withDecisionRefs(ctx.db, rows.map(fromRow));
      return { items, total: toCount(counted?.total), limit, offset };
    },
    upsert: (input) =>
      inTransaction(ctx, async (db) => {
        await ctx.dialect.lock(db, 'session', input.session_id);
        const existing = await read(db, input.session_id);
        const derived = await deriveFromDecisions(db, input.session_id);
        const stamp = now().toISOString();
        const record: SessionRecord = {
          session_id: input.session_id,
          agent_id: input.agent_id ?? existing?.agent_id ?? null,
          actor: input.actor ?? existing?.actor ?? null,
          repository: input.repository ?? existing?.repository ?? null,
          policy_pack: input.policy_pack ?? existing?.policy_pack ?? null,
          state: input.state ?? existing?.state ?? 'active',
          started_at: input.started_at ?? existing?.started_at ?? stamp,
          updated_at: input.updated_at ?? existing?.updated_at ?? stamp,
          decision_count: input.decision_count ?? existing?.decision_count ?? 0,
          blocked_count: input.blocked_count ?? existing?.blocked_count ?? 0,
          approval_required_count: input.approval_required_count ?? existing?.approval_required_count ?? 0,
          evidence_refs: input.evidence_refs ?? existing?.evidence_refs ?? [],
          decision_counts: existing?.decision_counts ?? {},
          // INVARIANT: counts and times come from the decisions, never from a client's claim, once there are any.
          ...(derived === null ? {} : { ...derived, evidence_refs: [] }),
        };
        await write(db, record);
        return derived === null ? record : ((await withDecisionRefs(db, [record]))[0] ?? record);
      }),
  };
}

/**
 * Folds one newly stored decision into its session's summary. Runs inside the decision's insert transaction and
 * takes the session lock, so concurrent inserts into one session never lose a count.
 */
export function recordDecisionInSession(ctx: StoreContext, decision: Decision): Promise<void> {
  return recordDecisionsInSessions(ctx, [decision]);
}

/** What a session summary takes from each of its decisions. */
export type SessionDecision = Pick<
  Decision,
  'session_id' | 'agent_id' | 'actor' | 'repository' | 'policy_pack' | 'timestamp' | 'decision'
>;

/**
 * Folds newly stored decisions (in the order they were stored) into their sessions' summaries: one lock, one
 * read and one write per session however many of its decisions the batch holds. The result is the same as
 * folding them one at a time. Sessions are locked in id order, so two batches cannot deadlock each other.
 */
export async function recordDecisionsInSessions(
  ctx: StoreContext,
  decisions: readonly SessionDecision[],
): Promise<void> {
  const bySession = new Map<string, SessionDecision[]>();
  for (const decision of decisions) {
    const list = bySession.get(decision.session_id);
    if (list === undefined) bySession.set(decision.session_id, [decision]);
    else list.push(decision);
  }
  for (const sessionId of [...bySession.keys()].sort()) {
    await ctx.dialect.lock(ctx.db, 'session', sessionId);
    const existing = await read(ctx.db, sessionId);
    await write(ctx.db, foldDecisions(existing, bySession.get(sessionId) ?? []));
  }
}

/**
 * The summary after `decisions` (of one session, in order), as if folded one at a time: identity fields and
 * state are kept once set, times and counts come from the decisions.
 *
 * INVARIANT: a session with decisions stores no refs (`evidence_refs` is `[]` in its row): its refs are its
 * decisions' refs, read from the decisions table when a summary is read ({@link withDecisionRefs}). Storing the
 * growing union here made every decision rewrite the whole list — quadratic in the session's length.
 */
function foldDecisions(existing: SessionRecord | null, decisions: readonly SessionDecision[]): SessionRecord {
  // A summary posted before its first decision carries caller times, counts and refs; decisions replace them.
  const prior = existing !== null && existing.decision_count > 0 ? existing : null;
  let record: SessionRecord | null = existing;
  const counts: Record<string, number> = { ...prior?.decision_counts };
  for (const decision of decisions) {
    const at = decision.timestamp;
    const previous = record !== null && record.decision_count > 0 ? record : null;
    counts[decision.decision] = (counts[decision.decision] ?? 0) + 1;
    record = {
      session_id: decision.session_id,
      agent_id: record?.agent_id ?? decision.agent_id,
      actor: record?.actor ?? decision.actor,
      repository: record?.repository ?? decision.repository ?? null,
      policy_pack: record?.policy_pack ?? decision.policy_pack,
      state: record?.state ?? 'active',
      started_at: previous !== null && previous.started_at < at ? previous.started_at : at,
      updated_at: previous !== null && previous.updated_at > at ? previous.updated_at : at,
      decision_count: (previous?.decision_count ?? 0) + 1,
      blocked_count: counts.block ?? 0,
      approval_required_count: counts.require_approval ?? 0,
      evidence_refs: [],
      decision_counts: counts,
    };
  }
  if (record === null) throw new Error('foldDecisions: no decisions');
  return { ...record, decision_counts: { ...counts }, evidence_refs: [] };
}

type Derived = Pick<
  SessionRecord,
  | 'started_at'
  | 'updated_at'
  | 'decision_count'
  | 'blocked_count'
  | 'approval_required_count'
  | 'decision_counts'
>;

async function read(db: Kysely<Database>, sessionId: string): Promise<SessionRecord | null> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/**
 * Fills `evidence_refs` of summaries that have decisions: the deduplicated union of their decisions' refs, in
 * the order the decisions were made (`timestamp`, then id). Summaries without decisions keep the refs a caller
 * posted. One query for the whole list.
 */
async function withDecisionRefs(
  db: Kysely<Database>,
  records: readonly SessionRecord[],
): Promise<SessionRecord[]> {
  const ids = records.filter((record) => record.decision_count > 0).map((record) => record.session_id);
  if (ids.length === 0) return [...records];
  const rows = await db
    .selectFrom('decisions')
    .where('session_id', 'in', ids)
    .select(['session_id', 'payload'])
    .orderBy('timestamp', 'asc')
    .orderBy('decision_id', 'asc')
    .execute();
  const refs = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  for (const row of rows) {
    const set = refs.get(row.session_id);
    for (const ref of fromJson<Pick<Decision, 'evidence_refs'>>(row.payload).evidence_refs) set?.add(ref);
  }
  return records.map((record) => {
    const set = refs.get(record.session_id);
    return set === undefined ? record : { ...record, evidence_refs: [...set] };
  });
}

async function deriveFromDecisions(db: Kysely<Database>, sessionId: string): Promise<Derived | null> {
  const rows = await db
    .selectFrom('decisions')
    .where('session_id', '=', sessionId)
    .select((eb) => [
      'decision',
      eb.fn.countAll<string | number>().as('count'),
      eb.fn.min('timestamp').as('first'),
      eb.fn.max('timestamp').as('last'),
    ])
    .groupBy('decision')
    .execute();
  if (rows.length === 0) return null;
  const counts = Object.fromEntries(rows.map((row) => [row.decision, toCount(row.count)]));
  return {
    started_at: rows.map((row) => row.first).reduce((a, b) => (b < a ? b : a)),
    updated_at: rows.map((row) => row.last).reduce((a, b) => (b > a ? b : a)),
    decision_count: Object.values(counts).reduce((a, b) => a + b, 0),
    blocked_count: counts.block ?? 0,
    approval_required_count: counts.require_approval ?? 0,
    decision_counts: counts,
  };
}

async function write(db: Kysely<Database>, record: SessionRecord): Promise<void> {
  const { session_id: _id, ...columns } = toRow(record);
  await db
    .insertInto('sessions')
    .values(toRow(record))
    .onConflict((oc) => oc.column('session_id').doUpdateSet(columns))
    .execute();
}

function toRow(record: SessionRecord): SessionsTable {
  return {
    ...record,
    evidence_refs: toJson(record.evidence_refs),
    decision_counts: toJson(record.decision_counts),
  };
}

function fromRow(row: SessionsTable): SessionRecord {
  return {
    ...row,
    state: row.state as SessionState,
    evidence_refs: fromJson<string[]>(row.evidence_refs),
    decision_counts: fromJson<Record<string, number>>(row.decision_counts),
  };
}

/** The columns a PostgreSQL batch fold sends per session (one JSON array per session), with their SQL types. */
const FOLD_COLUMNS = [
  ['session_id', 'text'],
  ['agent_id', 'text'],
  ['actor', 'text'],
  ['repository', 'text'],
  ['policy_pack', 'text'],
  ['started_at', 'text'],
  ['updated_at', 'text'],
  ['decision_count', 'int4'],
  ['blocked_count', 'int4'],
  ['approval_required_count', 'int4'],
  ['decision_counts', 'text'],
] as const;

/**
 * PostgreSQL: the JSON parameter of {@link postgresSessionFoldSql} for newly stored decisions (in order): per
 * session, in id order (the order its lock is taken in), the summary of the batch's decisions alone
 * (`foldDecisions` from nothing) as an array of FOLD_COLUMNS, which the statement merges into the stored row.
 */
export function postgresSessionFoldJson(decisions: readonly SessionDecision[]): string {
  const bySession = new Map<string, SessionDecision[]>();
  for (const decision of decisions) {
    const list = bySession.get(decision.session_id);
    if (list === undefined) bySession.set(decision.session_id, [decision]);
    else list.push(decision);
  }
  const rows = [...bySession.keys()].sort().map((sessionId) => {
    const record = foldDecisions(null, bySession.get(sessionId) ?? []);
    return [
      record.session_id,
      record.agent_id,
      record.actor,
      record.repository,
      record.policy_pack,
      record.started_at,
      record.updated_at,
      record.decision_count,
      record.blocked_count,
      record.approval_required_count,
      toJson(record.decision_counts),
    ];
  });
  return toJson(rows);
}

/** `counts` of a stored row (`sessions`) merged with the batch's (`excluded`), as `foldDecisions` writes them. */
const MERGED_COUNTS =
  "(select '{' || string_agg(to_json(k)::text || ':' || t::text, ',' order by o) || '}' from (" +
  'select k, sum(v) as t, min(o) as o from (' +
  'select p.k, p.v::bigint as v, p.o from json_each_text(sessions.decision_counts::json) with ordinality as p(k, v, o) ' +
  'union all select q.k, q.v::bigint, q.o + 1000000 ' +
  'from json_each_text(excluded.decision_counts::json) with ordinality as q(k, v, o)) x group by k) y)';

/** A count of the stored row's `decision_counts`, or 0. */
const storedCount = (outcome: string): string =>
  `coalesce((sessions.decision_counts::json ->> '${outcome}')::int, 0)`;

/** `when the stored row already has decisions` (a summary posted before its first decision does not count). */
const HAS_DECISIONS = 'sessions.decision_count > 0';

/**
 * PostgreSQL: one `insert … on conflict do update` that folds a batch into its sessions' summaries, from `rows`
 * (a `json` expression: {@link postgresSessionFoldJson}'s parameter), for the rows where `gate` holds (an
 * expression that takes the session locks first). The same result as `recordDecisionsInSessions`' read + `foldDecisions` + write:
 * identity fields and state are kept once set, times are the min/max (in code-unit order, as in JS), counts add up
 * (`decision_counts` keeps the stored keys' order, then the new ones'). ON CONFLICT reads the latest committed row
 * whatever the statement's snapshot, so it is correct however long the statement waited for its locks.
 */
export function postgresSessionFoldSql(rows: string, gate: string): string {
  const columns = FOLD_COLUMNS.map(([name, type], i) => `(r ->> ${String(i)})::${type} as ${name}`);
  const keep = (column: string): string => `${column} = coalesce(sessions.${column}, excluded.${column})`;
  return (
    'insert into sessions (session_id, agent_id, actor, repository, policy_pack, state, started_at, updated_at, ' +
    'decision_count, blocked_count, approval_required_count, evidence_refs, decision_counts) ' +
    "select u.session_id, u.agent_id, u.actor, u.repository, u.policy_pack, 'active', u.started_at, " +
    "u.updated_at, u.decision_count, u.blocked_count, u.approval_required_count, '[]', u.decision_counts " +
    `from (select ${columns.join(', ')} from json_array_elements(${rows}) as r) as u where ${gate} ` +
    'on conflict (session_id) do update set ' +
    `${['agent_id', 'actor', 'repository', 'policy_pack'].map(keep).join(', ')}, ` +
    `started_at = case when ${HAS_DECISIONS} and sessions.started_at collate "C" < excluded.started_at ` +
    'then sessions.started_at else excluded.started_at end, ' +
    `updated_at = case when ${HAS_DECISIONS} and sessions.updated_at collate "C" > excluded.updated_at ` +
    'then sessions.updated_at else excluded.updated_at end, ' +
    `decision_count = excluded.decision_count + case when ${HAS_DECISIONS} then sessions.decision_count else 0 end, ` +
    `blocked_count = excluded.blocked_count + case when ${HAS_DECISIONS} then ${storedCount('block')} else 0 end, ` +
    'approval_required_count = excluded.approval_required_count + ' +
    `case when ${HAS_DECISIONS} then ${storedCount('require_approval')} else 0 end, ` +
    "evidence_refs = '[]', " +
    `decision_counts = case when ${HAS_DECISIONS} then ${MERGED_COUNTS} else excluded.decision_counts end`
  );
}
