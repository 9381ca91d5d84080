/**
 * PostgreSQL's append commit: one statement (one round trip) per group commit in the common case
 * (docs/decisions/0027-postgres-group-commit.md). Store core: no driver import, SQL through Kysely's raw queries.
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import { MerkleFrontier, entryLeafHash } from '../evidence';
import type { JsonObject } from '../engine';
import type { EvidenceCrypto, FrontierState, LogHead } from '../evidence';
import { DECISION_COLUMN_KEYS } from './decision-columns';
import { PG_LOCK_CLASS } from './dialect';
import type { AppendCommitter, AppendedRef, NextEntry, PreparedAppend } from './evidence-log';
import type { Database } from './schema';
import { postgresSessionFoldJson, postgresSessionFoldSql } from './sessions';
import type { StoreContext } from './support';
import { fromJson } from './support';

/** The writer state a commit expects to find: the head it chains onto and the frontier it extends. */
type KnownState = { head: LogHead; frontier: FrontierState };

/** What the append statement reports: whether it found the expected state (and so wrote the batch). */
type AppendRow = { fresh: boolean; guard: number };

/** Why an attempt did not commit: the stored state was not the expected one, or a decision was already stored. */
type Outcome = { kind: 'committed'; state: KnownState } | { kind: 'stale' } | { kind: 'duplicate' };

/** The largest batch the statement takes (one parameter per payload: far below PostgreSQL's 65,535). */
const MAX_ROWS = 1000;

/** Marks the value PostgreSQL reports when a batch's decision was already stored (see appendSql's guard). */
const DUPLICATE = 'cavra-append-duplicate-decision';

/** Batches up to this size run as named statements (prepared once per connection and size); larger ones not. */
const MAX_NAMED_ROWS = 64;

/** The entry columns of a row of the statement's JSON parameter, in order; a decision's columns follow them. */
const ENTRY_COLUMNS = [
  ['sequence', 'int8'],
  ['schema_version', 'text'],
  ['kind', 'text'],
  ['recorded_at', 'text'],
  ['session_id', 'text'],
  ['previous_hash', 'text'],
  ['entry_hash', 'text'],
] as const;

const DECISION_COLUMNS = DECISION_COLUMN_KEYS;

/** The parameters before the payloads: expected size and head, rows, new size, head and frontier, sessions, count. */
const FIXED_PARAMS = 8;

/**
 * The append statement for `count` requests. Parameters: `$1, $2` the expected tree size and head hash; `$3` the
 * rows (jsonb: per request its ENTRY_COLUMNS, then its DECISION_COLUMNS when it is a decision); `$4…$6` the new
 * tree size, head hash and frontier; `$7` the session fold (json); `$8` the number of decisions; then one
 * parameter per request holding its payload text, sent as is (no array or JSON escaping on either side).
 *
 * INVARIANT (no fork): `chk` takes the chain's advisory lock and then the state row `for update`, which in READ
 * COMMITTED returns the latest committed row even though the statement's snapshot predates the lock wait; every
 * write is conditional on that row being the expected one (`ok`), and the lock is held to the end of the
 * statement's transaction. Lock order: chain lock, state row, session locks (in id order), rows — the classic
 * path's order too, so they cannot deadlock each other. A decision that was already stored (another caller's, or
 * one committed while this waited) makes the guard fail the statement, so nothing of the batch is written.
 */
function appendSql(count: number): string {
  const payloads = Array.from({ length: count }, (_, i) => `$${String(FIXED_PARAMS + 1 + i)}`);
  const entry = ENTRY_COLUMNS.map(([, type], i) => `(x.r ->> ${String(i)})::${type}`);
  const decision = DECISION_COLUMNS.map((_, i) => `x.r ->> ${String(ENTRY_COLUMNS.length + i)}`);
  const isFresh = 'exists (select from ok)';
  return (
    `${count <= MAX_NAMED_ROWS ? `/*cavra:evidence_append_v2_${String(count)}*/ ` : ''}with ` +
    `lk as materialized (select pg_advisory_xact_lock(${String(PG_LOCK_CLASS.evidence_chain)}, hashtext('')) ` +
    'as v), ' +
    'chk as materialized (select s.tree_size, s.head_hash from evidence_log_state s, lk ' +
    "where s.log_id = '' for update of s), " +
    'ok as materialized (select from chk where chk.tree_size = $1::int8 and ' +
    'chk.head_hash is not distinct from $2::text), ' +
    'x as materialized (select t.r, t.i from jsonb_array_elements($3::jsonb) with ordinality as t(r, i)), ' +
    `p as materialized (select q.payload, q.i from unnest(array[${payloads.join(', ')}]::text[]) ` +
    'with ordinality as q(payload, i)), ' +
    `d as (insert into decisions (${DECISION_COLUMNS.join(', ')}, payload) ` +
    `select ${decision.join(', ')}, p.payload from x join p on p.i = x.i ` +
    `where ${decision[0] ?? ''} is not null and ${isFresh} ` +
    'on conflict (decision_id) do nothing returning 1), ' +
    `sl as materialized (select pg_advisory_xact_lock(${String(PG_LOCK_CLASS.session)}, hashtext(r ->> 0)) ` +
    'from ok, json_array_elements($7::json) as r), ' +
    `e as (insert into evidence_entries (${ENTRY_COLUMNS.map(([name]) => name).join(', ')}, payload, ` +
    `payload_jcs) select ${entry.join(', ')}, p.payload, 1 from x join p on p.i = x.i where ${isFresh}), ` +
    "st as (update evidence_log_state set tree_size = $4::int8, head_hash = $5::text, frontier = $6::text where log_id = '' " +
    `and ${isFresh}), ` +
    `ss as (${postgresSessionFoldSql('$7::json', '(select count(*) from sl) = json_array_length($7::json)')}) ` +
    `select ${isFresh} as fresh, ` +
    `case when not ${isFresh} or (select count(*) from d) = $8::int8 then 0 ` +
    `else (select ('${DUPLICATE} ' || count(*))::int from d) end as guard`
  );
}

