/**
 * The seed's wire format (decision 0023): a logical dump of the SQLite database (schema statements and every
 * table's rows, as JSON), about half the gzipped size of the database file because JSON rows compress better than
 * B-tree pages. Restoring it builds the same database in sql.js in a fraction of a second; the store then opens
 * that image as it would any saved database (its migrations find themselves applied).
 */
import type { Database as SqlJsDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import type { JsonValue } from '../../src/engine';
import { canonicalJson } from '../../src/evidence';

/**
 * `cavra.sandbox.seed.v1`: schema statements in creation order, each table's columns and rows, and the rows of
 * `evidence_entries` whose payload is exactly the canonical JSON of a stored decision: their payload cell holds
 * the decision id instead, and restoring recomputes the text (the dump checked it is byte-identical).
 */
export type SeedDump = {
  schema_version: 'cavra.sandbox.seed.v1';
  ddl: string[];
  tables: Record<string, { columns: string[]; rows: SqlValue[][] }>;
  /** Row indexes of `evidence_entries` whose `payload` is a decision id standing for its canonical JSON. */
  decision_payload_refs?: number[];
};

const ENTRIES = 'evidence_entries';
const DECISIONS = 'decisions';

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
  dump.decision_payload_refs = referenceDecisionPayloads(dump);
  return dump;
}

/** Replaces entry payloads that repeat a decision (canonically) by the decision's id; returns their rows. */
function referenceDecisionPayloads(dump: SeedDump): number[] {
  const decisions = decisionPayloads(dump);
  const entries = dump.tables[ENTRIES];
  const column = entries?.columns.indexOf('payload') ?? -1;
  if (entries === undefined || column < 0) return [];
  const refs: number[] = [];
  entries.rows.forEach((row, index) => {
    const payload = row[column];
    if (typeof payload !== 'string') return;
    const id = (JSON.parse(payload) as { decision_id?: unknown }).decision_id;
    const source = typeof id === 'string' ? decisions.get(id) : undefined;
    if (source === undefined || canonicalJson(JSON.parse(source) as JsonValue) !== payload) return;
    row[column] = id as string;
    refs.push(index);
  });
  return refs;
}

/** Puts the canonical decision texts back into the entries that reference them. */
function expandDecisionPayloads(dump: SeedDump): void {
  const refs = dump.decision_payload_refs ?? [];
  if (refs.length === 0) return;
  const decisions = decisionPayloads(dump);
  const entries = dump.tables[ENTRIES];
  const column = entries?.columns.indexOf('payload') ?? -1;
  if (entries === undefined || column < 0) throw new Error('the sandbox seed references entries it lacks');
  for (const index of refs) {
    const row = entries.rows[index];
    const source = decisions.get(String(row?.[column]));
    if (row === undefined || source === undefined) {
      throw new Error(`the sandbox seed's entry row ${index} references a decision it lacks`);
    }
    row[column] = canonicalJson(JSON.parse(source) as JsonValue);
  }
}

function decisionPayloads(dump: SeedDump): Map<string, string> {
  const table = dump.tables[DECISIONS];
  const idColumn = table?.columns.indexOf('decision_id') ?? -1;
  const payloadColumn = table?.columns.indexOf('payload') ?? -1;
  const payloads = new Map<string, string>();
  for (const row of table?.rows ?? []) {
    const id = row[idColumn];
    const payload = row[payloadColumn];
    if (typeof id === 'string' && typeof payload === 'string') payloads.set(id, payload);
  }
  return payloads;
}

/**
 * Rebuilds the database image of a dump: tables, rows in one transaction, then indexes and triggers (building
 * an index once is cheaper than maintaining it row by row). Expands the dump's decision payload references in
 * place.
 * @throws Error when the dump is not a `cavra.sandbox.seed.v1` document.
 */
export function restoreDump(SQL: SqlJsStatic, dump: unknown): Uint8Array {
  if (!isSeedDump(dump)) throw new Error('the sandbox seed is not a cavra.sandbox.seed.v1 document');
  expandDecisionPayloads(dump);
  const db = new SQL.Database();
  try {
    const isTable = (sql: string): boolean => /^\s*create\s+table/i.test(sql);
    for (const sql of dump.ddl.filter(isTable)) db.run(sql);
    db.run('begin');
    // One statement per table: SQLite's own JSON reader unpacks the rows (about twice as fast as binding each row).
    for (const [name, { columns, rows }] of Object.entries(dump.tables)) {
      const names = columns.map((column) => `"${column}"`).join(', ');
      const values = columns.map((_, index) => `value ->> ${index}`).join(', ');
      db.run(`insert into "${name}" (${names}) select ${values} from json_each(?)`, [JSON.stringify(rows)]);
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
