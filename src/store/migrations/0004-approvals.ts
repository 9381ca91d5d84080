import type { Migration } from './migrator';

/**
 * 0004: what enforcing approvals needs (docs/decisions/0012-approvals.md).
 *
 * - `approvals.repository`: the repository the approval is about (the decision's), so `GET /approvals` filters by
 *   it and repository RBAC can be checked without decoding payloads. Rows written before stay null.
 * - `approvals.review_state`: the follow-up review of a break-glass (`review_pending` → `reviewed`), null for
 *   ordinary approvals, so the review queue is an indexed query.
 * - `(state, expires_at)`: the expiry sweeper reads pending approvals past their deadline.
 */
export const approvalsMigration: Migration = {
  id: '0004-approvals',
  up: async (db) => {
    await db.schema.alterTable('approvals').addColumn('repository', 'text').execute();
    await db.schema.alterTable('approvals').addColumn('review_state', 'text').execute();
    await db.schema.createIndex('approvals_repository_idx').on('approvals').column('repository').execute();
    await db.schema
      .createIndex('approvals_review_state_idx')
      .on('approvals')
      .column('review_state')
      .execute();
    await db.schema
      .createIndex('approvals_state_expires_at_idx')
      .on('approvals')
      .columns(['state', 'expires_at'])
      .execute();
  },
};
