import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { Decision, JsonObject } from '../engine';
import {
  ENTRY_SCHEMA,
  LogVerifier,
  MerkleFrontier,
  canonicalEntryText,
  canonicalJson,
  entryLeafHash,
} from '../evidence';
import type {
  CheckpointRecord,
  EntryKind,
  EvidenceCrypto,
  EvidenceEntry,
  LogHead,
  LogTrust,
  LogWriterState,
  StoredEntry,
  VerificationReport,
  VerifyProgress,
} from '../evidence';
import { createAppendQueue } from './append-queue';
import { decisionColumns } from './decision-columns';
import type { DecisionColumns } from './decision-columns';
import { PG_LOCK_CLASS } from './dialect';
import type { StoreDialect } from './dialect';
import { createPostgresCommitter } from './postgres-append';
import type { ApprovalRecord } from './approvals';
import { approvalRow } from './approvals';
import type { ApprovalsTable, Database, EvidenceEntriesTable, EvidenceLogStateTable } from './schema';
import { recordDecisionsInSessions } from './sessions';
import type { Page, PageRequest, StoreContext } from './support';
import {
  clampPage,
  fromJson,
  inTransaction,
  insertRows,
  optionalString,
  toCount,
  toJson,
  valuesList,
} from './support';

/**
 * Builds the entry that follows `head` (the evidence layer's `createEntry` with its crypto bound). Injected so
 * the store never builds entries itself: it only serialises appends and persists what this returns.
 */
export type NextEntry = (
  head: LogHead,
  kind: EntryKind,
  payload: JsonObject,
  recordedAt: string,
  /** `canonicalJson(payload)`, computed once by the store (it is also the stored text); may be ignored. */
  payloadText?: string,
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

/**
 * Entries per query of {@link EvidenceLog.storedPages} and `verify`: ~3 MB of rows, small enough that a page's
 * strings die young (in V8's young generation) instead of being promoted and collected by full GCs.
 */
export const STORED_PAGE_SIZE = 2_000;

/** Options of {@link EvidenceLog.verify}. */
export type StoreVerifyOptions = PageOptions & {
  /** Called every 10,000 entries and at the end. */
  onProgress?: (progress: VerifyProgress) => void;
};

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
  /**
   * {@link appendDecision} with an entry logged right after the decision's, and the approval it records stored,
   * in the same transaction (group committed like any append): both or neither. Resolves to the two entries, or
   * to null when a decision with this id is already stored (then nothing is stored or logged).
   */
  appendDecisionWith(
    decision: Decision,
    recordedAt: string,
    follow: FollowingAppend,
  ): Promise<[EvidenceEntry, EvidenceEntry] | null>;
  /** {@link appendDecision} for several decisions, in order, in one transaction. */
  appendDecisions(records: readonly DecisionAppend[]): Promise<(EvidenceEntry | null)[]>;
  /** Resolves once every append made through this log so far has committed or failed (e.g. before closing). */
  settled(): Promise<void>;
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
   * The log as stored (columns and canonical payload text, nothing parsed), in pages of
   * {@link STORED_PAGE_SIZE}, for
   * {@link LogVerifier.addStored}. Rows written before migration 0002 come as parsed entries instead.
   */
  storedPages(options?: PageOptions): AsyncGenerator<(StoredEntry | EvidenceEntry)[], void, undefined>;
  /**
   * Verifies the whole log (entries 0 to the size when it starts) as stored, with its checkpoints (of
   * `trust.origin` when given), streaming pages through {@link LogVerifier}: every entry's hash over its stored
   * canonical text, links, sequence, Merkle tree and each checkpoint's root and signatures. Nothing is parsed
   * unless an entry needs a closer look. Read-only and outside any transaction: appends may continue.
   */
  verify(trust: LogTrust, options?: StoreVerifyOptions): Promise<VerificationReport>;
  /**
   * The writer's state after the last append: head and Merkle frontier, kept in the store by every append, so
   * `new LogWriter(origin, crypto, await log.state()).checkpoint(…)` signs the current root in O(log n).
   */
  state(): Promise<LogWriterState>;
  /** Entries whose payload's `session_id` is this session, in order. */
  forSession(sessionId: string): Promise<EvidenceEntry[]>;
  readonly checkpoints: CheckpointRepository;
}

