import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { Migration } from './migrator';

/** One index, named `<table>_<columns>_idx`. */
async function index(db: Kysely<Database>, table: keyof Database, columns: string[]): Promise<void> {
  await db.schema
    .createIndex(`${table}_${columns.join('_')}_idx`)
    .on(table)
    .columns(columns)
    .execute();
}

async function createActivity(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('decisions')
    .addColumn('decision_id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('repository', 'text')
    .addColumn('policy_pack', 'text')
    .addColumn('action_type', 'text')
    .addColumn('target', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('correlation_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of [
    'session_id',
    'agent_id',
    'repository',
    'policy_pack',
    'decision',
    'severity',
    'action_type',
  ]) {
    await index(db, 'decisions', [column, 'timestamp']);
  }
  await index(db, 'decisions', ['timestamp']);

  await db.schema
    .createTable('sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('repository', 'text')
    .addColumn('policy_pack', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decision_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approval_required_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('evidence_refs', 'text', (c) => c.notNull())
    .addColumn('decision_counts', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['agent_id', 'repository', 'policy_pack', 'state', 'updated_at']) {
    await index(db, 'sessions', [column]);
  }
}

async function createEvidence(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('evidence_entries')
    .addColumn('sequence', 'bigint', (c) => c.primaryKey())
    .addColumn('schema_version', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('previous_hash', 'text')
    .addColumn('entry_hash', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'evidence_entries', ['session_id', 'sequence']);

  await db.schema
    .createTable('evidence_checkpoints')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_checkpoints_pk', ['origin', 'tree_size'])
    .execute();

  await db.schema
    .createTable('evidence_metadata')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('signer', 'text')
    .addColumn('metadata_kind', 'text')
    .addColumn('decision_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approval_required_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['created_at', 'signer', 'metadata_kind', 'blocked_count']) {
    await index(db, 'evidence_metadata', [column]);
  }
}

async function createApprovals(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('approvals')
    .addColumn('approval_id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('approver_group', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('break_glass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['state', 'approver_group', 'requested_at', 'decision_id']) {
    await index(db, 'approvals', [column]);
  }
}

async function createRegistry(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('registry_agents')
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('vendor', 'text')
    .addColumn('risk_tier', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['status', 'owner']) await index(db, 'registry_agents', [column]);

  await db.schema
    .createTable('registry_mcp_servers')
    .addColumn('server_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trust_tier', 'text', (c) => c.notNull())
    .addColumn('approval_state', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('capabilities', 'text', (c) => c.notNull())
    .addColumn('allowed_tools', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['name', 'trust_tier', 'approval_state', 'owner']) {
    await index(db, 'registry_mcp_servers', [column]);
  }

  await db.schema
    .createTable('registry_agent_tokens')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('registry_agents.agent_id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await index(db, 'registry_agent_tokens', ['agent_id']);
}

async function createInventory(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('inventory_repositories')
    .addColumn('repository_id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('owner', 'text')
    .addColumn('policy_pack', 'text')
    .addColumn('risk_tier', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('workspace_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['owner', 'policy_pack', 'status'])
    await index(db, 'inventory_repositories', [column]);

  await db.schema
    .createTable('inventory_policy_rollouts')
    .addColumn('rollout_id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('policy_pack', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['repository', 'policy_pack', 'state'])
    await index(db, 'inventory_policy_rollouts', [column]);

  await db.schema
    .createTable('integrations')
    .addColumn('integration_id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('environment', 'text')
    .addColumn('health_status', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['provider', 'category', 'status']) await index(db, 'integrations', [column]);
}

async function createOperations(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('operations_records')
    .addColumn('record_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('state', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'operations_records', ['kind', 'created_at']);
  await index(db, 'operations_records', ['subject_id']);

  await db.schema
    .createTable('deliveries')
    .addColumn('delivery_id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'deliveries', ['subject_kind', 'subject_id']);
  await index(db, 'deliveries', ['status', 'next_attempt_at']);
}

/** 0001: every table the first issues need (docs/decisions/0008-store-and-drivers.md lists them). */
export const initialMigration: Migration = {
  id: '0001-initial',
  up: async (db) => {
    await createActivity(db);
    await createEvidence(db);
    await createApprovals(db);
    await createRegistry(db);
    await createInventory(db);
    await createOperations(db);
  },
};
