import type { Migration } from './migrator';

/**
 * 0002: what verifying and checkpointing the log from the store needs (docs/decisions/0008, addendum).
 *
 * - `evidence_entries.payload_jcs`: 1 when `payload` holds the RFC 8785 (JCS) text of the payload, which lets a
 *   verifier rebuild each entry's canonical text (`canonicalEntryText`) and hash it as is. Rows written before
 *   this migration hold `JSON.stringify` text and keep 0; they are verified by re-serialising.
 * - `evidence_log_state`: the writer's state (head and Merkle frontier, `LogWriterState`) as of the last append,
 *   updated in every append transaction, so appends and checkpoints stay O(log n) and never re-read the log.
 *   Created empty: the first append (or `state()`) of a log that already has entries rebuilds it once.
 */
export const evidenceVerificationMigration: Migration = {
  id: '0002-evidence-verification',
  up: async (db) => {
    await db.schema
      .alterTable('evidence_entries')
      .addColumn('payload_jcs', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('evidence_log_state')
      .addColumn('log_id', 'text', (c) => c.primaryKey())
      .addColumn('tree_size', 'bigint', (c) => c.notNull())
      .addColumn('head_hash', 'text')
      .addColumn('frontier', 'text', (c) => c.notNull())
      .execute();
  },
};
