/** Picks a driver from `CAVRA_DATABASE_URL`'s form. Node only: for the server, the CLI and hooks. */
import type { Store, StoreOptions } from '../store';
import { DEFAULT_SQLITE_PATH, openSqliteStore } from './better-sqlite3';
import { openPostgresStore } from './postgres';

/** Where a store lives: a PostgreSQL URL, or a SQLite file path. */
export type StoreTarget = { driver: 'postgres'; url: string } | { driver: 'sqlite'; path: string };

/**
 * Reads a `CAVRA_DATABASE_URL` value: `postgres://…`/`postgresql://…` selects PostgreSQL; anything else is a
 * SQLite file path; empty or absent means `.cavra/cavra.db`.
 */
export function parseStoreTarget(urlOrPath: string | undefined): StoreTarget {
  const value = urlOrPath?.trim() ?? '';
  if (/^postgres(ql)?:\/\//i.test(value)) return { driver: 'postgres', url: value };
  return { driver: 'sqlite', path: value === '' ? DEFAULT_SQLITE_PATH : value };
}

/** Options of {@link openStore}. */
export type OpenStoreOptions = StoreOptions & {
  /**
   * SQLite files: commit evidence appends on a writer thread (see `SqliteStoreOptions.writerThread`); for
   * long-lived processes such as the server. Ignored for PostgreSQL and `:memory:`.
   */
  writerThread?: boolean;
};

/** Opens the store `urlOrPath` names (see {@link parseStoreTarget}), e.g. `openStore(process.env.CAVRA_DATABASE_URL, …)`. */
export function openStore(urlOrPath: string | undefined, options: OpenStoreOptions): Promise<Store> {
  const { writerThread, ...storeOptions } = options;
  const target = parseStoreTarget(urlOrPath);
  if (target.driver === 'postgres') return openPostgresStore({ ...storeOptions, url: target.url });
  return openSqliteStore({
    ...storeOptions,
    path: target.path,
    writerThread: writerThread === true && target.path !== ':memory:',
  });
}
