import type { Kysely } from 'kysely';
import type { Decision, JsonObject } from '../engine';
import { MerkleFrontier, canonicalEntryText, canonicalJson, entryLeafHash } from '../evidence';
import type {
  CheckpointRecord,
  EntryKind,
  EvidenceCrypto,
  EvidenceEntry,
  LogHead,
  LogWriterState,
} from '../evidence';
import { createAppendQueue } from './append-queue';
import { toDecisionRow } from './decisions';
import type { Database, EvidenceEntriesTable } from './schema';
import { recordDecisionsInSessions } from './sessions';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, inTransaction, optionalString, toCount, toJson } from './support';

/**
 * Builds the entry that follows `head` (the evidence layer's `createEntry` with its crypto bound). Injected so
 * the store never builds entries itself: it only serialises appends and persists what this returns.
 */
export type NextEntry = (
  head: LogHead,
  kind: EntryKind,
  payload: JsonObject,
  recordedAt: string,
) => EvidenceEntry;

/** One append of a batch. */
export type AppendRequest = { kind: EntryKind; payload: JsonObject; recordedAt: string };

/** A decision to store and log: see {@link EvidenceLog.appendDecision}. */
export type DecisionAppend = { decision: Decision; recordedAt: string };

/**
 * A slice of the log read for verification: the entries in order and, at the same index, each entry's RFC 8785
 * text (`canonicalEntryText`) for `verifyLog`'s `texts`, or undefined for a row written before the store kept
 * canonical payloads (migration 0002); the verifier re-serialises those.
 */
export type VerificationPage = { entries: EvidenceEntry[]; texts: (string | undefined)[] };

/** Which part of the log {@link EvidenceLog.pages} reads, and how much per query. */
export type PageOptions = {
  /** First sequence (default 0). */
  from?: number;
  /** End, exclusive (default: the log's size when the iteration starts). */
  to?: number;
  /** Entries per query (default {@link VERIFY_PAGE_SIZE}). */
  pageSize?: number;
};

/** Entries per query when reading the log for verification: a few MB per page, few round trips. */
export const VERIFY_PAGE_SIZE = 10_000;

/** Signed checkpoints over the log (`cavra.evidence.checkpoint.v1` records), one per (origin, tree size). */
export interface CheckpointRepository {
  /** Stores a checkpoint; `false` when the origin already has one for this tree size (the first is kept). */
  insert(checkpoint: CheckpointRecord): Promise<boolean>;
  /** The checkpoint over the largest tree (of one origin, when given), or null. */
  latest(origin?: string): Promise<CheckpointRecord | null>;
  /** Checkpoints (of one origin, when given), largest tree first, paged. */
  list(filter?: { origin?: string }, page?: PageRequest): Promise<Page<CheckpointRecord>>;
}

/** The append-only, hash-chained evidence log. INVARIANT: entries are never updated or deleted. */
export interface EvidenceLog {
  /**
   * Appends one entry in a transaction that takes the chain lock, reads the head, calls `nextEntry` and inserts,
   * so concurrent appenders (other connections, other processes) never fork the chain. Concurrent appends of
   * one store share a transaction (group commit); each resolves to its own entry once it is committed.
   */
  append(kind: EntryKind, payload: JsonObject, recordedAt: string): Promise<EvidenceEntry>;
  /** Appends several entries under one lock and one transaction, in order. */
  appendMany(requests: readonly AppendRequest[]): Promise<EvidenceEntry[]>;
  /**
   * Stores a decision, folds it into its session summary and appends its `decision` entry (the payload is the
   * decision) in one transaction: what `transaction(tx => decisions.insert + evidence.append)` does, but group
   * committed with every other append of this store. Resolves to the entry, or to null when a decision with
   * this id is already stored (then nothing is stored or logged).
   */
  appendDecision(decision: Decision, recordedAt: string): Promise<EvidenceEntry | null>;
  /** {@link appendDecision} for several decisions, in order, in one transaction. */
  appendDecisions(records: readonly DecisionAppend[]): Promise<(EvidenceEntry | null)[]>;
  /** The tip of the log, or null when it is empty. */
  head(): Promise<LogHead>;
  /** How many entries the log holds (= the next sequence). */
  count(): Promise<number>;
  /** Entries with `from ≤ sequence < to`, in order. */
  range(from: number, to: number): Promise<EvidenceEntry[]>;
  /** Entries with `from ≤ sequence < to` with their canonical texts, for `verifyLog(…, { texts })`. */
  rangeForVerification(from: number, to: number): Promise<VerificationPage>;
  /** The log (or `[from, to)`) in pages of {@link VERIFY_PAGE_SIZE} entries, for verification. */
  pages(options?: PageOptions): AsyncGenerator<VerificationPage, void, undefined>;
  /**
   * The writer's state after the last append: head and Merkle frontier, kept in the store by every append, so
   * `new LogWriter(origin, crypto, await log.state()).checkpoint(…)` signs the current root in O(log n).
   */
  state(): Promise<LogWriterState>;
  /** Entries whose payload's `session_id` is this session, in order. */
  forSession(sessionId: string): Promise<EvidenceEntry[]>;
  readonly checkpoints: CheckpointRepository;
}

