/**
 * The pool the PostgreSQL driver gives Kysely: named statements are prepared on the server, and a
 * multi-statement simple query yields its last result (the append path's locked read relies on both).
 */
import pg from 'pg';
import { expect, test } from 'vitest';
import { TEST_DATABASE_URL } from '../contract/harness';
import { statementPool } from './postgres';

const note =
  TEST_DATABASE_URL === undefined ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set; .ci/run sets it)' : '';

test.skipIf(TEST_DATABASE_URL === undefined)(
  `postgres pool: named statements are prepared, a multi-statement query yields its last result${note}`,
  async () => {
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    const wrapped = statementPool(pool);
    try {
      const client = await wrapped.connect();
      const last = await client.query<{ b: number }>('select 1 as a; select 2 as b', []);
      expect(last.rows).toEqual([{ b: 2 }]);
      const named = await client.query<{ n: number }>('/*cavra:pool_test_v1*/ select $1::int as n', [7]);
      expect(named.rows).toEqual([{ n: 7 }]);
      const plain = await client.query<{ n: number }>('select $1::int as n', [8]);
      expect(plain.rows).toEqual([{ n: 8 }]);
      const prepared = await client.query<{ name: string }>('select name from pg_prepared_statements', []);
      expect(prepared.rows.map((row) => row.name)).toEqual(['pool_test_v1']);
      client.release();
      // The same pg client comes back as the same wrapper (Kysely keys its connections by it).
      const again = await wrapped.connect();
      expect(again).toBe(client);
      again.release();
    } finally {
      await wrapped.end();
    }
  },
);
