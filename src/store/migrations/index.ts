import { initialMigration } from './0001-initial';
import { evidenceVerificationMigration } from './0002-evidence-verification';
import { evidenceAppendPathMigration } from './0003-evidence-append-path';
import { approvalsMigration } from './0004-approvals';
import type { Migration } from './migrator';

/** Every migration, in the order it applies. Append new ones; never edit or reorder an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  initialMigration,
  evidenceVerificationMigration,
  evidenceAppendPathMigration,
  approvalsMigration,
];

export { migrate } from './migrator';
export type { Migration, MigrationReport } from './migrator';
