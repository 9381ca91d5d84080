import type { Kysely } from 'kysely';
import type { JsonObject } from '../engine';
import type { CheckpointRecord, EntryKind, EvidenceEntry, LogHead } from '../evidence';
import { createAppendQueue } from './append-queue';
import type { Database, EvidenceEntriesTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, inTransaction, optionalString, toCount, toJson } from './support';

/**
 * Builds the entry that follows `head` (the evidence layer's `createEntry` with its crypto bound). Injected so
 * the store never hashes: it only serialises appends and persists what this returns.
 */
export type NextEntry = (
  head: LogHead,
  kind: EntryKind,
  payload: JsonObject,
  recordedAt: string,
) => EvidenceEntry;

/** One append of a batch. */
export type AppendRequest = { kind: EntryKind; payload: JsonObject; recordedAt: string };

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
  /** The tip of the log, or null when it is empty. */
  head(): Promise<LogHead>;
  /** How many entries the log holds (= the next sequence). */
  count(): Promise<number>;
  /** Entries with `from ≤ sequence < to`, in order. */
  range(from: number, to: number): Promise<EvidenceEntry[]>;
  /** Entries whose payload's `session_id` is this session, in order. */
  forSession(sessionId: string): Promise<EvidenceEntry[]>;
  readonly checkpoints: CheckpointRepository;
}

/** Rows per multi-row INSERT: 8 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

/** The evidence log over a store context. */
export function createEvidenceLog(ctx: StoreContext, nextEntry: NextEntry): EvidenceLog {
  const appendMany = (requests: readonly AppendRequest[]): Promise<EvidenceEntry[]> =>
    inTransaction(ctx, async (db) => {
      await ctx.dialect.lock(db, 'evidence_chain');
      let head = await readHead(db);
      const entries: EvidenceEntry[] = [];
      for (const { kind, payload, recordedAt } of requests) {
        const entry = nextEntry(head, kind, payload, recordedAt);
        assertChainsOnto(head, entry);
        entries.push(entry);
        head = { sequence: entry.sequence, entry_hash: entry.entry_hash };
      }
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        await db
          .insertInto('evidence_entries')
          .values(entries.slice(i, i + INSERT_CHUNK).map(toRow))
          .execute();
      }
      return entries;
    });
  // Inside a unit of work appends run in its transaction; outside, concurrent appends share transactions.
  const enqueue = ctx.db.isTransaction ? undefined : createAppendQueue(appendMany);
  return {
    append: async (kind, payload, recordedAt) => {
      const request = { kind, payload, recordedAt };
      if (enqueue !== undefined) return enqueue(request);
      const [entry] = await appendMany([request]);
      if (entry === undefined) throw new Error('append produced no entry');
      return entry;
    },
    appendMany,
    head: () => readHead(ctx.db),
    count: async () => {
      const row = await ctx.db
        .selectFrom('evidence_entries')
        .select((eb) => eb.fn.countAll<string | number>().as('total'))
        .executeTakeFirst();
      return toCount(row?.total);
    },
    range: async (from, to) => {
      const rows = await ctx.db
        .selectFrom('evidence_entries')
        .selectAll()
        .where('sequence', '>=', from)
        .where('sequence', '<', to)
        .orderBy('sequence')
        .execute();
      return rows.map(fromRow);
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

function toRow(entry: EvidenceEntry): EvidenceEntriesTable {
  return {
    sequence: entry.sequence,
    schema_version: entry.schema_version,
    kind: entry.kind,
    recorded_at: entry.recorded_at,
    session_id: optionalString(entry.payload.session_id),
    previous_hash: entry.previous_hash,
    entry_hash: entry.entry_hash,
    payload: toJson(entry.payload),
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
