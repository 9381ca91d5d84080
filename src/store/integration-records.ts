import type { IntegrationsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { fromJson, optionalString, payloadPage, toJson } from './support';

/** An integration (`cavra.integration.v1`): indexed fields typed, the rest kept as given. */
export type IntegrationRecord = {
  integration_id: string;
  provider: string;
  category: string;
  status: 'planned' | 'configured' | 'active' | 'paused' | 'disabled';
  owner?: string | null;
  environment?: string | null;
  health_status?: string | null;
  updated_at: string;
  [field: string]: unknown;
};

/** Filters for integrations; exact matches. */
export type IntegrationFilter = {
  provider?: string;
  category?: string;
  status?: IntegrationRecord['status'];
};

/** Configured integrations, sorted by id. */
export interface IntegrationRepository {
  /** Inserts or replaces an integration. */
  upsert(record: IntegrationRecord): Promise<void>;
  /** The integration with this id, or null. */
  get(integrationId: string): Promise<IntegrationRecord | null>;
  /** Matching integrations sorted by integration_id, paged. */
  list(filter?: IntegrationFilter, page?: PageRequest): Promise<Page<IntegrationRecord>>;
}

/** The integration repository over a store context. */
export function createIntegrationRepository(ctx: StoreContext): IntegrationRepository {
  return {
    upsert: async (record) => {
      const { integration_id: _id, ...columns } = toRow(record);
      await ctx.db
        .insertInto('integrations')
        .values(toRow(record))
        .onConflict((oc) => oc.column('integration_id').doUpdateSet(columns))
        .execute();
    },
    get: async (integrationId) => {
      const row = await ctx.db
        .selectFrom('integrations')
        .select('payload')
        .where('integration_id', '=', integrationId)
        .executeTakeFirst();
      return row ? fromJson<IntegrationRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('integrations');
      for (const column of ['provider', 'category', 'status'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return payloadPage<IntegrationRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query.select('payload').orderBy('integration_id').limit(limit).offset(offset).execute(),
      );
    },
  };
}

function toRow(record: IntegrationRecord): IntegrationsTable {
  return {
    integration_id: record.integration_id,
    provider: record.provider,
    category: record.category,
    status: record.status,
    owner: optionalString(record.owner),
    environment: optionalString(record.environment),
    health_status: optionalString(record.health_status),
    updated_at: record.updated_at,
    payload: toJson(record),
  };
}
