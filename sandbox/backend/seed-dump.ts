/**
 * The seed's wire format (decisions 0023 and 0025): a logical dump of the SQLite database (schema statements
 * and every table's rows, as JSON), much smaller gzipped than the database file because JSON rows compress
 * better than B-tree pages, and smaller still because it leaves out what the restore can rebuild exactly:
 * - columns that copy a member of the row's JSON `payload` (the store's indexed copies of a decision's or an
 *   approval's fields) are rebuilt from the payload by SQLite (`payload ->> '$.column'`);
 * - an evidence entry whose payload is the text of a stored decision holds that decision's row number;
 * - `entry_hash` and `previous_hash` of the evidence log are recomputed (the hash chain: SHA-256 of each
 *   entry's canonical text, which names the previous entry's hash). Random 64-hex-digit hashes are what gzip
 *   cannot shrink; recomputing them costs the page a few tens of milliseconds.
 * `dumpDatabase` applies each of these only where it holds for every row, then restores its own dump and
 * compares every table with the source, value by value: a dump that would not restore exactly is an error.
 */
import type { Database as SqlJsDatabase, SqlJsStatic, SqlValue } from 'sql.js';
import { nobleCrypto, toHex, unhashedEntryText, utf8, type EvidenceCrypto } from '../../src/evidence';

/** The format tag. */
export const SEED_SCHEMA = 'cavra.sandbox.seed.v2';

/** One table of a {@link SeedDump}. */
export type SeedTable = {
  /** Every column of the table, in table order. */
  columns: string[];
  /** Each row's values of the shipped columns: `columns` less `from_payload` (and the hashes when recomputed). */
  rows: SqlValue[][];
  /** Columns rebuilt from the same-named member of the row's JSON `payload` (booleans as 1/0), not shipped. */
  from_payload?: string[];
  /**
   * Payload texts as templates: each row's `payload` cell is `[template index, ...values]`, the template being
   * the text with every occurrence of the (JSON-escaped) value of `columns[i]` replaced by the control character
   * U+0001+i (JSON text has none of its own). Thousands of decisions are a few hundred shapes of engine output
   * around their own ids, times and actors; gzip's 32 KB window cannot see that, templates can.
   */
  payload_templates?: { columns: string[]; texts: string[] };
  /** Rows (indexes) whose `payload` holds the row index of a `decisions` row whose payload text it repeats. */
  decision_payload_refs?: number[];
  /** `evidence_entries`: `entry_hash` and `previous_hash` are not shipped; the restore recomputes the chain. */
  recomputed_hashes?: true;
};

/** `cavra.sandbox.seed.v2`: schema statements in creation order and each table's rows. */
export type SeedDump = {
  schema_version: typeof SEED_SCHEMA;
  ddl: string[];
  tables: Record<string, SeedTable>;
};

const ENTRIES = 'evidence_entries';
const DECISIONS = 'decisions';
const HASHES = ['entry_hash', 'previous_hash'];
/** The template marks U+0001..U+001F (control characters JSON text never holds unescaped). */
// eslint-disable-next-line no-control-regex -- these control characters are the point
const MARKS = /[\u0001-\u001f]/;
// eslint-disable-next-line no-control-regex -- these control characters are the point
const MARKS_ALL = /[\u0001-\u001f]/g;