/** The store's one chain: the key of its lock and of its `evidence_log_state` row. */
const LOG_ID = '';

/** A request of the append queue: an entry, and for decision appends the decision to store first. */
type QueuedAppend = AppendRequest & { decision?: Decision; follow?: FollowingAppend };

export type { DecisionColumns } from './decision-columns';

/**
 * An append ready to commit: its payload's canonical text, computed before the transaction (outside the chain
 * lock), and for a decision the columns of its row. Plain data, so it can cross to a writer thread
 * ({@link AppendWriter}); `payload` is the parsed payload, only for a custom `nextEntry` on the local path.
 */
export type PreparedAppend = {
  kind: EntryKind;
  recordedAt: string;
  payloadText: string;
  /** The payload's `session_id` (the entry row's column), or null. */
  sessionId: string | null;
  decision?: DecisionColumns;
  payload?: JsonObject;
  /** Logged right after this decision's entry, in the same transaction, only when the decision is stored. */
  follow?: PreparedFollow;
};

/** The prepared form of a {@link FollowingAppend}: its approval as the row to insert. */
export type PreparedFollow = Omit<PreparedAppend, 'decision' | 'follow'> & { approval?: ApprovalsTable };

/**
 * What a decision's append may carry along (see {@link EvidenceLog.appendDecisionWith}): an entry logged right
 * after the decision's, and the approval it records, inserted in the same transaction.
 */
export type FollowingAppend = AppendRequest & { approval?: ApprovalRecord };

/** Where a committed append landed in the chain: with the request, what makes its {@link EvidenceEntry}. */
export type AppendedRef = {
  sequence: number;
  previous_hash: string | null;
  entry_hash: string;
  /** Where the request's follow-up entry landed (the next position). */
  follow?: AppendedRef;
};

/**
 * Commits prepared appends in one transaction under the chain lock, in order; per request its place in the chain,
 * or null for a decision whose id was already stored (then nothing was stored or logged).
 */
export type AppendCommitter = (requests: readonly PreparedAppend[]) => Promise<(AppendedRef | null)[]>;

/**
 * Something else that commits appends for this store, e.g. a writer thread with its own connection to the same
 * database (drivers/sqlite-append-writer.ts). Used for appends outside units of work; it must take the same chain
 * lock and persist the same rows as {@link createAppendCommitter}.
 */
export interface AppendWriter {
  commit: AppendCommitter;
  /** {@link CheckpointRepository.insert} on the writer's connection (a write, so it queues with the appends). */
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<boolean>;
  close(): Promise<void>;
}

const ENTRY_INSERT =
  'insert into evidence_entries (sequence, schema_version, kind, recorded_at, session_id, previous_hash, ' +
  'entry_hash, payload, payload_jcs)';
const ENTRY_WIDTH = 9;
const DECISION_INSERT =
  'insert into decisions (decision_id, session_id, agent_id, actor, repository, policy_pack, action_type, ' +
  'target, rule_id, decision, severity, timestamp, correlation_id, payload)';
const DECISION_WIDTH = 14;
const DECISION_CONFLICT = 'on conflict (decision_id) do nothing returning decision_id';

/**
 * The append transaction over a store context: stores the decisions, folds them into their sessions, chains the
 * entries onto the stored head (through `nextEntry`) and saves the writer state, under the chain lock. The one
 * implementation of an append, whichever thread runs it.
 */
