/**
 * The store's SQL port: what differs between SQLite and PostgreSQL beyond what Kysely already compiles.
 * Only locking differs; every query and every migration is shared (docs/decisions/0008-store-and-drivers.md).
 */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { DatabaseConnection, Dialect, Kysely, SqliteDialectConfig } from 'kysely';
import type { Database } from './schema';

/** What a lock serialises: evidence appends (and units of work), migrations, or one session's summary. */
export type LockScope = 'evidence_chain' | 'migrations' | 'session';

/** The SQL flavour a store runs on, and how it serialises writers. A port: one implementation per flavour. */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Serialises the calling transaction against every other transaction that takes the same lock, in any process,
   * until it commits or rolls back. Must be called inside a transaction.
   */
  lock(trx: Kysely<Database>, scope: LockScope, key?: string): Promise<void>;
}

/**
 * SQLite (better-sqlite3 and sql.js): every transaction is `BEGIN IMMEDIATE` (see {@link createSqliteDialect}), so
 * a transaction already holds the database's single write lock from its first statement; there is nothing to add.
 * Within one process Kysely's SQLite driver hands its one connection to one transaction at a time.
 */
export const sqliteStoreDialect: StoreDialect = {
  name: 'sqlite',
  lock: () => Promise.resolve(),
};

/** Advisory-lock classes (first key of the two-int form); `CV` in the high bytes keeps them apart from others'. */
export const PG_LOCK_CLASS: Readonly<Record<LockScope, number>> = {
  evidence_chain: 0x43560001,
  migrations: 0x43560002,
  session: 0x43560003,
};

/**
 * PostgreSQL: a transaction-scoped advisory lock, released by COMMIT/ROLLBACK; re-entrant within a transaction,
 * so a unit of work that already holds the chain lock can append again.
 */
export const postgresStoreDialect: StoreDialect = {
  name: 'postgres',
  lock: async (trx, scope, key = '') => {
    await sql`select pg_advisory_xact_lock(${PG_LOCK_CLASS[scope]}::int4, hashtext(${key}))`.execute(trx);
  },
};

/** A FIFO async mutex. */
export class AsyncMutex {
  #isLocked = false;
  readonly #waiters: (() => void)[] = [];

  /** Resolves once the caller holds the mutex. */
  async lock(): Promise<void> {
    if (!this.#isLocked) {
      this.#isLocked = true;
      return;
    }
    await new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
    });
  }

  /** Hands the mutex to the next waiter, or frees it. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#isLocked = false;
    else next();
  }
}

/** Kysely's SQLite driver, but write transactions start with `BEGIN IMMEDIATE`, and an optional shared mutex. */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #shared: AsyncMutex | undefined;

  constructor(config: SqliteDialectConfig, shared: AsyncMutex | undefined) {
    super(config);
    this.#shared = shared;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#shared?.lock();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#shared?.unlock();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // INVARIANT: take the write lock up front. A deferred transaction that reads the chain head and then writes
    // fails with SQLITE_BUSY (not waiting on busy_timeout) when another process appended in between.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * A Kysely dialect over any better-sqlite3-shaped database handle (better-sqlite3 itself, or the sql.js adapter),
 * reusing Kysely's SQLite adapter, compiler and introspector, with `BEGIN IMMEDIATE` transactions.
 *
 * `shared`: a mutex held for each query and whole transaction, shared by every handle on the same file in this
 * process. better-sqlite3 waits for a lock synchronously, so a second connection of the same process waiting on
 * the busy timeout would block the event loop the holder needs to finish: the process would deadlock itself.
 */
export function createSqliteDialect(config: SqliteDialectConfig, shared?: AsyncMutex): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config, shared),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
