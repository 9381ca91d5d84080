import type { Kysely } from 'kysely';
import { createEntry, nobleCrypto } from '../evidence';
import type { EvidenceCrypto } from '../evidence';
import type { ApprovalRepository } from './approvals';
import { createApprovalRepository } from './approvals';
import type { DecisionRepository } from './decisions';
import { createDecisionRepository } from './decisions';
import type { StoreDialect } from './dialect';
import type { AppendWriter, EvidenceLog, NextEntry, StoredHasher } from './evidence-log';
import { createEvidenceLog } from './evidence-log';
import type { EvidenceMetadataRepository } from './evidence-metadata';
import { createEvidenceMetadataRepository } from './evidence-metadata';
import type { IntegrationRepository } from './integration-records';
import { createIntegrationRepository } from './integration-records';
import type { InventoryRepositories } from './inventory';
import { createInventoryRepositories } from './inventory';
import type { Migration, MigrationReport } from './migrations';
import { MIGRATIONS, migrate } from './migrations';
import type { OperationsRepositories } from './operations';
import { createOperationsRepositories } from './operations';
import type { RegistryRepositories } from './registry';
import { createRegistryRepositories } from './registry';
import type { Database } from './schema';
import type { SessionRepository } from './sessions';
import { createSessionRepository } from './sessions';
import type { StoreContext } from './support';

/** Every repository of the store, over one database handle (the store itself, or a unit of work). */
export interface StoreRepositories {
  readonly decisions: DecisionRepository;
  readonly sessions: SessionRepository;
  readonly evidence: EvidenceLog;
  readonly evidenceMetadata: EvidenceMetadataRepository;
  readonly approvals: ApprovalRepository;
  readonly registry: RegistryRepositories;
  readonly inventory: InventoryRepositories;
  readonly integrations: IntegrationRepository;
  readonly operations: OperationsRepositories;
}

/** The store: repositories over one migrated database, whichever driver opened it. */
export interface Store extends StoreRepositories {
  /** The SQL flavour underneath (`sqlite` for both sql.js and better-sqlite3). */
  readonly dialect: StoreDialect['name'];
  /** What the migrations did when the store was opened. */
  readonly migrations: MigrationReport;
  /**
   * Runs `fn` as one unit of work: every repository call through `tx` commits together or not at all (e.g. a
   * decision, its session summary and its evidence entry). It holds the evidence chain lock from the start, so
   * units of work are serialised with appends and cannot deadlock on lock order.
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Closes the database (the pool, the file, the in-memory database). */
  close(): Promise<void>;
}

/** What every driver passes through. */
export type StoreOptions = {
  /**
   * The hash functions of the evidence log: the Merkle frontier the store keeps, and entries when `nextEntry` is
   * absent. Default: the evidence layer's pure-JS `nobleCrypto`; the Node drivers default to `nodeCrypto`.
   */
  crypto?: EvidenceCrypto;
  /** Builds each evidence entry. Default: the evidence layer's `createEntry` with `crypto` bound. */
  nextEntry?: NextEntry;
  /** The clock for timestamps the store fills itself (migrations, session summaries without decisions). */
  now?: () => Date;
  /** The migrations to apply; default {@link MIGRATIONS}. Other lists are for tests and tools. */
  migrations?: readonly Migration[];
  /**
   * Commits appends made outside units of work instead of this connection (a driver's writer thread; see
   * {@link AppendWriter}). Closed with the store.
   */
  appendWriter?: AppendWriter;
  /** Starts a thread that hashes stored entries for a large verification (a Node driver's; see StoredHasher). */
  startHasher?: () => StoredHasher;
};

/**
 * Migrates `db` and returns the store over it. Drivers call this; callers use a driver (`openSqlJsStore`,
 * `openSqliteStore`, `openPostgresStore`, `openStore`).
 */
export async function createStore(
  db: Kysely<Database>,
  dialect: StoreDialect,
  options: StoreOptions,
): Promise<Store> {
  const now = options.now ?? (() => new Date());
  const crypto = options.crypto ?? nobleCrypto;
  const nextEntry: NextEntry =
    options.nextEntry ??
    ((head, kind, payload, recordedAt, payloadText) =>
      createEntry(head, kind, payload, recordedAt, crypto, payloadText));
  const migrations = await migrate(db, dialect, options.migrations ?? MIGRATIONS, () => now().toISOString());
  const repositories = (ctx: StoreContext): StoreRepositories => ({
    decisions: createDecisionRepository(ctx),
    sessions: createSessionRepository(ctx, now),
    evidence: createEvidenceLog(ctx, nextEntry, crypto, {
      ...(options.appendWriter !== undefined && { writer: options.appendWriter }),
      ...(options.startHasher !== undefined && { startHasher: options.startHasher }),
    }),
    evidenceMetadata: createEvidenceMetadataRepository(ctx),
    approvals: createApprovalRepository(ctx),
    registry: createRegistryRepositories(ctx),
    inventory: createInventoryRepositories(ctx),
    integrations: createIntegrationRepository(ctx),
    operations: createOperationsRepositories(ctx),
  });
  const own = repositories({ db, dialect });
  return {
    ...own,
    dialect: dialect.name,
    migrations,
    transaction: (fn) =>
      db.transaction().execute(async (trx) => {
        await dialect.lock(trx, 'evidence_chain');
        return fn(repositories({ db: trx, dialect }));
      }),
    close: async () => {
      // Appends already made finish (group-committed ones wait for their turn) before the database closes.
      await own.evidence.settled();
      await options.appendWriter?.close();
      await db.destroy();
    },
  };
}
