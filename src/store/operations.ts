import type { DeliveriesTable, OperationsRecordsTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { clampPage, fromJson, optionalString, payloadPage, toJson } from './support';

/**
 * An operations record: the one kernel behind rollback drills, schedules, notification plans, acknowledgements,
 * executions … `kind` says which (upstream's `metadata_kind`); `subject_id` links it (a schedule, a plan …).
 */
export type OperationsRecord = {
  record_id: string;
  kind: string;
  subject_id?: string | null;
  state?: string | null;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
};

/** Delivery states: `pending`/`retrying` are due for an attempt once `next_attempt_at` has passed. */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'skipped';

/** One outbound delivery (an approval notification, a connector export …) and its retry state. */
export type DeliveryRecord = {
  delivery_id: string;
  /** What is delivered: `approval`, `operations_record`, … */
  subject_kind: string;
  subject_id: string;
  provider: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at?: string | null;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
};

/** Filters for operations records; exact matches. */
export type OperationsFilter = { kind?: string; subject_id?: string; state?: string };
/** Filters for deliveries; exact matches. */
export type DeliveryFilter = {
  subject_kind?: string;
  subject_id?: string;
  provider?: string;
  status?: DeliveryStatus;
};

/** Operations records, newest first. */
export interface OperationsRecordRepository {
  /** Inserts or replaces a record. */
  upsert(record: OperationsRecord): Promise<void>;
  /** The record with this id, or null. */
  get(recordId: string): Promise<OperationsRecord | null>;
  /** Matching records, newest first (`created_at DESC, record_id ASC`), paged. */
  list(filter?: OperationsFilter, page?: PageRequest): Promise<Page<OperationsRecord>>;
}

/** Deliveries, newest first, plus the retry queue. */
export interface DeliveryRepository {
  /** Inserts or replaces a delivery. */
  upsert(record: DeliveryRecord): Promise<void>;
  /** The delivery with this id, or null. */
  get(deliveryId: string): Promise<DeliveryRecord | null>;
  /** Matching deliveries, newest first (`created_at DESC, delivery_id ASC`), paged. */
  list(filter?: DeliveryFilter, page?: PageRequest): Promise<Page<DeliveryRecord>>;
  /** Pending or retrying deliveries whose next attempt is due at `now`, oldest due first. */
  listDue(now: string, limit?: number): Promise<DeliveryRecord[]>;
}

/** Operations records and deliveries. */
export type OperationsRepositories = { records: OperationsRecordRepository; deliveries: DeliveryRepository };

/** The operations repositories over a store context. */
export function createOperationsRepositories(ctx: StoreContext): OperationsRepositories {
  return { records: createRecords(ctx), deliveries: createDeliveries(ctx) };
}

function createRecords(ctx: StoreContext): OperationsRecordRepository {
  return {
    upsert: async (record) => {
      const { record_id: _id, ...columns } = recordRow(record);
      await ctx.db
        .insertInto('operations_records')
        .values(recordRow(record))
        .onConflict((oc) => oc.column('record_id').doUpdateSet(columns))
        .execute();
    },
    get: async (recordId) => {
      const row = await ctx.db
        .selectFrom('operations_records')
        .select('payload')
        .where('record_id', '=', recordId)
        .executeTakeFirst();
      return row ? fromJson<OperationsRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('operations_records');
      for (const column of ['kind', 'subject_id', 'state'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return payloadPage<OperationsRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query
            .select('payload')
            .orderBy('created_at', 'desc')
            .orderBy('record_id', 'asc')
            .limit(limit)
            .offset(offset)
            .execute(),
      );
    },
  };
}

const DUE_STATUSES: readonly DeliveryStatus[] = ['pending', 'retrying'];

function createDeliveries(ctx: StoreContext): DeliveryRepository {
  return {
    upsert: async (record) => {
      const { delivery_id: _id, ...columns } = deliveryRow(record);
      await ctx.db
        .insertInto('deliveries')
        .values(deliveryRow(record))
        .onConflict((oc) => oc.column('delivery_id').doUpdateSet(columns))
        .execute();
    },
    get: async (deliveryId) => {
      const row = await ctx.db
        .selectFrom('deliveries')
        .select('payload')
        .where('delivery_id', '=', deliveryId)
        .executeTakeFirst();
      return row ? fromJson<DeliveryRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('deliveries');
      for (const column of ['subject_kind', 'subject_id', 'provider', 'status'] as const) {
        const value = filter[column];
        if (value !== undefined) query = query.where(column, '=', value);
      }
      return payloadPage<DeliveryRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query
            .select('payload')
            .orderBy('created_at', 'desc')
            .orderBy('delivery_id', 'asc')
            .limit(limit)
            .offset(offset)
            .execute(),
      );
    },
    listDue: async (now, limit) => {
      // coalesce: NULLs sort first on SQLite and last on PostgreSQL; "no time set" means "due since creation".
      const rows = await ctx.db
        .selectFrom('deliveries')
        .select('payload')
        .where('status', 'in', DUE_STATUSES)
        .where((eb) => eb(eb.fn.coalesce('next_attempt_at', 'created_at'), '<=', now))
        .orderBy((eb) => eb.fn.coalesce('next_attempt_at', 'created_at'))
        .orderBy('delivery_id')
        .limit(clampPage({ limit }).limit)
        .execute();
      return rows.map((row) => fromJson<DeliveryRecord>(row.payload));
    },
  };
}

function recordRow(record: OperationsRecord): OperationsRecordsTable {
  return {
    record_id: record.record_id,
    kind: record.kind,
    subject_id: optionalString(record.subject_id),
    state: optionalString(record.state),
    created_at: record.created_at,
    updated_at: record.updated_at,
    payload: toJson(record),
  };
}

function deliveryRow(record: DeliveryRecord): DeliveriesTable {
  return {
    delivery_id: record.delivery_id,
    subject_kind: record.subject_kind,
    subject_id: record.subject_id,
    provider: record.provider,
    status: record.status,
    attempts: record.attempts,
    next_attempt_at: optionalString(record.next_attempt_at),
    created_at: record.created_at,
    updated_at: record.updated_at,
    payload: toJson(record),
  };
}
