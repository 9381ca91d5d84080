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

// The store core runs in browsers too: ES2023 declares no timer, so only what is used is declared here.
declare const setTimeout: (callback: () => void, ms: number) => unknown;

/** Options of {@link createSqliteDialect}. */
export type SqliteDialectOptions = {
  /**
   * Wait for another connection's write lock here, asynchronously, for up to this many ms: a statement that
   * fails with SQLITE_BUSY is retried after a pause that lets the event loop run. For a connection whose
   * database has `busy_timeout = 0` because the lock's holder is a thread of the same process (the SQLite
   * writer thread): SQLite's own busy handler would sleep on this thread, stopping the event loop meanwhile.
   */
  busyRetryMs?: number;
};

/** Pause between attempts of a statement that met SQLITE_BUSY (ms). */
const BUSY_RETRY_PAUSE_MS = 1;

/** Kysely's SQLite driver, but write transactions start with `BEGIN IMMEDIATE`, and an optional shared mutex. */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #shared: AsyncMutex | undefined;
  readonly #busyRetryMs: number | undefined;

  constructor(config: SqliteDialectConfig, shared: AsyncMutex | undefined, options: SqliteDialectOptions) {
    super(config);
    this.#shared = shared;
    this.#busyRetryMs = options.busyRetryMs;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#shared?.lock();
    const connection = await super.acquireConnection();
    return this.#busyRetryMs === undefined ? connection : retryingBusy(connection, this.#busyRetryMs);
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
export function createSqliteDialect(
  config: SqliteDialectConfig,
  shared?: AsyncMutex,
  options: SqliteDialectOptions = {},
): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config, shared, options),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

/**
 * A connection whose statements meeting SQLITE_BUSY are tried again after a pause, for up to `limitMs`. Safe:
 * a statement that fails with SQLITE_BUSY changed nothing (and inside a `BEGIN IMMEDIATE` transaction, which
 * holds the write lock, no statement meets it).
 */
function retryingBusy(connection: DatabaseConnection, limitMs: number): DatabaseConnection {
  return {
    executeQuery: async (query) => {
      const deadline = Date.now() + limitMs;
      for (;;) {
        try {
          return await connection.executeQuery(query);
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
          await new Promise<void>((resolve) => {
            setTimeout(resolve, BUSY_RETRY_PAUSE_MS);
          });
        }
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}