/** Dumps a database (tables, indexes, triggers, views; SQLite's internal tables are rebuilt by SQLite). */
export function dumpDatabase(SQL: SqlJsStatic, db: SqlJsDatabase): SeedDump {
  const objects = db.exec(
    "select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by rowid",
  )[0];
  const dump: SeedDump = { schema_version: SEED_SCHEMA, ddl: [], tables: {} };
  const full: Record<string, { columns: string[]; rows: SqlValue[][] }> = {};
  for (const [type, name, sql] of objects?.values ?? []) {
    dump.ddl.push(String(sql));
    if (type !== 'table') continue;
    full[String(name)] = readTable(db, String(name));
  }
  for (const [name, table] of Object.entries(full)) {
    dump.tables[name] = compactTable(name, table, full);
  }
  // Through JSON, as the seed travels: what JSON cannot carry (a blob) must fail here, not in the page.
  let image: Uint8Array;
  try {
    image = restoreDump(SQL, JSON.parse(JSON.stringify(dump)) as unknown);
  } catch (error) {
    throw new Error(
      `the seed dump does not restore: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const restored = new SQL.Database(image);
  try {
    for (const [name, table] of Object.entries(full)) {
      const again = readTable(restored, name);
      if (JSON.stringify(again) !== JSON.stringify(table)) {
        throw new Error(`the seed dump of table ${name} does not restore to the same rows`);
      }
    }
  } finally {
    restored.close();
  }
  return dump;
}

function readTable(db: SqlJsDatabase, name: string): { columns: string[]; rows: SqlValue[][] } {
  const statement = db.prepare(`select * from "${name}" order by rowid`);
  try {
    const rows: SqlValue[][] = [];
    while (statement.step()) rows.push(statement.get());
    return { columns: statement.getColumnNames(), rows };
  } finally {
    statement.free();
  }
}

/** What of a table's rows the dump leaves out (each rule only when it holds for every row). */
function compactTable(
  name: string,
  table: { columns: string[]; rows: SqlValue[][] },
  all: Record<string, { columns: string[]; rows: SqlValue[][] }>,
): SeedTable {
  const { columns } = table;
  const out: SeedTable = { columns, rows: table.rows.map((row) => [...row]) };
  const payload = columns.indexOf('payload');
  let dropped = new Set<string>();
  if (payload >= 0 && table.rows.length > 0) {
    // The log's hashed fields stay shipped: the chain is recomputed from them before SQLite sees the rows.
    const hashed = name === ENTRIES ? new Set(Object.keys(columnIndexes([]))) : new Set<string>();
    const fromPayload = columns.filter(
      (column) => column !== 'payload' && !hashed.has(column) && copiesPayload(table, column),
    );
    if (fromPayload.length > 0) out.from_payload = fromPayload;
    dropped = new Set(fromPayload);
    const templated = templatePayloads(table, fromPayload);
    if (templated !== undefined) {
      out.payload_templates = templated.templates;
      out.rows.forEach((row, index) => {
        row[payload] = templated.cells[index] as unknown as SqlValue;
      });
    }
  }
  if (name === ENTRIES) {
    const refs = referenceDecisionPayloads(out, all[DECISIONS]);
    if (refs.length > 0) out.decision_payload_refs = refs;
    if (hashesRecompute(table)) {
      out.recomputed_hashes = true;
      for (const column of HASHES) dropped.add(column);
    }
  }
  if (dropped.size > 0) {
    const kept = columns.map((column, index) => (dropped.has(column) ? -1 : index)).filter((i) => i >= 0);
    out.rows = out.rows.map((row) => kept.map((index) => row[index] ?? null));
  }
  return out;
}

/** Templates of a table's payload texts over the given columns' values, when they pay (see `payload_templates`). */
function templatePayloads(
  table: { columns: string[]; rows: SqlValue[][] },
  candidates: string[],
): { templates: { columns: string[]; texts: string[] }; cells: (number | string | null)[][] } | undefined {
  const payload = table.columns.indexOf('payload');
  const columns = candidates
    .filter((column) => table.rows.every((row) => typeof row[table.columns.indexOf(column)] !== 'number'))
    .slice(0, 31);
  const at = columns.map((column) => table.columns.indexOf(column));
  if (table.rows.length < 100 || columns.length === 0) return undefined;
  const texts: string[] = [];
  const indexOf = new Map<string, number>();
  const cells: (number | string | null)[][] = [];
  for (const row of table.rows) {
    const text = row[payload];
    if (typeof text !== 'string' || MARKS.test(text)) return undefined;
    // The JSON-escaped value of each column (null stays null); the restore also reads the columns from here.
    const values = at.map((index) => {
      const value = row[index];
      return typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : null;
    });
    // Longer values first, so a value inside another (an id inside a reference) does not split it; values
    // under three characters are not replaced (too likely to occur by chance).
    const order = values
      .map((value, index) => ({ value, index }))
      .filter(
        (entry): entry is { value: string; index: number } => entry.value !== null && entry.value.length >= 3,
      )
      .sort((a, b) => b.value.length - a.value.length);
    let template = text;
    for (const { value, index } of order)
      template = template.split(value).join(String.fromCharCode(1 + index));
    let id = indexOf.get(template);
    if (id === undefined) {
      id = texts.length;
      texts.push(template);
      indexOf.set(template, id);
    }
    cells.push([id, ...values]);
  }
  if (texts.length > table.rows.length / 2) return undefined;
  return { templates: { columns, texts }, cells };
}

/** The payload text of a templated cell. */
function fromTemplate(cell: SqlValue, texts: readonly string[]): string {
  const parts = cell as unknown as (number | string | null)[];
  const template = texts[Number(parts[0])];
  if (!Array.isArray(parts) || template === undefined)
    throw new Error('the sandbox seed has a broken payload template');
  return template.replace(MARKS_ALL, (mark) => String(parts[mark.charCodeAt(0)]));
}

/**
 * Whether every row's `column` is exactly (value and type) the same-named member of its JSON `payload`, read as
 * SQLite reads one (`payload ->> '$.column'`: booleans as 1/0, absent as null).
 */
function copiesPayload(table: { columns: string[]; rows: SqlValue[][] }, column: string): boolean {
  const at = table.columns.indexOf(column);
  const payload = table.columns.indexOf('payload');
  try {
    return table.rows.every((row) => {
      const text = row[payload];
      return typeof text === 'string' && payloadMember(JSON.parse(text) as unknown, column) === row[at];
    });
  } catch {
    return false; // a payload that is not JSON everywhere
  }
}

/** A member of a payload as the store's column holds it; undefined when no column could hold it. */
function payloadMember(payload: unknown, name: string): SqlValue | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const value = (payload as Record<string, unknown>)[name];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return undefined;
}

/** Replaces entry payloads that repeat a decision's payload text by the decision's row index. */
function referenceDecisionPayloads(
  entries: SeedTable,
  decisions: { columns: string[]; rows: SqlValue[][] } | undefined,
): number[] {
  const column = entries.columns.indexOf('payload');
  const decisionPayload = decisions?.columns.indexOf('payload') ?? -1;
  if (decisions === undefined || column < 0 || decisionPayload < 0) return [];
  const rowOf = new Map<SqlValue, number>();
  decisions.rows.forEach((row, index) => {
    if (typeof row[decisionPayload] === 'string' && !rowOf.has(row[decisionPayload])) {
      rowOf.set(row[decisionPayload], index);
    }
  });
  const refs: number[] = [];
  entries.rows.forEach((row, index) => {
    const source = rowOf.get(row[column] ?? null);
    if (source === undefined) return;
    row[column] = source;
    refs.push(index);
  });
  return refs;
}

/** Whether the log's stored hashes are exactly the chain the restore recomputes. */
function hashesRecompute(table: { columns: string[]; rows: SqlValue[][] }): boolean {
  const at = columnIndexes(table.columns);
  let previous: string | null = null;
  for (const row of table.rows) {
    if (row[at.previous_hash] !== previous || row[at.payload_jcs] !== 1) return false;
    const hash = entryHash(row, at, previous, nobleCrypto);
    if (row[at.entry_hash] !== hash) return false;
    previous = hash;
  }
  return true;
}

type EntryColumns = Record<
  | 'kind'
  | 'payload'
  | 'previous_hash'
  | 'recorded_at'
  | 'schema_version'
  | 'sequence'
  | 'entry_hash'
  | 'payload_jcs',
  number
>;

function columnIndexes(columns: string[]): EntryColumns {
  const at = (name: string): number => columns.indexOf(name);
  return {
    kind: at('kind'),
    payload: at('payload'),
    previous_hash: at('previous_hash'),
    recorded_at: at('recorded_at'),
    schema_version: at('schema_version'),
    sequence: at('sequence'),
    entry_hash: at('entry_hash'),
    payload_jcs: at('payload_jcs'),
  };
}

function entryHash(
  row: SqlValue[],
  at: EntryColumns,
  previous: string | null,
  crypto: EvidenceCrypto,
): string {
  const text = unhashedEntryText(
    String(row[at.kind]),
    String(row[at.payload]),
    previous,
    String(row[at.recorded_at]),
    String(row[at.schema_version]),
    Number(row[at.sequence]),
  );
  return toHex(crypto.sha256(utf8(text)));
}

/**
 * A table's full rows, in column order: what {@link compactTable} left out put back.
 * @param decisions - the expanded rows of `decisions` (entries reference their payload texts)
 */
function expandTable(
  name: string,
  table: SeedTable,
  decisions: { columns: string[]; rows: SqlValue[][] } | undefined,
  crypto: EvidenceCrypto,
): SqlValue[][] {
  const shipped = shippedColumns(table);
  const rows = table.rows;
  const shippedPayload = shipped.indexOf('payload');
  const templates = table.payload_templates?.texts;
  const cells: (SqlValue[] | undefined)[] = [];
  if (templates !== undefined) {
    for (const row of rows) {
      cells.push(row[shippedPayload] as unknown as SqlValue[]);
      row[shippedPayload] = fromTemplate(row[shippedPayload] ?? null, templates);
    }
  }
  if (name === ENTRIES && table.decision_payload_refs !== undefined) {
    const source = decisions?.columns.indexOf('payload') ?? -1;
    for (const index of table.decision_payload_refs) {
      const row = rows[index];
      const text = decisions?.rows[Number(row?.[shippedPayload])]?.[source];
      if (row === undefined || typeof text !== 'string') {
        throw new Error(`the sandbox seed's entry row ${String(index)} references a decision it lacks`);
      }
      row[shippedPayload] = text;
    }
  }
  const derived = table.from_payload ?? [];
  if (derived.length === 0 && table.recomputed_hashes !== true) return rows;
  const from = shipped.map((column) => table.columns.indexOf(column));
  const derivedAt = derived.map((column) => table.columns.indexOf(column));
  const payload = table.columns.indexOf('payload');
  const at = columnIndexes(table.columns);
  // Derived columns that are all template values are read from the cell: no need to parse the payload.
  const templateColumns = table.payload_templates?.columns ?? [];
  const inCell = derived.map((column) => templateColumns.indexOf(column) + 1);
  const fromCells = templates !== undefined && inCell.every((index) => index > 0);
  let previous: string | null = null;
  return rows.map((shippedRow, rowIndex) => {
    const row = new Array<SqlValue>(table.columns.length).fill(null);
    shippedRow.forEach((value, index) => {
      row[from[index] ?? index] = value;
    });
    const cell = cells[rowIndex];
    if (fromCells && cell !== undefined) {
      derived.forEach((_, index) => {
        const value = cell[inCell[index] ?? 0];
        row[derivedAt[index] ?? -1] =
          typeof value === 'string' && value.includes('\\')
            ? (JSON.parse(`"${value}"`) as string)
            : (value ?? null);
      });
    } else if (derived.length > 0) {
      const document = JSON.parse(String(row[payload])) as unknown;
      derived.forEach((column, index) => {
        row[derivedAt[index] ?? -1] = payloadMember(document, column) ?? null;
      });
    }
    if (table.recomputed_hashes === true) {
      row[at.previous_hash] = previous;
      previous = entryHash(row, at, previous, crypto);
      row[at.entry_hash] = previous;
    }
    return row;
  });
}

