/**
 * The seed's wire format (decision 0023): a logical dump of the SQLite database (schema statements and every
 * table's rows, as JSON), about half the gzipped size of the database file because JSON rows compress better than
 * B-tree pages. Restoring it builds the same database in sql.js in a fraction of a second; the store then opens
 * that image as it would any saved database (its migrations find themselves applied).
 */
import type { Database as SqlJsDatabase, SqlJsStatic, SqlValue } from 'sql.js';

/** `cavra.sandbox.seed.v1`: schema statements in creation order, then each table's columns and rows. */
export type SeedDump = {
  schema_version: 'cavra.sandbox.seed.v1';
  ddl: string[];
  tables: Record<string, { columns: string[]; rows: SqlValue[][] }>;
};

/** Dumps a database (tables, indexes, triggers, views; SQLite's internal tables are rebuilt by SQLite). */
export function dumpDatabase(db: SqlJsDatabase): SeedDump {
  const objects = db.exec(
    "select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by rowid",
  )[0];
  const dump: SeedDump = { schema_version: 'cavra.sandbox.seed.v1', ddl: [], tables: {} };
  for (const [type, name, sql] of objects?.values ?? []) {
    dump.ddl.push(String(sql));
    if (type !== 'table') continue;
    const rows = db.exec(`select * from "${String(name)}" order by rowid`)[0];
    if (rows !== undefined) dump.tables[String(name)] = { columns: rows.columns, rows: rows.values };
  }
  return dump;
}

/**
 * Rebuilds the database image of a dump: tables, rows in one transaction, then indexes and triggers (building
 * an index once is cheaper than maintaining it row by row).
 * @throws Error when the dump is not a `cavra.sandbox.seed.v1` document.
 */
export function restoreDump(SQL: SqlJsStatic, dump: unknown): Uint8Array {
  if (!isSeedDump(dump)) throw new Error('the sandbox seed is not a cavra.sandbox.seed.v1 document');
  const db = new SQL.Database();
  try {
    const isTable = (sql: string): boolean => /^\s*create\s+table/i.test(sql);
    for (const sql of dump.ddl.filter(isTable)) db.run(sql);
    db.run('begin');
    for (const [name, { columns, rows }] of Object.entries(dump.tables)) {
      const statement = db.prepare(
        `insert into "${name}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      try {
        for (const row of rows) statement.run(row);
      } finally {
        statement.free();
      }
    }
    db.run('commit');
    for (const sql of dump.ddl.filter((statement) => !isTable(statement))) db.run(sql);
    return db.export();
  } finally {
    db.close();
  }
}

function isSeedDump(value: unknown): value is SeedDump {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const tables = candidate['tables'];
  return (
    candidate['schema_version'] === 'cavra.sandbox.seed.v1' &&
    Array.isArray(candidate['ddl']) &&
    typeof tables === 'object' &&
    tables !== null
  );
}