/** The statement's text per batch size (the named ones are what the driver prepares). */
const appendTexts = new Map<number, string>();

function appendText(count: number): string {
  let text = appendTexts.get(count);
  if (text === undefined) {
    text = appendSql(count);
    if (count <= MAX_NAMED_ROWS) appendTexts.set(count, text);
  }
  return text;
}

/** `begin`, the chain lock and the state row (locked), in one simple-protocol query. */
const BEGIN_AND_READ =
  `begin; select pg_advisory_xact_lock(${String(PG_LOCK_CLASS.evidence_chain)}, hashtext('')); ` +
  "select tree_size, head_hash, frontier from evidence_log_state where log_id = '' for update";

/** The payload handed to `nextEntry`, which builds the entry from the text when the object did not come along. */
const NO_PAYLOAD: JsonObject = Object.freeze({});

/**
 * The PostgreSQL committer for appends outside a unit of work. It remembers the state its last commit left and
 * sends the whole batch (decisions, session folds, entries chained onto that state, new state) as one statement
 * that commits only if the stored state is still that one: one round trip per group commit. When it is not
 * (another process appended, or this process through another path), it falls back to a transaction that reads
 * the state under the chain lock first (three round trips); batches that need the general path (a decision id
 * already stored or repeated in the batch, a log without a stored state, very large batches) go to `fallback`.
 */
export function createPostgresCommitter(
  ctx: StoreContext,
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
  fallback: AppendCommitter,
): AppendCommitter {
  let known: KnownState | undefined;
  // Set when another writer appended since this one's last commit: then the optimistic statement would mostly
  // find a stale state (and wait for the chain lock for nothing), so commits take the locked path until one finds
  // the state as this committer left it, i.e. the other writers went quiet.
  let isContended = false;
  const general = async (requests: readonly PreparedAppend[]): Promise<(AppendedRef | null)[]> => {
    known = undefined;
    return fallback(requests);
  };
  return async (requests) => {
    if (requests.length === 0) return [];
    if (requests.length > MAX_ROWS || hasRepeatedDecision(requests)) return general(requests);
    if (known !== undefined && !isContended) {
      const batch = chain(known, requests, nextEntry, crypto);
      const outcome = await attempt(ctx.db, batch);
      if (outcome.kind === 'committed') {
        known = outcome.state;
        return batch.refs;
      }
      if (outcome.kind === 'duplicate') return general(requests);
      isContended = true;
    }
    const locked = await lockedCommit(ctx.db, requests, nextEntry, crypto);
    if (locked === undefined) return general(requests);
    // Without a remembered state (first commit, or after the general path) there is nothing to compare.
    isContended = known !== undefined && !sameState(locked.found, known);
    known = locked.state;
    return locked.refs;
  };
}

function sameState(a: KnownState, b: KnownState): boolean {
  return a.frontier.size === b.frontier.size && a.head?.entry_hash === b.head?.entry_hash;
}

/** A batch chained onto a known state: its refs, the statement's parameters and the state it leaves. */
type ChainedBatch = { refs: AppendedRef[]; values: unknown[]; state: KnownState; text: string };

