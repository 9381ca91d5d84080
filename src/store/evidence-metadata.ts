import { sql } from 'kysely';
import type { EvidenceMetadataTable } from './schema';
import type { Page, PageRequest, StoreContext } from './support';
import { containsPattern, fromJson, optionalString, payloadPage, toJson } from './support';

/** Evidence bundle metadata (`cavra.evidence.metadata.v1`): indexed fields typed, the rest kept as given. */
export type EvidenceMetadataRecord = {
  session_id: string;
  created_at: string;
  signer?: string | null;
  metadata_kind?: string | null;
  decision_count?: number;
  blocked_count?: number;
  approval_required_count?: number;
  [field: string]: unknown;
};

/** The column filters of `GET /evidence` (upstream §1.9). Payload filters are the caller's. */
export type EvidenceMetadataFilter = {
  /** Case-insensitive substring of the session id. */
  session_id?: string;
  signer?: string;
  metadata_kind?: string;
  /** At least this many blocked decisions. */
  min_blocked?: number;
  /** true: approval_required_count > 0; false: = 0. */
  has_approvals?: boolean;
};

/** Evidence metadata, one record per session. */
export interface EvidenceMetadataRepository {
  /** Inserts or replaces the metadata of a session. */
  upsert(record: EvidenceMetadataRecord): Promise<void>;
  /** The metadata of this session, or null. */
  get(sessionId: string): Promise<EvidenceMetadataRecord | null>;
  /** Matching records, newest first (`created_at DESC, session_id ASC`), paged. */
  list(filter?: EvidenceMetadataFilter, page?: PageRequest): Promise<Page<EvidenceMetadataRecord>>;
}

/** The evidence metadata repository over a store context. */
export function createEvidenceMetadataRepository(ctx: StoreContext): EvidenceMetadataRepository {
  return {
    upsert: async (record) => {
      const { session_id: _id, ...columns } = toRow(record);
      await ctx.db
        .insertInto('evidence_metadata')
        .values(toRow(record))
        .onConflict((oc) => oc.column('session_id').doUpdateSet(columns))
        .execute();
    },
    get: async (sessionId) => {
      const row = await ctx.db
        .selectFrom('evidence_metadata')
        .select('payload')
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return row ? fromJson<EvidenceMetadataRecord>(row.payload) : null;
    },
    list: (filter = {}, pageRequest) => {
      let query = ctx.db.selectFrom('evidence_metadata');
      if (filter.session_id !== undefined) {
        // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        const pattern = containsPattern(filter.session_id);
        query = query.where(sql<boolean>`lower(session_id) like ${pattern} escape '\\'`);
      }
      if (filter.signer !== undefined) query = query.where('signer', '=', filter.signer);
      if (filter.metadata_kind !== undefined) query = query.where('metadata_kind', '=', filter.metadata_kind);
      if (filter.min_blocked !== undefined) query = query.where('blocked_count', '>=', filter.min_blocked);
      if (filter.has_approvals !== undefined) {
        query = query.where('approval_required_count', filter.has_approvals ? '>' : '=', 0);
      }
      return payloadPage<EvidenceMetadataRecord>(
        pageRequest,
        () => query.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirst(),
        ({ limit, offset }) =>
          query
            .select('payload')
            .orderBy('created_at', 'desc')
            .orderBy('session_id', 'asc')
            .limit(limit)
            .offset(offset)
            .execute(),
      );
    },
  };
}

function toRow(record: EvidenceMetadataRecord): EvidenceMetadataTable {
  return {
    session_id: record.session_id,
    created_at: record.created_at,
    signer: optionalString(record.signer),
    metadata_kind: optionalString(record.metadata_kind),
    decision_count: record.decision_count ?? 0,
    blocked_count: record.blocked_count ?? 0,
    approval_required_count: record.approval_required_count ?? 0,
    payload: toJson(record),
  };
}
