import { expect, test } from 'vitest';
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