function shippedColumns(table: SeedTable): string[] {
  const left = new Set([...(table.from_payload ?? []), ...(table.recomputed_hashes === true ? HASHES : [])]);
  return table.columns.filter((column) => !left.has(column));
}

/**
 * Rebuilds the database image of a dump: tables, rows in one transaction, then indexes and triggers (building
 * an index once is cheaper than maintaining it row by row). Expands the dump in place.
 * @param crypto - SHA-256 for the evidence chain (default: the pure-JS implementation).
 * @param onStep - called after each step (`expanded`, `inserted`, `indexed`, `exported`), for timings.
 * @throws Error when the dump is not a `cavra.sandbox.seed.v2` document.
 */
export function restoreDump(
  SQL: SqlJsStatic,
  dump: unknown,
  crypto: EvidenceCrypto = nobleCrypto,
  onStep: (step: 'expanded' | 'inserted' | 'indexed' | 'exported') => void = () => undefined,
): Uint8Array {
  if (!isSeedDump(dump)) throw new Error(`the sandbox seed is not a ${SEED_SCHEMA} document`);
  const db = new SQL.Database();
  try {
    const isTable = (sql: string): boolean => /^\s*create\s+table/i.test(sql);
    for (const sql of dump.ddl.filter(isTable)) db.run(sql);
    // Decisions first: entries take their payload texts from the expanded decisions.
    const decisionsTable = dump.tables[DECISIONS];
    const decisions =
      decisionsTable === undefined
        ? undefined
        : {
            columns: decisionsTable.columns,
            rows: expandTable(DECISIONS, decisionsTable, undefined, crypto),
          };
    const expanded = Object.entries(dump.tables).map(
      ([name, table]) =>
        [
          name,
          table,
          name === DECISIONS && decisions !== undefined
            ? decisions.rows
            : expandTable(name, table, decisions, crypto),
        ] as const,
    );
    onStep('expanded');
    db.run('begin');
    // One prepared statement per table, bound row by row: faster in SQLite's wasm build than handing SQLite the
    // rows as one JSON text to unpack (json_each), measured on this seed.
    for (const [name, table, rows] of expanded) {
      if (rows.length === 0) continue;
      const names = table.columns.map((column) => `"${column}"`).join(', ');
      const statement = db.prepare(
        `insert into "${name}" (${names}) values (${table.columns.map(() => '?').join(', ')})`,
      );
      try {
        for (const row of rows) statement.run(row);
      } finally {
        statement.free();
      }
    }
    db.run('commit');
    onStep('inserted');
    for (const sql of dump.ddl.filter((statement) => !isTable(statement))) db.run(sql);
    onStep('indexed');
    const image = db.export();
    onStep('exported');
    return image;
  } finally {
    db.close();
  }
}

function isSeedDump(value: unknown): value is SeedDump {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const tables = candidate['tables'];
  return (
    candidate['schema_version'] === SEED_SCHEMA &&
    Array.isArray(candidate['ddl']) &&
    typeof tables === 'object' &&
    tables !== null
  );
}
