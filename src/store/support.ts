/** Helpers shared by the repositories: transactions, paging, JSON columns and multi-row inserts. */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect';
import type { Database } from './schema';

/** What every repository is built from: a database handle (possibly a transaction) and its dialect. */
export type StoreContext = { db: Kysely<Database>; dialect: StoreDialect };

/** Runs `fn` in a transaction, or inline when the context is already one (a unit of work). */
export function inTransaction<T>(ctx: StoreContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? fn(ctx.db) : ctx.db.transaction().execute(fn);
}

/** Upstream's paging contract: limit 1..500 (default 50), offset ≥ 0. */
export const DEFAULT_PAGE_LIMIT = 50;
/** The largest page a list returns. */
export const MAX_PAGE_LIMIT = 500;

/** Paging input; out-of-range values are clamped, never rejected. */
export type PageRequest = { limit?: number; offset?: number };

/** A page of a list, with the total that matched the filters and the limit/offset actually used. */
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

/** An unpaged list (registry lists): every match and how many there are. */
export type ItemList<T> = { items: T[]; total: number };

/** Clamps limit into 1..500 (default 50) and offset to a whole number ≥ 0. */
export function clampPage(request: PageRequest = {}): { limit: number; offset: number } {
  const limit = Number.isFinite(request.limit)
    ? Math.trunc(request.limit ?? DEFAULT_PAGE_LIMIT)
    : DEFAULT_PAGE_LIMIT;
  const offset = Number.isFinite(request.offset) ? Math.trunc(request.offset ?? 0) : 0;
  return { limit: Math.min(MAX_PAGE_LIMIT, Math.max(1, limit)), offset: Math.max(0, offset) };
}

/** Serialises a record for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Reads back a JSON column this store wrote; the type is the one the writer had. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the type it wrote
export function fromJson<T>(text: string): T {
  const value: unknown = JSON.parse(text);
  return value as T;
}

/** A count(*) column: pg returns int8 as a string unless the driver parses it, so normalise here. */
export function toCount(value: string | number | bigint | undefined): number {
  return Number(value ?? 0);
}

/** A string field of an open record, or null (for optional indexed columns). */
export function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The `LIKE` pattern for a case-insensitive substring match, with `\` escaping `%`, `_` and itself. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a list stored as JSON payloads: the total that matched the caller's filters and the page's
 * records in the caller's order. `rows` receives the clamped limit and offset.
 */
export async function payloadPage<T>(
  pageRequest: PageRequest | undefined,
  count: () => Promise<{ total: string | number } | undefined>,
  rows: (page: { limit: number; offset: number }) => Promise<{ payload: string }[]>,
): Promise<Page<T>> {
  const page = clampPage(pageRequest);
  const counted = await count();
  const items = (await rows(page)).map((row) => fromJson<T>(row.payload));
  return { items, total: toCount(counted?.total), limit: page.limit, offset: page.offset };
}

/** Statement sizes (rows) of {@link insertRows} on SQLite: few distinct SQL texts, so prepared ones are reused. */
const SQLITE_INSERT_SIZES = [256, 64, 16, 4, 1] as const;

/** Rows per statement on PostgreSQL (its limit is 65,535 parameters per statement). */
const POSTGRES_INSERT_ROWS = 1000;

const insertTexts = new Map<string, string>();

/**
 * `(?,?),(?,?)` for SQLite, `($1,$2),($3,$4)` for PostgreSQL (numbered from `first`): the VALUES list of `rows`
 * rows of `width` parameters.
 */
export function valuesList(dialect: StoreDialect['name'], width: number, rows: number, first = 1): string {
  const tuples: string[] = [];
  let n = first;
  for (let r = 0; r < rows; r++) {
    const marks: string[] = [];
    for (let c = 0; c < width; c++) marks.push(dialect === 'postgres' ? `$${String(n++)}` : '?');
    tuples.push(`(${marks.join(',')})`);
  }
  return tuples.join(',');
}

function insertText(
  dialect: StoreDialect['name'],
  head: string,
  width: number,
  rows: number,
  tail: string,
): string {
  const key = `${dialect}\u0000${head}\u0000${String(width)}\u0000${String(rows)}\u0000${tail}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    text = `${head} values ${valuesList(dialect, width, rows)}${tail === '' ? '' : ` ${tail}`}`;
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * Inserts rows given as one flat array of values (row after row, `width` values each) without Kysely's query
 * builder, which costs more than SQLite's own work on the evidence hot path: on PostgreSQL one statement (one
 * round trip) per 1,000 rows; on SQLite statements of a few fixed sizes (256, 64, 16, 4, 1 rows), whose
 * prepared forms the better-sqlite3 driver caches. `head` is `insert into <table> (<columns>)`; `tail` follows
 * the values (e.g. `on conflict (…) do nothing returning …`). Returns the rows the statements returned.
 */
export async function insertRows<R>(
  ctx: StoreContext,
  head: string,
  width: number,
  values: readonly unknown[],
  tail = '',
): Promise<R[]> {
  const dialect = ctx.dialect.name;
  const total = values.length / width;
  const returned: R[] = [];
  let done = 0;
  while (done < total) {
    const left = total - done;
    const rows =
      dialect === 'postgres'
        ? Math.min(left, POSTGRES_INSERT_ROWS)
        : (SQLITE_INSERT_SIZES.find((size) => size <= left) ?? 1);
    const text = insertText(dialect, head, width, rows, tail);
    const result = await ctx.db.executeQuery<R>(
      CompiledQuery.raw(text, values.slice(done * width, (done + rows) * width)),
    );
    for (const row of result.rows) returned.push(row);
    done += rows;
  }
  return returned;
}
