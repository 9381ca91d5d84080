import { expect, test } from 'vitest';
import { openSqliteStore } from './better-sqlite3';
import { parseStoreTarget } from './open';

test('CAVRA_DATABASE_URL: postgres URLs pick PostgreSQL, anything else is a SQLite path', () => {
  expect(parseStoreTarget('postgres://cavra@db:5432/cavra')).toEqual({
    driver: 'postgres',
    url: 'postgres://cavra@db:5432/cavra',
  });
  expect(parseStoreTarget('postgresql://db/cavra')).toEqual({
    driver: 'postgres',
    url: 'postgresql://db/cavra',
  });
  expect(parseStoreTarget('/var/lib/cavra/cavra.db')).toEqual({
    driver: 'sqlite',
    path: '/var/lib/cavra/cavra.db',
  });
  expect(parseStoreTarget(undefined)).toEqual({ driver: 'sqlite', path: '.cavra/cavra.db' });
  expect(parseStoreTarget('  ')).toEqual({ driver: 'sqlite', path: '.cavra/cavra.db' });
});

test.skipIf(process.platform !== 'linux')(
  'a SQLite path whose directory cannot be created is an error, not a hang',
  async () => {
    // Node's recursive mkdirSync loops forever on this one (ENOENT although /proc exists).
    await expect(openSqliteStore({ path: '/proc/cavra-nope/x.db' })).rejects.toThrow(/ENOENT/);
  },
);
