/** The scale driver: PostgreSQL through a `pg` pool, shared by several API processes. Node only. */
import { Kysely, PostgresDialect } from 'kysely';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: statementPool(pool) }) });
  try {
    return await createStore(db, postgresStoreDialect, { ...options, crypto: options.crypto ?? nodeCrypto });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** A statement text that names itself (`/*cavra:<name>*\/ …`): prepared once per connection, then reused. */
const NAMED_STATEMENT = /^\/\*cavra:([a-z0-9_]+)\*\//;

/**
 * The pool as Kysely sees it, with two things pg's own client does not do for Kysely:
 * - a statement whose text starts with `/*cavra:<name>*\/` runs as a named prepared statement, so the server
 *   parses and plans it once per connection (the evidence append statement: docs/decisions/0027);
 * - a multi-statement simple query (`begin; select …`) yields its last statement's result, as one result,
 *   instead of pg's array of results (which Kysely would read as no rows).
 */
export function statementPool(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client: Kysely keys its connection objects (and onCreateConnection) by the client.
  const wrappers = new WeakMap<pg.PoolClient, StatementClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = new StatementClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

class StatementClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sql: string | PostgresCursor<R>,
    parameters: readonly unknown[] = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sql !== 'string') throw new Error('postgres store: cursors are not configured');
    return this.#run<R>(sql, parameters);
  }

  release(destroy?: boolean): void {
    this.#client.release(destroy);
  }

  async #run<R>(text: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    const name = NAMED_STATEMENT.exec(text)?.[1];
    const values = [...parameters];
    const result: pg.QueryResult | pg.QueryResult[] = await this.#client.query(
      name === undefined ? { text, values } : { name, text, values },
    );
    const last = isResultList(result) ? result.at(-1) : result;
    return {
      command: (last?.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
      rowCount: last?.rowCount ?? 0,
      rows: (last?.rows ?? []) as R[],
    };
  }
}

/** pg returns one result per statement for a multi-statement simple query (its types say one result). */
function isResultList(result: pg.QueryResult | pg.QueryResult[]): result is pg.QueryResult[] {
  return Array.isArray(result);
}
