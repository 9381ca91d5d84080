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
import { SqliteAppendWriter } from './sqlite-append-writer';
import { startSqliteHasher } from './sqlite-hasher';

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
  /**
   * Commit evidence appends made outside units of work on a writer thread with its own connection to the file
   * (drivers/sqlite-append-writer.ts): SQLite's work and the commit's fsync leave the caller's event loop, and a
   * second core runs them while the caller decides the next requests. For long-lived processes (the server);
   * a short command pays ~30 ms to start the thread. Needs a file and the default `nextEntry`.
   */
  writerThread?: boolean;
};

/**
 * Opens (and migrates) a store on a SQLite file with better-sqlite3: WAL journal, durable commits, foreign keys,
 * a busy timeout, and `BEGIN IMMEDIATE` transactions so several processes can append to one evidence chain.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  if (options.path !== ':memory:') ensureDirectory(dirname(resolve(options.path)));
  if (options.writerThread === true) {
    if (options.path === ':memory:')
      throw new Error('openSqliteStore: a writer thread needs a database file');
    if (options.nextEntry !== undefined) {
      throw new Error('openSqliteStore: a writer thread builds entries itself; it takes no nextEntry');
    }
  }
  // With a writer thread, the lock this connection most often waits for is held by a thread of this process:
  // wait for it asynchronously (SQLite's busy handler would sleep on the event loop), up to the same timeout.
  const withWriter = options.writerThread === true;
  const connection = openSqliteConnection(
    options.path,
    withWriter ? { ...options, busyTimeoutMs: 0 } : options,
  );
  try {
    const db = new Kysely<Database>({
      dialect: createSqliteDialect(
        { database: connection },
        fileMutex(options.path),
        withWriter ? { busyRetryMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS } : {},
      ),
    });
    const crypto = options.crypto ?? nodeCrypto;
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const path = resolve(options.path);
    // Large verifications hash stored texts on a thread of their own (a file only: it opens its own connection).
    const threads: StoreOptions =
      options.path === ':memory:' ? {} : { startHasher: () => startSqliteHasher({ path, busyTimeoutMs }) };
    if (options.writerThread !== true) {
      return await createStore(db, sqliteStoreDialect, { ...threads, ...options, crypto });
    }
    // Migrate first (createStore), then start the writer on the migrated file; appends wait for it to open.
    const appendWriter = new SqliteAppendWriter({
      path,
      busyTimeoutMs,
      synchronous: options.synchronous ?? 'full',
    });
    // The writer thread is running with the file open: verifications hash on it (no thread to start).
    const onWriter: StoreOptions = {
      startHasher: () => ({ hash: appendWriter.hash, close: () => Promise.resolve() }),
    };
    const store = await createStore(db, sqliteStoreDialect, {
      ...onWriter,
      ...options,
      crypto,
      appendWriter,
    });
    await appendWriter.start();
    return store;
  } catch (error) {
    connection.close();
    throw error;
  }
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * A better-sqlite3 connection configured as every CAVRA connection to a SQLite file is: busy timeout, WAL,
 * `synchronous`, foreign keys, and prepared statements cached for Kysely. Also the writer thread's connection.
 */
export function openSqliteConnection(
  path: string,
  options: Pick<SqliteStoreOptions, 'busyTimeoutMs' | 'synchronous'>,
): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const raw = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  try {
    raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    return cachingStatements(raw);
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