export function createAppendCommitter(
  ctx: StoreContext,
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
): AppendCommitter {
  const general: AppendCommitter = (requests) =>
    chainTransaction(ctx, async (db) => {
      const tx: StoreContext = { db, dialect: ctx.dialect };
      // PostgreSQL pays a round trip per statement, so a batch that fits one statement per table takes the path
      // that merges statements (see storeDecisionsPostgres); SQLite runs statements in-process.
      const merged = ctx.dialect.name === 'postgres' && requests.length <= POSTGRES_MERGED_ROWS;
      const { state, logged } = merged
        ? await storeDecisionsPostgres(tx, requests, crypto)
        : { state: await loadState(db, crypto), logged: await storeDecisions(tx, requests) };
      let head = state.head;
      const refs: (AppendedRef | null)[] = [];
      const values: unknown[] = [];
      const approvals: ApprovalsTable[] = [];
      const chainOne = (request: Omit<PreparedAppend, 'decision' | 'follow'>): AppendedRef => {
        const entry = nextEntry(
          head,
          request.kind,
          request.payload ?? NO_PAYLOAD,
          request.recordedAt,
          request.payloadText,
        );
        assertChainsOnto(head, entry);
        values.push(
          entry.sequence,
          entry.schema_version,
          entry.kind,
          entry.recorded_at,
          request.sessionId,
          entry.previous_hash,
          entry.entry_hash,
          request.payloadText,
          1,
        );
        state.frontier.append(entryLeafHash(entry, crypto));
        head = { sequence: entry.sequence, entry_hash: entry.entry_hash };
        return { sequence: entry.sequence, previous_hash: entry.previous_hash, entry_hash: entry.entry_hash };
      };
      for (let i = 0; i < requests.length; i++) {
        const request = requests[i] as PreparedAppend;
        if (!logged[i]) {
          refs.push(null);
          continue;
        }
        const ref = chainOne(request);
        const follow = request.follow;
        if (follow !== undefined) {
          if (follow.approval !== undefined) approvals.push(follow.approval);
          ref.follow = chainOne(follow);
        }
        refs.push(ref);
      }
      // Approvals that follow their decisions: a plain insert, so an id already taken fails the transaction.
      if (approvals.length > 0) await db.insertInto('approvals').values(approvals).execute();
      if (values.length > 0 && merged) {
        await insertEntriesAndState(tx, values, head, state.frontier);
      } else {
        if (values.length > 0) await insertRows(tx, ENTRY_INSERT, ENTRY_WIDTH, values);
        if (values.length > 0 || !state.isStored) await saveState(db, head, state.frontier);
      }
      return refs;
    });
  // PostgreSQL outside a unit of work: one statement per group commit, with this as its general path (which
  // also takes every batch with a follow-up append).
  if (ctx.dialect.name !== 'postgres' || ctx.db.isTransaction) return general;
  const merged = createPostgresCommitter(ctx, nextEntry, crypto, general);
  return (requests) => (requests.some((r) => r.follow !== undefined) ? general(requests) : merged(requests));
}

/** The payload handed to `nextEntry` when only its text crossed to a writer thread (the default ignores it). */
const NO_PAYLOAD: JsonObject = Object.freeze({});

/** An entry as the append queue hands it back: with its follow-up entry, when the request had one. */
type LoggedEntry = EvidenceEntry & { followedBy?: EvidenceEntry };

function toEntry(ref: AppendedRef, kind: EntryKind, payload: JsonObject, recordedAt: string): LoggedEntry {
  return {
    schema_version: ENTRY_SCHEMA,
    sequence: ref.sequence,
    kind,
    recorded_at: recordedAt,
    payload,
    previous_hash: ref.previous_hash,
    entry_hash: ref.entry_hash,
  };
}

/** What a driver may add to the evidence log (Node drivers: threads). */
export type EvidenceLogOptions = {
  /** Commits appends made outside units of work instead of this connection (a writer thread). */
  writer?: AppendWriter;
  /** Starts a hasher for one verification: stored texts are hashed on another thread (see {@link StoredHasher}). */
  startHasher?: () => StoredHasher;
};