/** Rows per multi-row INSERT: 10 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

/** The store's one chain: the key of its lock and of its `evidence_log_state` row. */
const LOG_ID = '';

/** A request of the append queue: an entry, and for decision appends the decision to store first. */
type QueuedAppend = AppendRequest & { decision?: Decision };

/** The evidence log over a store context. `crypto` hashes the Merkle frontier the store keeps. */
export function createEvidenceLog(
  ctx: StoreContext,
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
): EvidenceLog {
  const commit = (requests: readonly QueuedAppend[]): Promise<(EvidenceEntry | null)[]> =>
    inTransaction(ctx, async (db) => {
      await ctx.dialect.lock(db, 'evidence_chain');
      const state = await loadState(db, crypto);
      const logged = await storeDecisions({ db, dialect: ctx.dialect }, requests);
      let head = state.head;
      const entries: (EvidenceEntry | null)[] = [];
      const rows: EvidenceEntriesTable[] = [];
      requests.forEach(({ kind, payload, recordedAt }, i) => {
        if (!logged[i]) {
          entries.push(null);
          return;
        }
        const entry = nextEntry(head, kind, payload, recordedAt);
        assertChainsOnto(head, entry);
        entries.push(entry);
        rows.push(toRow(entry));
        state.frontier.append(entryLeafHash(entry, crypto));
        head = { sequence: entry.sequence, entry_hash: entry.entry_hash };
      });
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db
          .insertInto('evidence_entries')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      }
      if (rows.length > 0 || !state.isStored) await saveState(db, head, state.frontier);
      return entries;
    });
  // Inside a unit of work appends run in its transaction; outside, concurrent appends share transactions.
  const enqueue = ctx.db.isTransaction ? undefined : createAppendQueue(commit);
  const one = async (request: QueuedAppend): Promise<EvidenceEntry | null> => {
    if (enqueue !== undefined) return enqueue(request);
    const [entry] = await commit([request]);
    return entry ?? null;
  };
  const decisionAppend = ({ decision, recordedAt }: DecisionAppend): QueuedAppend => ({
    kind: 'decision',
    // A decision is JSON data; members that are undefined are not part of its canonical form (nor stored).
    payload: decision,
    recordedAt,
    decision,
  });
  const rangeForVerification = async (from: number, to: number): Promise<VerificationPage> => {
    const rows = await selectRange(ctx.db, from, to);
    const entries = rows.map(fromRow);
    const texts = rows.map((row, i) =>
      row.payload_jcs === 1 ? canonicalEntryText(entries[i] as EvidenceEntry, row.payload) : undefined,
    );
    return { entries, texts };
  };
  return {
    append: async (kind, payload, recordedAt) => {
      const entry = await one({ kind, payload, recordedAt });
      if (entry === null) throw new Error('append produced no entry');
      return entry;
    },
    appendMany: async (requests) => {
      const entries = await commit(requests);
      return entries.filter((entry): entry is EvidenceEntry => entry !== null);
    },
    appendDecision: (decision, recordedAt) => one(decisionAppend({ decision, recordedAt })),
    appendDecisions: (records) => commit(records.map(decisionAppend)),
    head: () => readHead(ctx.db),
    count: async () => {
      const row = await ctx.db
        .selectFrom('evidence_entries')
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      return toCount(row?.total);
    },
    range: async (from, to) => (await selectRange(ctx.db, from, to)).map(fromRow),
    rangeForVerification,
    pages: async function* (options = {}) {
      const pageSize = Math.max(1, options.pageSize ?? VERIFY_PAGE_SIZE);
      const to = options.to ?? ((await readHead(ctx.db))?.sequence ?? -1) + 1;
      for (let from = options.from ?? 0; from < to; from += pageSize) {
        yield await rangeForVerification(from, Math.min(to, from + pageSize));
      }
    },
    state: async () => {
      const stored = await readStoredState(ctx.db, crypto);
      const state =
        stored ??
        // Not rebuilt yet (a log from before migration 0002): rebuild and keep it, under the chain lock.
        (await inTransaction(ctx, async (db) => {
          await ctx.dialect.lock(db, 'evidence_chain');
          const loaded = await loadState(db, crypto);
          if (!loaded.isStored) await saveState(db, loaded.head, loaded.frontier);
          return loaded;
        }));
      return { head: state.head, frontier: state.frontier.toState() };
    },
    forSession: async (sessionId) => {
      const rows = await ctx.db
        .selectFrom('evidence_entries')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('sequence')
        .execute();
      return rows.map(fromRow);
    },
    checkpoints: createCheckpointRepository(ctx),
  };
}

