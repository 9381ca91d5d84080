/**
 * The sql.js driver: SQLite compiled to WebAssembly, in memory. The sandbox's backend in the browser and the
 * fast driver of Node tests. Browser-capable: no Node built-ins here.
 */
import { Kysely } from 'kysely';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { Database as SqlJsDatabase, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import { createSqliteDialect, sqliteStoreDialect } from '../dialect';
import type { Database } from '../schema';
import type { Store, StoreOptions } from '../store';
import { createStore } from '../store';

/** Options of {@link openSqlJsStore}. */
export type SqlJsStoreOptions = StoreOptions & {
  /**
   * An initialised sql.js module. The browser build passes its own (initialised with the wasm file's URL); when
   * absent, the package's default build is loaded (Node finds its wasm beside it).
   */
  sqlJs?: SqlJsStatic;
  /** A database image to start from (`SqlJsStore.export()` of an earlier run); otherwise an empty database. */
  data?: Uint8Array;
};

/** A store over an in-memory sql.js database. */
export interface SqlJsStore extends Store {
  /** The database as a SQLite file image, e.g. to save a sandbox session. Call between operations. */
  export(): Uint8Array;
}

/** Opens (and migrates) a store on an in-memory sql.js database. */
export async function openSqlJsStore(options: SqlJsStoreOptions): Promise<SqlJsStore> {
  const SQL = options.sqlJs ?? (await loadSqlJs());
  const raw = new SQL.Database(options.data);
  const configure = (): void => {
    raw.run('pragma foreign_keys = on');
  };
  configure();
  const db = new Kysely<Database>({ dialect: createSqliteDialect({ database: adaptSqlJs(raw) }) });
  const store = await createStore(db, sqliteStoreDialect, options);
  return {
    ...store,
    export: () => {
      // sql.js closes and reopens the database to export it, which resets pragmas.
      const image = raw.export();
      configure();
      return image;
    },
  };
}

async function loadSqlJs(): Promise<SqlJsStatic> {
  const { default: initSqlJs } = await import('sql.js');
  return initSqlJs();
}

/**
 * Presents a sql.js database as the better-sqlite3-shaped handle Kysely's SQLite driver expects, so the dialect
 * (and its single-connection mutex and `BEGIN IMMEDIATE` transactions) is shared with better-sqlite3.
 */
export function adaptSqlJs(db: SqlJsDatabase): SqliteDatabase {
  return {
    close: () => {
      db.close();
    },
    prepare: (sql) => statement(db, db.prepare(sql)),
  };
}

// Each statement is prepared for one execution (Kysely's SQLite connection prepares per query) and freed after it.
function statement(db: SqlJsDatabase, stmt: Statement): SqliteStatement {
  const rows = (parameters: readonly unknown[]): Record<string, SqlValue>[] => {
    try {
      stmt.bind(parameters.map(toSqlValue));
      const result: Record<string, SqlValue>[] = [];
      while (stmt.step()) result.push(stmt.getAsObject());
      return result;
    } finally {
      stmt.free();
    }
  };
  return {
    reader: stmt.getColumnNames().length > 0,
    all: rows,
    iterate: (parameters) => rows(parameters)[Symbol.iterator](),
    run: (parameters) => {
      try {
        stmt.run(parameters.map(toSqlValue));
      } finally {
        stmt.free();
      }
      const changes = db.getRowsModified();
      const lastRow = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0];
      return { changes, lastInsertRowid: typeof lastRow === 'number' ? lastRow : 0 };
    },
  };
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new TypeError(`sql.js cannot bind a ${typeof value} parameter`);
}
