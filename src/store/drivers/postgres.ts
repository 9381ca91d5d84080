/** The scale driver: PostgreSQL through a `pg` pool, shared by several API processes. Node only. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresStoreDialect } from '../dialect';
import type { Database } from '../schema';
import type { Store, StoreOptions } from '../store';
import { createStore } from '../store';
import { nodeCrypto } from './node-crypto';

/** Options of {@link openPostgresStore}. */
export type PostgresStoreOptions = StoreOptions & {
  /** `postgres://user@host:port/database` (the form of `CAVRA_DATABASE_URL`). */
  url: string;
  /** Connections in this process's pool. Default 10. */
  poolSize?: number;
};

/**
 * Opens (and migrates) a store on PostgreSQL. Evidence appends take a transaction-scoped advisory lock, so any
 * number of processes on one database extend a single chain.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  // int8 (sequences, tree sizes, count(*)) as JS numbers, far below 2^53 here; per pool, not pg's global registry.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
  // An idle client whose server connection drops (restart, failover, pg_terminate_backend) emits 'error' on the
  // pool; unhandled, that would crash the process. pg has already discarded the client; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await createStore(db, postgresStoreDialect, { ...options, crypto: options.crypto ?? nodeCrypto });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
