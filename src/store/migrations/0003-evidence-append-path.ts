import { SqliteAdapter, sql } from 'kysely';
import type { Migration } from './migrator';

/** The evidence columns, in the order 0001 and 0002 created them. */
const COLUMNS =
  'sequence, schema_version, kind, recorded_at, session_id, previous_hash, entry_hash, payload, payload_jcs';

/**
 * 0003: fewer B-trees per appended evidence row (docs/decisions/0011-evidence-performance.md).
 *
 * - The unique index on `evidence_entries.entry_hash` goes. It never stopped a fork: the primary key on
 *   `sequence` does (two entries cannot claim one position), and two different entries cannot share a SHA-256.
 *   Nothing looks entries up by hash. Its random 64-character keys made it the costliest index of an append:
 *   each one dirtied a different leaf page.
 * - SQLite only: `sequence` becomes `INTEGER PRIMARY KEY`, the table's rowid. `bigint PRIMARY KEY` (0001) is not
 *   a rowid alias there, so every row went into the table's rowid B-tree and again into a separate index on
 *   `sequence`; reads in log order now scan the table itself. SQLite cannot drop a column constraint or change a
 *   primary key in place, so the table is rebuilt (rows copied unchanged, in one transaction with the other
 *   migrations). PostgreSQL only drops the constraint.
 */
export const evidenceAppendPathMigration: Migration = {
  id: '0003-evidence-append-path',
  up: async (db) => {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
      await sql`alter table evidence_entries drop constraint if exists evidence_entries_entry_hash_key`.execute(
        db,
      );
      return;
    }
    await sql`
      create table evidence_entries_0003 (
        sequence integer primary key,
        schema_version text not null,
        kind text not null,
        recorded_at text not null,
        session_id text,
        previous_hash text,
        entry_hash text not null,
        payload text not null,
        payload_jcs integer not null default 0
      )`.execute(db);
    await sql`insert into evidence_entries_0003 (${sql.raw(COLUMNS)})
      select ${sql.raw(COLUMNS)} from evidence_entries order by sequence`.execute(db);
    await sql`drop table evidence_entries`.execute(db);
    await sql`alter table evidence_entries_0003 rename to evidence_entries`.execute(db);
    await db.schema
      .createIndex('evidence_entries_session_id_sequence_idx')
      .on('evidence_entries')
      .columns(['session_id', 'sequence'])
      .execute();
  },
};
