/** The embedded default driver: one SQLite file (WAL) shared by hooks, the CLI and the server. Node only. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AsyncMutex, createSqliteDialect, sqliteStoreDialect } from '../dialect';
import type { Database } from '../schema';
import type { Store, StoreOptions } from '../store';
import { createStore } from '../store';
import { nodeCrypto } from './node-crypto';

/** Where the embedded database lives by default, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = '.cavra/cavra.db';

/** One mutex per database file for every store this process opens on it (see `createSqliteDialect`). */
const fileMutexes = new Map<string, AsyncMutex>();

function fileMutex(path: string): AsyncMutex | undefined {
  if (path === ':memory:') return undefined;
  const key = resolve(path);
  let mutex = fileMutexes.get(key);
  if (mutex === undefined) {
    mutex = new AsyncMutex();
    fileMutexes.set(key, mutex);
  }
  return mutex;
}

/** Options of {@link openSqliteStore}. */
export type SqliteStoreOptions = StoreOptions & {
  /** The database file (its directory is created), or `:memory:`. */
  path: string;
  /** How long a writer waits for another process's write lock before failing (ms). Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `full` (default): a committed append survives power loss (one fsync per transaction, ~3 ms here).
   * `normal`: WAL's lighter mode: survives a crash of the process, may lose the last commits on power loss.
   */
  synchronous?: 'full' | 'normal';
};

/**
 * Opens (and migrates) a store on a SQLite file with better-sqlite3: WAL journal, durable commits, foreign keys,
 * a busy timeout, and `BEGIN IMMEDIATE` transactions so several processes can append to one evidence chain.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (options.path !== ':memory:') ensureDirectory(dirname(resolve(options.path)));
  const raw = new BetterSqlite3(options.path, { timeout: busyTimeoutMs });
  try {
    raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({
      dialect: createSqliteDialect({ database: cachingStatements(raw) }, fileMutex(options.path)),
    });
    return await createStore(db, sqliteStoreDialect, { ...options, crypto: options.crypto ?? nodeCrypto });
  } catch (error) {
    raw.close();
    throw error;
  }
}

/**
 * Creates a directory and its missing parents. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never
 * returns for a directory the kernel refuses with ENOENT although its parent exists (e.g. under /proc).
 */
function ensureDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another process may have created it meanwhile; anything else is the caller's error.
    if (!existsSync(dir)) throw error;
  }
}

/** Prepared statements kept per SQL text (most recently used last), per connection. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * better-sqlite3 with its prepared statements reused: Kysely's SQLite driver prepares every query it runs, and
 * compiling a statement costs about as much as running an insert (~25 µs here). Statements are keyed by their
 * SQL text; Kysely runs one query at a time on the connection, so a cached statement is never in use twice.
 */
function cachingStatements(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare: (sql) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = raw.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const [oldest] = cache.keys();
          if (oldest !== undefined) cache.delete(oldest);
        }
      } else {
        cache.delete(sql);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
