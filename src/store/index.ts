/**
 * The store: one schema, ordered migrations and repositories over an async SQL port (Kysely). Browser-capable:
 * drivers live in `./drivers` and are chosen by the caller (server, CLI, sandbox), never by the API.
 */
export { APPROVAL_STATES } from './approvals';
export type { ApprovalFilter, ApprovalRecord, ApprovalRepository, ApprovalState } from './approvals';
export { DECISION_FILTER_COLUMNS, DECISION_SORT_KEYS } from './decisions';
export type { DecisionFilter, DecisionRepository, DecisionSort } from './decisions';
export { createSqliteDialect, postgresStoreDialect, sqliteStoreDialect } from './dialect';
export type { LockScope, StoreDialect } from './dialect';
export { VERIFY_PAGE_SIZE } from './evidence-log';
export type {
  AppendRequest,
  CheckpointRepository,
  DecisionAppend,
  EvidenceLog,
  FollowingAppend,
  NextEntry,
  PageOptions,
  VerificationPage,
} from './evidence-log';
export type {
  EvidenceMetadataFilter,
  EvidenceMetadataRecord,
  EvidenceMetadataRepository,
} from './evidence-metadata';
export type { IntegrationFilter, IntegrationRecord, IntegrationRepository } from './integration-records';
export type {
  InventoryRepositories,
  RepositoryFilter,
  RepositoryInventory,
  RepositoryRecord,
  RolloutFilter,
  RolloutInventory,
  RolloutRecord,
} from './inventory';
export { MIGRATIONS, migrate } from './migrations';
export type { Migration, MigrationReport } from './migrations';
export type {
  DeliveryFilter,
  DeliveryRecord,
  DeliveryRepository,
  DeliveryStatus,
  OperationsFilter,
  OperationsRecord,
  OperationsRecordRepository,
  OperationsRepositories,
} from './operations';
export type {
  AgentRecord,
  AgentRepository,
  AgentStatus,
  AgentToken,
  AgentTokenRepository,
  McpApprovalState,
  McpServerRecord,
  McpServerRepository,
  McpTrustTier,
  RegistryRepositories,
} from './registry';
export type { Database } from './schema';
export type { SessionFilter, SessionInput, SessionRecord, SessionRepository } from './sessions';
export { createStore } from './store';
export type { Store, StoreOptions, StoreRepositories } from './store';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, clampPage } from './support';
export type { ItemList, Page, PageRequest } from './support';