/** Chains every request (all are logged: the statement fails if a decision was already stored) onto `from`. */
function chain(
  from: KnownState,
  requests: readonly PreparedAppend[],
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
): ChainedBatch {
  const frontier = new MerkleFrontier(crypto, from.frontier);
  const rows: unknown[][] = [];
  const payloads: string[] = [];
  const stored = [];
  const refs: AppendedRef[] = [];
  let head = from.head;
  for (const request of requests) {
    const { kind, payload, recordedAt, payloadText, sessionId, decision } = request;
    const entry = nextEntry(head, kind, payload ?? NO_PAYLOAD, recordedAt, payloadText);
    assertChainsOnto(head, entry.sequence, entry.previous_hash);
    const row: unknown[] = [
      entry.sequence,
      entry.schema_version,
      entry.kind,
      entry.recorded_at,
      sessionId,
      entry.previous_hash,
      entry.entry_hash,
    ];
    if (decision !== undefined) {
      for (const column of DECISION_COLUMNS) row.push(decision[column] ?? null);
      stored.push(decision);
    }
    rows.push(row);
    payloads.push(payloadText);
    refs.push({ sequence: entry.sequence, previous_hash: entry.previous_hash, entry_hash: entry.entry_hash });
    frontier.append(entryLeafHash(entry, crypto));
    head = { sequence: entry.sequence, entry_hash: entry.entry_hash };
  }
  const state = { head, frontier: frontier.toState() };
  const values = [
    from.frontier.size,
    from.head?.entry_hash ?? null,
    JSON.stringify(rows),
    state.frontier.size,
    head?.entry_hash ?? null,
    JSON.stringify(state.frontier.hashes),
    postgresSessionFoldJson(stored),
    stored.length,
    ...payloads,
  ];
  return { refs, values, state, text: appendText(requests.length) };
}

/** Runs the append statement (in autocommit, or inside the caller's transaction). */
async function attempt(db: Kysely<Database>, batch: ChainedBatch): Promise<Outcome> {
  let row: AppendRow | undefined;
  try {
    row = (await db.executeQuery<AppendRow>(CompiledQuery.raw(batch.text, batch.values))).rows[0];
  } catch (error) {
    if (error instanceof Error && error.message.includes(DUPLICATE)) return { kind: 'duplicate' };
    throw error;
  }
  if (row === undefined) throw new Error('evidence log: the append statement returned no row');
  // Not fresh: the stored state was not the one the batch was chained onto, and nothing was written.
  return row.fresh ? { kind: 'committed', state: batch.state } : { kind: 'stale' };
}

/**
 * The contended path: `begin` + chain lock + the state row read `for update` (one round trip), then the append
 * statement against that state (which cannot be stale now), then `commit`. Undefined, rolled back, when the
 * log has no stored state yet or a decision of the batch was already stored.
 */
function lockedCommit(
  db: Kysely<Database>,
  requests: readonly PreparedAppend[],
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
): Promise<{ refs: AppendedRef[]; found: KnownState; state: KnownState } | undefined> {
  return db.connection().execute(async (conn) => {
    try {
      const result = await conn.executeQuery<StateRow>(CompiledQuery.raw(BEGIN_AND_READ));
      const row = lastRow(result.rows);
      if (row === undefined) {
        await conn.executeQuery(CompiledQuery.raw('rollback'));
        return undefined;
      }
      const current = knownFromRow(row);
      const batch = chain(current, requests, nextEntry, crypto);
      const outcome = await attempt(conn, batch);
      if (outcome.kind !== 'committed') {
        await conn.executeQuery(CompiledQuery.raw('rollback'));
        if (outcome.kind === 'stale') throw new Error('evidence log: the state changed under the chain lock');
        return undefined;
      }
      await conn.executeQuery(CompiledQuery.raw('commit'));
      return { refs: batch.refs, found: current, state: outcome.state };
    } catch (error) {
      // INVARIANT: the connection goes back to the pool with no transaction open (a no-op when none is).
      await conn.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    }
  });
}

type StateRow = { tree_size: number; head_hash: string | null; frontier: string };

/**
 * The state row BEGIN_AND_READ read. The driver (drivers/postgres.ts) hands back the last statement's result of a
 * multi-statement query; through a pool that does not, there is no row and the append takes the general path.
 */
function lastRow(rows: unknown): StateRow | undefined {
  if (!Array.isArray(rows)) return undefined;
  const row: unknown = rows.at(-1);
  return isStateRow(row) ? row : undefined;
}

function isStateRow(row: unknown): row is StateRow {
  return typeof row === 'object' && row !== null && 'tree_size' in row && 'frontier' in row;
}

function knownFromRow(row: StateRow): KnownState {
  const size = row.tree_size;
  if (size > 0 && row.head_hash === null) throw new Error('evidence log state: no head hash');
  return {
    head: size === 0 ? null : { sequence: size - 1, entry_hash: row.head_hash ?? '' },
    frontier: { size, hashes: fromJson<string[]>(row.frontier) },
  };
}

/** Whether two requests of the batch carry the same decision id (the general path logs only the first). */
function hasRepeatedDecision(requests: readonly PreparedAppend[]): boolean {
  const ids = new Set<string>();
  for (const { decision } of requests) {
    if (decision === undefined) continue;
    if (ids.has(decision.decision_id)) return true;
    ids.add(decision.decision_id);
  }
  return false;
}

/** INVARIANT: an entry extends the head it was built from; anything else is a bug in `nextEntry`. */
function assertChainsOnto(head: LogHead, sequence: number, previous: string | null): void {
  const expected = head === null ? 0 : head.sequence + 1;
  if (sequence !== expected || previous !== (head === null ? null : head.entry_hash)) {
    throw new Error(`nextEntry returned sequence ${String(sequence)}; expected ${String(expected)}`);
  }
}
