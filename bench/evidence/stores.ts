/**
 * Throwaway stores for the evidence benchmark: sql.js in memory, better-sqlite3 on a file in a fresh temporary
 * directory (removed afterwards), and a PostgreSQL database created for the run and dropped after it (on the
 * server named by CAVRA_TEST_DATABASE_URL, default the local test server). Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EvidenceCrypto } from '../../src/evidence';
import type { Store } from '../../src/store';
import { openSqliteStore } from '../../src/store/drivers/better-sqlite3';
import { openPostgresStore } from '../../src/store/drivers/postgres';
import { openSqlJsStore } from '../../src/store/drivers/sql-js';

/** The PostgreSQL server the benchmark creates its database on. */
export const POSTGRES_SERVER =
  process.env['CAVRA_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database the benchmark owns: open stores on it (several = several processes), then drop it. */
export type BenchDatabase = { label: string; open(): Promise<Store>; dispose(): Promise<void> };

/** sql.js in memory (one store: the database lives in it). */
export function sqlJsDatabase(crypto: EvidenceCrypto): BenchDatabase {
  return {
    label: 'sql.js (in memory)',
    open: () => openSqlJsStore({ crypto }),
    dispose: () => Promise.resolve(),
  };
}

/**
 * better-sqlite3 on a fresh file (WAL) with `synchronous` FULL (the default) or NORMAL; with `writerThread`,
 * appends commit on the store's writer thread (what the server runs).
 */
export function sqliteDatabase(
  crypto: EvidenceCrypto,
  synchronous: 'full' | 'normal',
  writerThread = false,
): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-evidence-bench-'));
  const path = join(dir, 'cavra.db');
  return {
    label: `better-sqlite3 (synchronous=${synchronous.toUpperCase()}${writerThread ? ', writer thread' : ''})`,
    open: () => openSqliteStore({ path, crypto, synchronous, writerThread }),
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** Whether the PostgreSQL server answers (the benchmark skips PostgreSQL, saying so, when it does not). */
export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database `cavra_bench_<random>` with the server's durability settings (synchronous_commit as
 * configured, on by default: a commit waits for its WAL flush, like SQLite FULL). Dropped by `dispose`.
 */
export async function postgresDatabase(crypto: EvidenceCrypto, poolSize = 10): Promise<BenchDatabase> {
  const name = `cavra_bench_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  const opened: Store[] = [];
  return {
    label: 'PostgreSQL',
    open: async () => {
      const store = await openPostgresStore({ url: url.toString(), crypto, poolSize });
      opened.push(store);
      return store;
    },
    dispose: async () => {
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** The server's `synchronous_commit` and `fsync` settings, for the report. */
export async function postgresDurability(): Promise<string> {
  return admin(async (client) => {
    const rows = await client.query<{ name: string; setting: string }>(
      "select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method')",
    );
    return rows.rows.map((r) => `${r.name}=${r.setting}`).join(', ');
  });
}