/**
 * Stores the decisions of a batch (and folds the new ones into their session summaries). Returns, per request,
 * whether it is to be logged: requests without a decision always are; a decision only when this batch stored it
 * (an id already stored, or earlier in the batch, is skipped).
 */
async function storeDecisions(ctx: StoreContext, requests: readonly QueuedAppend[]): Promise<boolean[]> {
  const decisions = requests.flatMap((r) => (r.decision === undefined ? [] : [r.decision]));
  if (decisions.length === 0) return requests.map(() => true);
  const inserted = new Set<string>();
  for (let i = 0; i < decisions.length; i += INSERT_CHUNK) {
    const rows = await ctx.db
      .insertInto('decisions')
      .values(decisions.slice(i, i + INSERT_CHUNK).map(toDecisionRow))
      .onConflict((oc) => oc.column('decision_id').doNothing())
      .returning('decision_id')
      .execute();
    for (const row of rows) inserted.add(row.decision_id);
  }
  const stored: Decision[] = [];
  const logged = requests.map(({ decision }) => {
    if (decision === undefined) return true;
    // The first request with an id claims the row; a repeat of it in the same batch is a duplicate.
    if (!inserted.delete(decision.decision_id)) return false;
    stored.push(decision);
    return true;
  });
  if (stored.length > 0) await recordDecisionsInSessions(ctx, stored);
  return logged;
}

/** The writer's state as loaded in an append transaction. */
type LoadedState = { head: LogHead; frontier: MerkleFrontier; isStored: boolean };

/** The stored state, or null when this log has none yet. */
async function readStoredState(db: Kysely<Database>, crypto: EvidenceCrypto): Promise<LoadedState | null> {
  const row = await db
    .selectFrom('evidence_log_state')
    .selectAll()
    .where('log_id', '=', LOG_ID)
    .executeTakeFirst();
  if (row === undefined) return null;
  const frontier = new MerkleFrontier(crypto, {
    size: row.tree_size,
    hashes: fromJson<string[]>(row.frontier),
  });
  if (row.tree_size > 0 && row.head_hash === null) throw new Error('evidence log state: no head hash');
  const head = row.tree_size === 0 ? null : { sequence: row.tree_size - 1, entry_hash: row.head_hash ?? '' };
  return { head, frontier, isStored: true };
}

/** Entries whose hashes rebuild a missing state, per query. */
const REBUILD_PAGE = 10_000;

/**
 * The stored state or, for a log that has none (written before migration 0002), the state rebuilt from the
 * entries' hashes: one leaf hash per entry, once per database. Call under the chain lock.
 */
async function loadState(db: Kysely<Database>, crypto: EvidenceCrypto): Promise<LoadedState> {
  const stored = await readStoredState(db, crypto);
  if (stored !== null) return stored;
  const frontier = new MerkleFrontier(crypto);
  let head: LogHead = null;
  for (;;) {
    const rows = await db
      .selectFrom('evidence_entries')
      .select(['sequence', 'entry_hash'])
      .where('sequence', '>=', frontier.size)
      .orderBy('sequence')
      .limit(REBUILD_PAGE)
      .execute();
    for (const row of rows) {
      if (row.sequence !== frontier.size) {
        throw new Error(`evidence log state: entry ${frontier.size} is missing, the log cannot be resumed`);
      }
      frontier.append(entryLeafHash(row, crypto));
      head = { sequence: row.sequence, entry_hash: row.entry_hash };
    }
    if (rows.length < REBUILD_PAGE) return { head, frontier, isStored: false };
  }
}