/**
 * Digests of stored entries computed elsewhere (another thread, its own connection) for {@link EvidenceLog.verify}:
 * per entry of a range, in order, its sequence and, when its row is canonical and its payload an object's text,
 * `hashStoredEntry` of it (32 bytes at `32 × i`, `computed[i] = 1`).
 */
export type HashedRange = {
  sequences: Float64Array<ArrayBuffer>;
  digests: Uint8Array<ArrayBuffer>;
  computed: Uint8Array<ArrayBuffer>;
  /**
   * The other columns the verifier checks, {@link HASHED_COLUMNS} values per entry in that order, as the hasher
   * read them (the verifying thread does not read the same pages again).
   */
  columns: (string | number | null)[];
};

/** The columns of {@link HashedRange.columns}, per entry. */
export const HASHED_COLUMNS = [
  'schema_version',
  'kind',
  'recorded_at',
  'previous_hash',
  'entry_hash',
] as const;

/** A source of {@link HashedRange}s for one verification; ranges are asked for in order, two ahead at most. */
export interface StoredHasher {
  hash(from: number, to: number): Promise<HashedRange>;
  close(): Promise<void>;
}

/**
 * The evidence log over a store context. `crypto` hashes the Merkle frontier the store keeps. With `writer`,
 * appends outside a unit of work are committed by it (a writer thread) instead of on this connection.
 */
