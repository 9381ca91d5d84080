/**
 * What the verification hasher computes for a range of the log (see sqlite-hasher.ts), on any thread that has
 * a better-sqlite3 connection to the file: the hashing thread of a verification, or a store's writer thread.
 */
import { hashStoredEntry } from '../../evidence';
import type { StoredEntry } from '../../evidence';
import type { HashedRange } from '../evidence-log';
import { nodeCrypto } from './node-crypto';

/** The part of a better-sqlite3 connection this needs (Kysely's `SqliteDatabase` has it too). */
export type RowReader = { prepare(sql: string): { all(...parameters: unknown[]): unknown[] } };

const SELECT =
  'select sequence, schema_version, kind, recorded_at, previous_hash, entry_hash, payload, payload_jcs ' +
  'from evidence_entries where sequence >= ? and sequence < ? order by sequence';
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Entries `[from, to)` as stored, each with its digest when its row can take the verifier's fast path. */
export function hashRange(db: RowReader, from: number, to: number): HashedRange {
  const rows = db.prepare(SELECT).all(from, to) as (StoredEntry & { payload_jcs: number })[];
  const sequences = new Float64Array(rows.length);
  const digests = new Uint8Array(rows.length * 32);
  const computed = new Uint8Array(rows.length);
  const columns: (string | number | null)[] = [];
  rows.forEach((row, i) => {
    sequences[i] = row.sequence;
    // INVARIANT: HASHED_COLUMNS's order.
    columns.push(row.schema_version, row.kind, row.recorded_at, row.previous_hash, row.entry_hash);
    const text = row.payload;
    // Only what the verifier's fast path can take: a canonical row whose payload is an object's text.
    if (
      row.payload_jcs !== 1 ||
      text.charCodeAt(0) !== OPEN_BRACE ||
      text.charCodeAt(text.length - 1) !== CLOSE_BRACE
    ) {
      return;
    }
    digests.set(hashStoredEntry(row, nodeCrypto), i * 32);
    computed[i] = 1;
  });
  return { sequences, digests, computed, columns };
}
