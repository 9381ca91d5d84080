/**
 * Ordered, recorded migrations. Kysely's own Migrator is not used: on SQLite it runs DDL outside a transaction
 * with no cross-process lock, and several local processes (hooks, CLI, server) may open one file at once.
 */
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect';
import type { Database } from '../schema';

/** One schema change. `id`s sort in the order they apply (`0001-…`, `0002-…`); an applied id never changes. */
export type Migration = {
  id: string;
  /** Written with Kysely's schema builder, so the same code runs on SQLite and PostgreSQL. */
  up: (db: Kysely<Database>) => Promise<void>;
};

/** What a migration run did. */
export type MigrationReport = { applied: string[]; alreadyApplied: string[] };

/**
 * Applies every pending migration in one transaction that holds the migrations lock, recording each id in
 * `cavra_migrations`. Idempotent, and safe when several processes start at once: the second waits, then finds
 * nothing to do. Fails (a bug or a downgrade) when the database has migrations this build does not know.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: StoreDialect,
  migrations: readonly Migration[],
  now: () => string = () => new Date().toISOString(),
): Promise<MigrationReport> {
  assertOrdered(migrations);
  return db.transaction().execute(async (trx) => {
    await dialect.lock(trx, 'migrations');
    await trx.schema
      .createTable('cavra_migrations')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const rows = await trx.selectFrom('cavra_migrations').select('id').orderBy('id').execute();
    const done = new Set(rows.map((row) => row.id));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...done].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(
        `the database has migrations this build does not know (${unknown.join(', ')}): upgrade cavra or use another database`,
      );
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await migration.up(trx);
      await trx.insertInto('cavra_migrations').values({ id: migration.id, applied_at: now() }).execute();
      applied.push(migration.id);
    }
    return { applied, alreadyApplied: [...done].sort() };
  });
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, i) => {
    const previous = migrations[i - 1];
    if (previous !== undefined && previous.id >= migration.id) {
      throw new Error(`migrations out of order: ${previous.id} before ${migration.id}`);
    }
  });
}
