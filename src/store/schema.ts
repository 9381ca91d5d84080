/**
 * Kysely table types: the one schema every driver runs (migrations in `./migrations`).
 *
 * Conventions (docs/decisions/0008-store-and-drivers.md):
 * - Every record is kept whole as JSON text in `payload`; scalar copies of the fields that lists filter or sort
 *   on sit beside it in indexed columns. Readers return the payload, never the columns.
 * - Timestamps are ISO-8601 UTC text (they sort as strings); booleans are integers 0/1; counts are integers;
 *   evidence sequences and tree sizes are bigints (pg's int8 is parsed back to a JS number by the driver).
 */

/** Applied migrations (upstream: `schema_migrations`). */
export type MigrationsTable = { id: string; applied_at: string };

/** Decisions (`cavra.decision.v1`), newest first by `timestamp`. */
export type DecisionsTable = {
  decision_id: string;
  session_id: string;
  agent_id: string | null;
  actor: string | null;
  repository: string | null;
  policy_pack: string | null;
  action_type: string | null;
  target: string | null;
  rule_id: string | null;
  decision: string;
  severity: string | null;
  timestamp: string;
  correlation_id: string | null;
  payload: string;
};

/** Session summaries, maintained from decisions; `evidence_refs` is a JSON array. */
export type SessionsTable = {
  session_id: string;
  agent_id: string | null;
  actor: string | null;
  repository: string | null;
  policy_pack: string | null;
  state: string;
  started_at: string;
  updated_at: string;
  decision_count: number;
  blocked_count: number;
  approval_required_count: number;
  evidence_refs: string;
  /** JSON object: decisions per outcome. */
  decision_counts: string;
};

/** The append-only evidence log: one row per `EvidenceEntry`. INVARIANT: rows are never updated or deleted. */
export type EvidenceEntriesTable = {
  sequence: number;
  schema_version: string;
  kind: string;
  recorded_at: string;
  /** `payload.session_id` when it is a string: lets a session's bundle find its entries. */
  session_id: string | null;
  previous_hash: string | null;
  entry_hash: string;
  payload: string;
  /** 1 when `payload` is the RFC 8785 (JCS) text of the payload (every row since migration 0002), else 0. */
  payload_jcs: number;
};

/**
 * The evidence writer's state after the last append (`LogWriterState`): one row per chain (`log_id` is the lock
 * key, '' for the store's one chain), updated in every append transaction. `frontier` is a JSON array of the
 * hex roots of the perfect subtrees that make up `tree_size` (the evidence layer's `FrontierState.hashes`).
 */
export type EvidenceLogStateTable = {
  log_id: string;
  tree_size: number;
  head_hash: string | null;
  frontier: string;
};

/** Signed checkpoints (`cavra.evidence.checkpoint.v1` records), one per (origin, tree size). */
export type EvidenceCheckpointsTable = {
  origin: string;
  tree_size: number;
  root_hash: string;
  timestamp: string | null;
  payload: string;
};

/** Evidence bundle metadata (`cavra.evidence.metadata.v1`), keyed by session. */
export type EvidenceMetadataTable = {
  session_id: string;
  created_at: string;
  signer: string | null;
  metadata_kind: string | null;
  decision_count: number;
  blocked_count: number;
  approval_required_count: number;
  payload: string;
};

/** Approvals (`cavra.approval.v1`). */
export type ApprovalsTable = {
  approval_id: string;
  decision_id: string;
  session_id: string | null;
  state: string;
  approver_group: string;
  requested_by: string | null;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  external_ref: string | null;
  break_glass: number;
  /** The decision's repository (migration 0004; null on older rows). */
  repository: string | null;
  /** Break-glass follow-up review: `review_pending` or `reviewed`; null for ordinary approvals (0004). */
  review_state: string | null;
  payload: string;
};

/** Registered agents (`cavra.agent.v1`). */
export type RegistryAgentsTable = {
  agent_id: string;
  status: string;
  owner: string | null;
  vendor: string | null;
  risk_tier: string | null;
  last_seen: string | null;
  updated_at: string;
  payload: string;
};

/** MCP server trust records (`cavra.mcp_server.v1`); `capabilities`/`allowed_tools` are JSON arrays. */
export type RegistryMcpServersTable = {
  server_id: string;
  name: string;
  trust_tier: string;
  approval_state: string;
  owner: string | null;
  capabilities: string;
  allowed_tools: string;
  last_seen: string | null;
  updated_at: string;
  payload: string;
};

/** Agent API tokens. INVARIANT: only a SHA-256 digest of the token is stored, never the token. */
export type RegistryAgentTokensTable = {
  token_id: string;
  agent_id: string;
  token_hash: string;
  label: string | null;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** Repository inventory (`cavra.repository.v1`). */
export type InventoryRepositoriesTable = {
  repository_id: string;
  repository: string;
  provider: string | null;
  owner: string | null;
  policy_pack: string | null;
  risk_tier: string | null;
  status: string;
  tenant_id: string | null;
  workspace_id: string | null;
  updated_at: string;
  payload: string;
};

/** Policy rollouts (`cavra.policy_rollout.v1`). */
export type InventoryPolicyRolloutsTable = {
  rollout_id: string;
  repository: string;
  policy_pack: string;
  state: string;
  mode: string;
  owner: string | null;
  updated_at: string;
  payload: string;
};

/** Integrations (`cavra.integration.v1`). */
export type IntegrationsTable = {
  integration_id: string;
  provider: string;
  category: string;
  status: string;
  owner: string | null;
  environment: string | null;
  health_status: string | null;
  updated_at: string;
  payload: string;
};

/** Operations records: one generic kernel (drills, notifications, acknowledgements, executions …). */
export type OperationsRecordsTable = {
  record_id: string;
  kind: string;
  subject_id: string | null;
  state: string | null;
  created_at: string;
  updated_at: string;
  payload: string;
};

/** Outbound deliveries (approval notifications, connector exports) and their retry state. */
export type DeliveriesTable = {
  delivery_id: string;
  subject_kind: string;
  subject_id: string;
  provider: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  payload: string;
};

/** Every table of the store, as Kysely sees it. */
export interface Database {
  cavra_migrations: MigrationsTable;
  decisions: DecisionsTable;
  sessions: SessionsTable;
  evidence_entries: EvidenceEntriesTable;
  evidence_checkpoints: EvidenceCheckpointsTable;
  evidence_log_state: EvidenceLogStateTable;
  evidence_metadata: EvidenceMetadataTable;
  approvals: ApprovalsTable;
  registry_agents: RegistryAgentsTable;
  registry_mcp_servers: RegistryMcpServersTable;
  registry_agent_tokens: RegistryAgentTokensTable;
  inventory_repositories: InventoryRepositoriesTable;
  inventory_policy_rollouts: InventoryPolicyRolloutsTable;
  integrations: IntegrationsTable;
  operations_records: OperationsRecordsTable;
  deliveries: DeliveriesTable;
}