async function saveState(db: Kysely<Database>, head: LogHead, frontier: MerkleFrontier): Promise<void> {
  const { size, hashes } = frontier.toState();
  const columns = { tree_size: size, head_hash: head?.entry_hash ?? null, frontier: toJson(hashes) };
  await db
    .insertInto('evidence_log_state')
    .values({ log_id: LOG_ID, ...columns })
    .onConflict((oc) => oc.column('log_id').doUpdateSet(columns))
    .execute();
}

function selectRange(db: Kysely<Database>, from: number, to: number): Promise<EvidenceEntriesTable[]> {
  return db
    .selectFrom('evidence_entries')
    .selectAll()
    .where('sequence', '>=', from)
    .where('sequence', '<', to)
    .orderBy('sequence')
    .execute();
}

function createCheckpointRepository(ctx: StoreContext): CheckpointRepository {
  const matching = (origin: string | undefined) => {
    const query = ctx.db.selectFrom('evidence_checkpoints');
    return origin === undefined ? query : query.where('origin', '=', origin);
  };
  return {
    insert: async (checkpoint) => {
      const result = await ctx.db
        .insertInto('evidence_checkpoints')
        .values({
          origin: checkpoint.origin,
          tree_size: checkpoint.tree_size,
          root_hash: checkpoint.root_hash,
          timestamp: checkpoint.timestamp,
          payload: toJson(checkpoint),
        })
        .onConflict((oc) => oc.columns(['origin', 'tree_size']).doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    latest: async (origin) => {
      const row = await matching(origin)
        .select('payload')
        .orderBy('tree_size', 'desc')
        .orderBy('origin')
        .executeTakeFirst();
      return row ? fromJson<CheckpointRecord>(row.payload) : null;
    },
    list: async (filter = {}, pageRequest) => {
      const { limit, offset } = clampPage(pageRequest);
      const counted = await matching(filter.origin)
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      const rows = await matching(filter.origin)
        .select('payload')
        .orderBy('tree_size', 'desc')
        .orderBy('origin')
        .limit(limit)
        .offset(offset)
        .execute();
      const items = rows.map((row) => fromJson<CheckpointRecord>(row.payload));
      return { items, total: toCount(counted?.total), limit, offset };
    },
  };
}

async function readHead(db: Kysely<Database>): Promise<LogHead> {
  const row = await db
    .selectFrom('evidence_entries')
    .select(['sequence', 'entry_hash'])
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { sequence: row.sequence, entry_hash: row.entry_hash } : null;
}

/** INVARIANT: an entry extends the head it was built from; anything else is a bug in `nextEntry`. */
function assertChainsOnto(head: LogHead, entry: EvidenceEntry): void {
  const sequence = head === null ? 0 : head.sequence + 1;
  const previous = head === null ? null : head.entry_hash;
  if (entry.sequence !== sequence || entry.previous_hash !== previous) {
    throw new Error(
      `nextEntry returned sequence ${entry.sequence} after ${previous ?? 'an empty log'}; expected sequence ${sequence}`,
    );
  }
}

/** The row of an entry; `payload` is the payload's RFC 8785 text, so verification can hash it as stored. */
function toRow(entry: EvidenceEntry): EvidenceEntriesTable {
  return {
    sequence: entry.sequence,
    schema_version: entry.schema_version,
    kind: entry.kind,
    recorded_at: entry.recorded_at,
    session_id: optionalString(entry.payload.session_id),
    previous_hash: entry.previous_hash,
    entry_hash: entry.entry_hash,
    payload: canonicalJson(entry.payload),
    payload_jcs: 1,
  };
}

function fromRow(row: EvidenceEntriesTable): EvidenceEntry {
  return {
    schema_version: row.schema_version as EvidenceEntry['schema_version'],
    sequence: row.sequence,
    kind: row.kind as EntryKind,
    recorded_at: row.recorded_at,
    payload: fromJson<JsonObject>(row.payload),
    previous_hash: row.previous_hash,
    entry_hash: row.entry_hash,
  };
}
