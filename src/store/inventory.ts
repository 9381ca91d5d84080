import type { InventoryPolicyRolloutsTable, InventoryRepositoriesTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { fromJson, optionalString, payloadPage, toJson } from './support';

/** A repository in the inventory (`cavra.repository.v1`): indexed fields typed, the rest kept as given. */
export type RepositoryRecord = {
  repository_id: string;
  repository: string;
  provider?: string | null;
  owner?: string | null;
  policy_pack?: string | null;
  risk_tier?: string | null;
  status: 'active' | 'archived' | 'disabled';
  tenant_id?: string | null;
  workspace_id?: string | null;
  updated_at: string;
  [field: string]: unknown;
};

/** A policy rollout (`cavra.policy_rollout.v1`): indexed fields typed, the rest kept as given. */
export type RolloutRecord = {
  rollout_id: string;
  repository: string;
  policy_pack: string;
  state: 'planned' | 'active' | 'paused' | 'retired';
  mode: 'audit_only' | 'enforce' | 'strict' | 'break_glass';
  owner?: string | null;
  updated_at: string;
  [field: string]: unknown;
};

/** Filters for repositories; exact matches. */
export type RepositoryFilter = { owner?: string; policy_pack?: string; status?: RepositoryRecord['status'] };
/** Filters for rollouts; exact matches. */
export type RolloutFilter = { repository?: string; policy_pack?: string; state?: RolloutRecord['state'] };

/** Repository inventory, sorted by id. */
export interface RepositoryInventory {
  /** Inserts or replaces a repository. */
  upsert(record: RepositoryRecord): Promise<void>;
  /** The repository with this id (ids may contain slashes), or null. */
  get(repositoryId: string): Promise<RepositoryRecord | null>;
  /** Matching repositories sorted by repository_id, paged. */
  list(filter?: RepositoryFilter, page?: PageRequest): Promise<Page<RepositoryRecord>>;
}

/** Policy rollouts, sorted by id. */
export interface RolloutInventory {
  /** Inserts or replaces a rollout. */
  upsert(record: RolloutRecord): Promise<void>;
  /** The rollout with this id, or null. */
  get(rolloutId: string): Promise<RolloutRecord | null>;
  /** Matching rollouts sorted by rollout_id, paged. */
  list(filter?: RolloutFilter, page?: PageRequest): Promise<Page<RolloutRecord>>;
}

/** Repositories and policy rollouts. */
export type InventoryRepositories = { repositories: RepositoryInventory; rollouts: RolloutInventory };

/** The inventory repositories over a store context. */
export function createInventoryRepositories(ctx: StoreContext): InventoryRepositories {
  return { repositories: createRepositories(ctx), rollouts: createRollouts(ctx) };
}

function createRepositories(ctx: StoreContext): RepositoryInventory {
  return {
    upsert: async (record) => {
      const { repository_id: _id, ...columns } = repositoryRow(record);
      await ctx.db
        .insertInto('inventory_repositories')
        .values(repositoryRow(record))
        .onConflict((oc) => oc.column('repository_id').doUpdateSet(columns))
        .execute();
    },
    get: async (repositoryId) => {
      const row = await ctx.db
        .selectFrom('inventory_repositories')
        .select('payload')
        .where('repository_id', '=', repositoryId)
        .executeTakeFirst();
      return row ? fromJson<RepositoryRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('inventory_repositories');
      for (const column of ['owner', 'policy_pack', 'status'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return payloadPage<RepositoryRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query.select('payload').orderBy('repository_id').limit(limit).offset(offset).execute(),
      );
    },
  };
}

function createRollouts(ctx: StoreContext): RolloutInventory {
  return {
    upsert: async (record) => {
      const { rollout_id: _id, ...columns } = rolloutRow(record);
      await ctx.db
        .insertInto('inventory_policy_rollouts')
        .values(rolloutRow(record))
        .onConflict((oc) => oc.column('rollout_id').doUpdateSet(columns))
        .execute();
    },
    get: async (rolloutId) => {
      const row = await ctx.db
        .selectFrom('inventory_policy_rollouts')
        .select('payload')
        .where('rollout_id', '=', rolloutId)
        .executeTakeFirst();
      return row ? fromJson<RolloutRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('inventory_policy_rollouts');
      for (const column of ['repository', 'policy_pack', 'state'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return payloadPage<RolloutRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query.select('payload').orderBy('rollout_id').limit(limit).offset(offset).execute(),
      );
    },
  };
}

function repositoryRow(record: RepositoryRecord): InventoryRepositoriesTable {
  return {
    repository_id: record.repository_id,
    repository: record.repository,
    provider: optionalString(record.provider),
    owner: optionalString(record.owner),
    policy_pack: optionalString(record.policy_pack),
    risk_tier: optionalString(record.risk_tier),
    status: record.status,
    tenant_id: optionalString(record.tenant_id),
    workspace_id: optionalString(record.workspace_id),
    updated_at: record.updated_at,
    payload: toJson(record),
  };
}

function rolloutRow(record: RolloutRecord): InventoryPolicyRolloutsTable {
  return {
    rollout_id: record.rollout_id,
    repository: record.repository,
    policy_pack: record.policy_pack,
    state: record.state,
    mode: record.mode,
    owner: optionalString(record.owner),
    updated_at: record.updated_at,
    payload: toJson(record),
  };
}