export function createEvidenceLog(
  ctx: StoreContext,
  nextEntry: NextEntry,
  crypto: EvidenceCrypto,
  { writer, startHasher }: EvidenceLogOptions = {},
): EvidenceLog {
  const viaWriter = writer !== undefined && !ctx.db.isTransaction;
  const commitRefs: AppendCommitter = viaWriter
    ? (requests) => writer.commit(requests)
    : createAppendCommitter(ctx, nextEntry, crypto);
  // The payload's canonical text is computed once, before the transaction: it is the stored text, the decision
  // row's JSON, and (through nextEntry) what the entry hash covers. A payload without one fails here, alone.
  const commit = async (requests: readonly QueuedAppend[]): Promise<(LoggedEntry | null)[]> => {
    const prepare = ({ kind, payload, recordedAt }: AppendRequest): PreparedAppend => {
      const request: PreparedAppend = {
        kind,
        recordedAt,
        payloadText: canonicalJson(payload),
        sessionId: optionalString(payload.session_id),
      };
      // Only the text crosses to a writer thread; a custom nextEntry on this connection gets the object too.
      if (!viaWriter) request.payload = payload;
      return request;
    };
    const prepared = requests.map((queued): PreparedAppend => {
      const request = prepare(queued);
      if (queued.decision !== undefined) request.decision = decisionColumns(queued.decision);
      if (queued.follow !== undefined) {
        const { approval, ...entry } = queued.follow;
        request.follow = prepare(entry);
        if (approval !== undefined) request.follow.approval = approvalRow(approval);
      }
      return request;
    });
    const refs = await commitRefs(prepared);
    return requests.map(({ kind, payload, recordedAt, follow }, i) => {
      const ref = refs[i];
      if (ref === undefined) throw new Error('evidence log: the append produced no result');
      if (ref === null) return null;
      const entry: LoggedEntry = toEntry(ref, kind, payload, recordedAt);
      if (follow !== undefined) {
        if (ref.follow === undefined) throw new Error('evidence log: a follow-up append produced no result');
        entry.followedBy = toEntry(ref.follow, follow.kind, follow.payload, follow.recordedAt);
      }
      return entry;
    });
  };
  // Inside a unit of work appends run in its transaction; outside, concurrent appends share transactions.
  const enqueue = ctx.db.isTransaction ? undefined : createAppendQueue(commit);
  const one = async (request: QueuedAppend): Promise<LoggedEntry | null> => {
    if (enqueue !== undefined) return enqueue(request);
    const [entry] = await commit([request]);
    return entry ?? null;
  };
  const decisionWith = async (
    decision: Decision,
    recordedAt: string,
    follow: FollowingAppend,
  ): Promise<[EvidenceEntry, EvidenceEntry] | null> => {
    const logged = await one({ ...decisionAppend({ decision, recordedAt }), follow });
    if (logged === null) return null;
    const { followedBy, ...entry } = logged;
    if (followedBy === undefined) throw new Error('evidence log: the follow-up entry is missing');
    return [entry, followedBy];
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
  const storedPages = async function* (
    options: PageOptions = {},
  ): AsyncGenerator<(StoredEntry | EvidenceEntry)[], void, undefined> {
    const pageSize = Math.max(1, options.pageSize ?? STORED_PAGE_SIZE);
    const to = options.to ?? ((await readHead(ctx.db))?.sequence ?? -1) + 1;
    for (let from = options.from ?? 0; from < to; from += pageSize) {
      yield await selectStored(ctx, from, Math.min(to, from + pageSize));
    }
  };
  const local = createCheckpointRepository(ctx);
  const checkpoints: CheckpointRepository = viaWriter
    ? { ...local, insert: (checkpoint) => writer.insertCheckpoint(checkpoint) }
    : local;
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
    appendDecisionWith: decisionWith,
    appendDecisions: (records) => commit(records.map(decisionAppend)),
    settled: () => enqueue?.settled() ?? Promise.resolve(),
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
    storedPages,
    verify: async (trust, options = {}) => {
      // Checkpoints first: every entry they cover is committed, so the size read next includes it.
      const all = await allCheckpoints(checkpoints, trust.origin);
      const size = options.to ?? ((await readHead(ctx.db))?.sequence ?? -1) + 1;
      const verifier = new LogVerifier(all, trust, crypto, {
        total: size,
        ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
      });
      // Entries a signed checkpoint vouches for may be hashed on another thread (a large log on a Node driver).
      const hashedTo = Math.min(size, verifier.vouchedUntil);
      const from =
        startHasher !== undefined && hashedTo >= PARALLEL_VERIFY_MIN
          ? await verifyHashed(ctx, verifier, startHasher, hashedTo)
          : 0;
      const pageOptions: PageOptions = { from, to: size };
      if (options.pageSize !== undefined) pageOptions.pageSize = options.pageSize;
      for await (const page of storedPages(pageOptions)) {
        for (const row of page) {
          if (isStored(row)) verifier.addStored(row);
          else verifier.add(row);
        }
      }
      return verifier.finish();
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
    checkpoints,
  };
}

/**
 * Stores the decisions of a batch (and folds the new ones into their session summaries). Returns, per request,
 * whether it is to be logged: requests without a decision always are; a decision only when this batch stored it
 * (an id already stored, or earlier in the batch, is skipped). The decision row's JSON is the payload's
 * canonical text (JCS is JSON: readers parse it as before), so a decision is serialised once per append.
 */
async function storeDecisions(ctx: StoreContext, requests: readonly PreparedAppend[]): Promise<boolean[]> {
  const values: unknown[] = [];
  for (const { decision, payloadText } of requests) {
    if (decision !== undefined) pushDecisionValues(values, decision, payloadText);
  }
  if (values.length === 0) return requests.map(() => true);
  const rows = await insertRows<{ decision_id: string }>(
    ctx,
    DECISION_INSERT,
    DECISION_WIDTH,
    values,
    DECISION_CONFLICT,
  );
  const { logged, stored } = claimInserted(
    requests,
    rows.map((row) => row.decision_id),
  );
  if (stored.length > 0) await recordDecisionsInSessions(ctx, stored);
  return logged;
}

/**
 * Runs `fn` in a transaction that holds the chain lock: a unit of work's (which already holds it) or a new one.
 * On PostgreSQL a new transaction begins and takes the advisory lock in one round trip (one simple-protocol
 * query of two statements, constants only); elsewhere it is `inTransaction` + `dialect.lock`.
 */
function chainTransaction<T>(ctx: StoreContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (ctx.dialect.name !== 'postgres' || ctx.db.isTransaction) {
    return inTransaction(ctx, async (db) => {
      await ctx.dialect.lock(db, 'evidence_chain');
      return fn(db);
    });
  }
  return ctx.db.connection().execute(async (db) => {
    try {
      await db.executeQuery(CompiledQuery.raw(POSTGRES_BEGIN_CHAIN));
      const result = await fn(db);
      await db.executeQuery(CompiledQuery.raw('commit'));
      return result;
    } catch (error) {
      // INVARIANT: the connection goes back to the pool with no transaction open (a no-op when none is).
      await db.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    }
  });
}

/** `begin` + the chain's advisory lock (`postgresStoreDialect.lock(trx, 'evidence_chain')`), as one query. */
const POSTGRES_BEGIN_CHAIN = `begin; select pg_advisory_xact_lock(${String(PG_LOCK_CLASS.evidence_chain)}, hashtext('${LOG_ID}'))`;

/** The most requests a PostgreSQL batch takes in merged statements (2 × 14,000 parameters at most). */
const POSTGRES_MERGED_ROWS = 1000;

/** The values of a decision's row, in DECISION_INSERT's order. */
function pushDecisionValues(values: unknown[], decision: DecisionColumns, payloadText: string): void {
  // INVARIANT: the columns of `toDecisionRow` (decisions.ts); the JSON is the payload's canonical text.
  values.push(
    decision.decision_id,
    decision.session_id,
    decision.agent_id,
    decision.actor,
    decision.repository ?? null,
    decision.policy_pack,
    decision.action_type,
    decision.target,
    decision.rule_id,
    decision.decision,
    decision.severity,
    decision.timestamp,
    decision.correlation_id,
    payloadText,
  );
}

/** Which requests to log, given the decision ids this batch inserted (the first request with an id claims it). */
function claimInserted(
  requests: readonly PreparedAppend[],
  insertedIds: Iterable<string>,
): { logged: boolean[]; stored: DecisionColumns[] } {
  const inserted = new Set(insertedIds);
  const stored: DecisionColumns[] = [];
  const logged = requests.map(({ decision }) => {
    if (decision === undefined) return true;
    if (!inserted.delete(decision.decision_id)) return false;
    stored.push(decision);
    return true;
  });
  return { logged, stored };
}

type MergedRow = {
  inserted: string[];
  locked: string | number;
  tree_size: number | null;
  head_hash: string | null;
  frontier: string | null;
};

/**
 * PostgreSQL, under the chain lock: one statement inserts the batch's decisions, takes the session locks of
 * their sessions (in id order, as `recordDecisionsInSessions` would) and reads the writer state; the session
 * fold then runs without taking those locks again. Three round trips fewer than the statement-per-step path,
 * with the same locks held in the same order for the rest of the transaction. The state is read after the chain
 * lock was granted (the previous statement), so READ COMMITTED shows the previous holder's commit.
 */
async function storeDecisionsPostgres(
  ctx: StoreContext,
  requests: readonly PreparedAppend[],
  crypto: EvidenceCrypto,
): Promise<{ state: LoadedState; logged: boolean[] }> {
  const values: unknown[] = [];
  const sessions = new Set<string>();
  for (const { decision, payloadText } of requests) {
    if (decision === undefined) continue;
    pushDecisionValues(values, decision, payloadText);
    sessions.add(decision.session_id);
  }
  const count = values.length / DECISION_WIDTH;
  const n = values.length;
  const text =
    (count === 0
      ? 'with '
      : `with d as (${DECISION_INSERT} values ${valuesList('postgres', DECISION_WIDTH, count)} ${DECISION_CONFLICT}), `) +
    `l as (select pg_advisory_xact_lock(${String(PG_LOCK_CLASS.session)}, hashtext(k)) ` +
    `from (select unnest($${String(n + 1)}::text[]) as k order by k) s) ` +
    `select ${count === 0 ? "'[]'::json" : "(select coalesce(json_agg(decision_id), '[]'::json) from d)"} as inserted, ` +
    '(select count(*) from l) as locked, s.tree_size, s.head_hash, s.frontier ' +
    `from (select 1) one left join evidence_log_state s on s.log_id = $${String(n + 2)}`;
  values.push([...sessions], LOG_ID);
  const result = await ctx.db.executeQuery<MergedRow>(CompiledQuery.raw(text, values));
  const row = result.rows[0];
  if (row === undefined) throw new Error('evidence log: the merged statement returned no row');
  const state =
    row.tree_size === null
      ? await loadState(ctx.db, crypto)
      : stateFromRow(
          { tree_size: row.tree_size, head_hash: row.head_hash, frontier: row.frontier ?? '[]' },
          crypto,
        );
  const { logged, stored } = claimInserted(requests, row.inserted);
  if (stored.length > 0) {
    const locked = sessions;
    const dialect: StoreDialect = {
      name: ctx.dialect.name,
      lock: (trx, scope, key) =>
        scope === 'session' && key !== undefined && locked.has(key)
          ? Promise.resolve()
          : ctx.dialect.lock(trx, scope, key),
    };
    await recordDecisionsInSessions({ db: ctx.db, dialect }, stored);
  }
  return { state, logged };
}

/** PostgreSQL: the batch's entries and the new writer state in one statement. */
async function insertEntriesAndState(
  ctx: StoreContext,
  values: unknown[],
  head: LogHead,
  frontier: MerkleFrontier,
): Promise<void> {
  const count = values.length / ENTRY_WIDTH;
  const n = values.length;
  const { size, hashes } = frontier.toState();
  const text =
    `with e as (${ENTRY_INSERT} values ${valuesList('postgres', ENTRY_WIDTH, count)}) ` +
    'insert into evidence_log_state (log_id, tree_size, head_hash, frontier) ' +
    `values ($${String(n + 1)}, $${String(n + 2)}, $${String(n + 3)}, $${String(n + 4)}) ` +
    'on conflict (log_id) do update set tree_size = excluded.tree_size, head_hash = excluded.head_hash, ' +
    'frontier = excluded.frontier';
  await ctx.db.executeQuery(
    CompiledQuery.raw(text, [...values, LOG_ID, size, head?.entry_hash ?? null, toJson(hashes)]),
  );
}

/** Below this many entries a verification is not worth starting a hashing thread for. */
const PARALLEL_VERIFY_MIN = 20_000;
/** Entries per range a hasher computes (and per query of the columns here). */
const HASHED_PAGE_SIZE = 5_000;

/**
 * Verifies entries `[0, to)` with their columns and digests from a hasher (which reads and hashes while this
 * thread checks): this thread does everything else, links, times, the Merkle tree, checkpoints. An entry the
 * verifier cannot take with its digest (none computed, or it does not match, or any irregularity) is read whole
 * here, with the rest of its range, and verified as `verify` always does. Returns where the caller's own pass
 * must go on: `to`, or where the hasher failed (then the rest is verified without it).
 */
async function verifyHashed(
  ctx: StoreContext,
  verifier: LogVerifier,
  startHasher: () => StoredHasher,
  to: number,
): Promise<number> {
  const hasher = startHasher();
  const range = (from: number): Promise<HashedRange> => {
    const request = hasher.hash(from, Math.min(to, from + HASHED_PAGE_SIZE));
    request.catch(() => undefined); // awaited below, or abandoned when an earlier range failed
    return request;
  };
  let from = 0;
  try {
    let next = range(0);
    for (; from < to; from += HASHED_PAGE_SIZE) {
      const end = Math.min(to, from + HASHED_PAGE_SIZE);
      const current = next;
      if (end < to) next = range(end);
      let hashed: HashedRange;
      try {
        hashed = await current;
      } catch {
        return from;
      }
      const { sequences, columns } = hashed;
      const width = HASHED_COLUMNS.length;
      let taken = from;
      for (let j = 0; j < sequences.length; j++) {
        const at = j * width;
        const row = {
          sequence: sequences[j] as number,
          schema_version: columns[at] as string,
          kind: columns[at + 1] as string,
          recorded_at: columns[at + 2] as string,
          previous_hash: columns[at + 3] as string | null,
          entry_hash: columns[at + 4] as string,
        };
        // `computed` only for a canonical row whose payload is an object's text (see HashedRange).
        const digest = hashed.computed[j] === 1 ? hashed.digests.subarray(j * 32, j * 32 + 32) : null;
        if (row.sequence !== taken || !verifier.tryAddHashed(row, digest)) break;
        taken += 1;
      }
      // The rest of the range (anything irregular, a gap, a range cut short), read whole and verified here.
      if (taken < end) {
        for (const full of await selectStored(ctx, taken, end)) {
          if (isStored(full)) verifier.addStored(full);
          else verifier.add(full);
        }
      }
    }
    return to;
  } finally {
    await hasher.close().catch(() => undefined);
  }
}

/** Every checkpoint (of one origin, when given), read page by page. */
async function allCheckpoints(
  repository: CheckpointRepository,
  origin: string | undefined,
): Promise<CheckpointRecord[]> {
  const all: CheckpointRecord[] = [];
  const filter = origin === undefined ? {} : { origin };
  for (let offset = 0; ;) {
    const page = await repository.list(filter, { limit: MAX_CHECKPOINT_PAGE, offset });
    for (const item of page.items) all.push(item);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return all;
  }
}

const MAX_CHECKPOINT_PAGE = 500;

/** A stored entry row (canonical text) rather than a parsed legacy entry. */
function isStored(row: StoredEntry | EvidenceEntry): row is StoredEntry {
  return typeof row.payload === 'string';
}

type StoredRow = Omit<EvidenceEntriesTable, 'session_id'>;

/**
 * Rows `[from, to)` as the verifier takes them, without Kysely's builder or any parsing: canonical rows as
 * {@link StoredEntry}, rows from before migration 0002 (`payload_jcs = 0`) parsed into entries.
 */
async function selectStored(
  ctx: StoreContext,
  from: number,
  to: number,
): Promise<(StoredEntry | EvidenceEntry)[]> {
  const placeholders = ctx.dialect.name === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  const result = await ctx.db.executeQuery<StoredRow>(
    CompiledQuery.raw(
      'select sequence, schema_version, kind, recorded_at, previous_hash, entry_hash, payload, payload_jcs ' +
        `from evidence_entries where sequence >= ${placeholders[0] ?? ''} and sequence < ${placeholders[1] ?? ''} ` +
        'order by sequence',
      [from, to],
    ),
  );
  const out: (StoredEntry | EvidenceEntry)[] = [];
  for (const row of result.rows) {
    out.push(row.payload_jcs === 1 ? row : fromRow({ ...row, session_id: null }));
  }
  return out;
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
  return row === undefined ? null : stateFromRow(row, crypto);
}

function stateFromRow(
  row: Pick<EvidenceLogStateTable, 'tree_size' | 'head_hash' | 'frontier'>,
  crypto: EvidenceCrypto,
): LoadedState {
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

/** The checkpoint repository over a store context (also the writer thread's, for inserts). */
export function createCheckpointRepository(ctx: StoreContext): CheckpointRepository {
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
