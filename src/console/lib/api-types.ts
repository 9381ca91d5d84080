/**
 * The JSON shapes the console reads, named after the API's documents (docs/api.md, GET /api/openapi.json).
 * Decisions are the engine's own type; everything else mirrors an API schema. Fields the console does not read
 * are left out; optional fields are those a deployment may not send yet.
 */
import type { Decision, Outcome, PolicyMode, Severity } from '../../engine';

export type { Decision, Outcome, PolicyMode, Severity };

/** `{items, total, limit, offset}`: every paged list. */
export type Page<T> = { items: T[]; total: number; limit?: number; offset?: number };

export type ConsoleConfig = {
  product: 'CAVRA';
  version: string;
  api_base_url: string;
  auth_mode: 'demo' | 'oidc';
  demo_mode: boolean;
  activity_mode: string;
  approval_oidc: 'configured' | 'disabled';
  approval_rbac: 'configured' | 'disabled';
  cors_origins: string[];
  evidence?: {
    origin: string;
    key_id: string;
    checkpoint_policy: { every_entries: number; every_seconds: number };
  };
  /** Present when the server has an identity provider for the console (Authorization Code + PKCE). */
  oidc?: ConsoleOidcConfig | null;
  endpoints: Record<string, string>;
};

export type ConsoleOidcConfig = {
  issuer: string;
  client_id: string;
  scopes?: string[] | string;
  audience?: string;
  /** Added to the authorization request (`CAVRA_CONSOLE_OIDC_EXTRA_PARAMS`), e.g. `{ resource: … }`. */
  extra_query_params?: Record<string, string>;
};

export type Permissions = {
  read_activity: boolean;
  read_inventory: boolean;
  read_integrations: boolean;
  read_evidence_metadata: boolean;
  decide_approvals: boolean;
  publish_policy_packs: boolean;
  create_break_glass: boolean;
  /** Approver groups the caller may decide for (`*` for all), when the server computes them. */
  approve_groups?: string[];
  /** May register and edit agents and MCP servers. */
  registry_write?: boolean;
} & Record<string, boolean | string[] | undefined>;

export type ConsoleSession = {
  schema_version: 'cavra.console.session.v1';
  mode: 'authenticated' | 'auth_required' | 'local_or_demo';
  auth_mode: 'demo' | 'oidc';
  authenticated: boolean;
  auth_required: boolean;
  actor: {
    actor: string;
    subject: string | null;
    issuer: string | null;
    groups: string[];
    repository: string | null;
  } | null;
  repository_permissions: {
    repository: string;
    approver_group: string;
    actions: string[];
    groups: string[];
  }[];
  permissions: Permissions;
  operator_notes: string[];
};

export type SecurityBoundary = {
  schema_version: 'cavra.console.security_boundary.v1';
  mode: 'oidc_rbac_ready' | 'local_or_demo';
  auth_mode: 'demo' | 'oidc';
  oidc: {
    configured: boolean;
    config_env: string;
    supported_algorithms: string[];
    validated_claims: string[];
  };
  rbac: { configured: boolean; config_env: string; boundaries: string[] };
  cors: { configured: boolean; origins: string[] };
  console_permissions: string[];
  operator_notes: string[];
};

export type Health = { status: string; product: string; checks?: Record<string, string> };

export type SessionSummary = {
  schema_version: 'cavra.session.v1';
  session_id: string;
  agent_id: string;
  actor: string;
  repository: string;
  policy_pack: string;
  state: string;
  started_at: string;
  updated_at: string;
  decision_count: number;
  blocked_count: number;
  approval_required_count: number;
  evidence_refs: string[];
  decision_counts?: Partial<Record<Outcome, number>>;
};

export type Checkpoint = {
  schema_version: 'cavra.evidence.checkpoint.v1';
  origin: string;
  tree_size: number;
  root_hash: string;
  timestamp: string;
  note: string;
};

export type EvidenceEntry = {
  schema_version: 'cavra.evidence.entry.v1';
  sequence: number;
  kind: string;
  recorded_at: string;
  payload: Record<string, unknown>;
  previous_hash: string;
  entry_hash: string;
};

export type EvidenceStatus = {
  schema_version: 'cavra.evidence.log-status.v1';
  origin: string;
  size: number;
  head: { sequence: number; entry_hash: string } | null;
  latest_checkpoint: Checkpoint | null;
  unsigned_entries: number;
  signing_key: {
    key_id: string;
    algorithm: string;
    public_key_sha256: string;
    public_key_pem: string;
    note_verifier_key: string;
  };
} & Page<EvidenceEntry>;

export type VerificationIssue = { code: string; message: string; sequence?: number } & Record<
  string,
  unknown
>;

export type LogVerification = {
  schema_version: 'cavra.evidence.log-verification.v1';
  origin: string;
  verified_at: string;
  trusted_key_ids: string[];
  trusted_checkpoint: { tree_size: number; root_hash: string } | null;
  valid: boolean;
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
  checked: { entries: number; checkpoints: number; checkpoints_verified: number; covered_entries: number };
};

export type InclusionProof = {
  decision_id: string;
  sequence: number;
  entry: EvidenceEntry;
  /** RFC 6962 leaf hash (hex) of the entry's canonical text. */
  leaf_hash: string;
  /** RFC 9162 audit path, hex, leaf to root. */
  inclusion_proof: string[];
  /** Index into `checkpoints`. */
  checkpoint: number;
};

export type InclusionProofs = {
  schema_version: 'cavra.evidence.inclusion-proofs.v1';
  product?: string;
  session_id: string;
  checkpoints: Checkpoint[];
  proofs: InclusionProof[];
};

export type TrustRoot = {
  key_id: string;
  owner: string;
  status: string;
  algorithm: string;
  public_key_sha256: string;
  valid_from: string;
  valid_until: string | null;
};

export type PolicyPackSummary = {
  id: string;
  title: string;
  description: string;
  version: string;
  inherits: string[];
  revision: string;
  is_default: boolean;
  rules: Record<string, number>;
  tests: number;
};

export type PackTest = {
  name?: string;
  request: Record<string, unknown>;
  expect: { decision?: Outcome; rule_id?: string; severity?: Severity } & Record<string, unknown>;
};

export type PolicyPackDetail = PolicyPackSummary & {
  document: { metadata?: Record<string, unknown>; tests?: PackTest[] } & Record<string, unknown>;
};

export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired' | 'break_glass';

export type ApprovalHistoryEvent = {
  event: string;
  actor: string;
  timestamp: string;
  reason: string | null;
  external_ref?: string | null;
};

/** One approver's approval, while `required_approvals` is not reached yet (and the final one). */
export type ApproverVote = {
  actor: string;
  subject: string | null;
  timestamp: string;
  reason: string;
  external_ref?: string;
};

/** The follow-up review every break-glass gets. */
export type BreakGlassReview = {
  state: 'review_pending' | 'reviewed';
  reviewer_groups: string[];
  reviewed_by?: string;
  reviewed_at?: string;
  reason?: string;
  external_ref?: string;
};

/** `cavra.approval.v1` (upstream §2.1) plus N-of-M progress, routing and the break-glass review. */
export type Approval = {
  schema_version?: string;
  approval_id: string;
  decision_id: string;
  session_id?: string | null;
  state: ApprovalState;
  approver_group: string;
  requested_by?: string | null;
  requested_at: string;
  expires_at: string;
  decision: Partial<Decision> & { decision_id: string };
  history: ApprovalHistoryEvent[];
  evidence_refs: string[];
  decided_by?: string | null;
  decided_at?: string | null;
  decision_reason?: string | null;
  external_ref?: string | null;
  repository?: string | null;
  break_glass?: boolean;
  break_glass_reason?: string | null;
  /** Distinct approvers needed (default 1). */
  required_approvals?: number;
  approvals?: ApproverVote[];
  routing?: { routed_by: string; rule: Record<string, unknown> | null; source: string | null };
  review_state?: string | null;
  review?: BreakGlassReview;
};

export type Agent = {
  agent_id: string;
  type: string;
  vendor: string;
  version: string;
  capabilities: string[];
  scopes: string[];
  allowed_repositories: string[];
  allowed_tools: string[];
  risk_tier: Severity;
  owner: string;
  status: string;
  profile?: string | null;
  last_seen: string;
  evidence_refs?: string[];
};

export type AgentProfile = {
  profile_id: string;
  display_name: string;
  vendor: string;
  type: string;
  default_capabilities: string[];
  default_scopes: string[];
  recommended_tools: string[];
  risk_tier: Severity;
  enterprise_controls: string[];
};

export type McpServer = {
  server_id: string;
  name: string;
  trust_tier: string;
  capabilities: string[];
  owner: string | null;
  approval_state: string;
  allowed_tools: string[];
  last_seen?: string;
};

export type ToolClassification = {
  capability: string;
  category: string;
  risk_tier: Severity;
  default_decision: string;
  approval_required_for: string[];
  example_tools: string[];
  control_objective: string;
};

/** What `POST /evaluate` accepts (a subset of the API's DecisionRequest). */
export type EvaluateRequest = {
  action_type: string;
  target?: string;
  policy_pack?: string;
  policy_mode?: PolicyMode;
  operation?: string;
  server?: string;
  tool?: string;
  capability?: string;
  repository?: string;
  agent_id?: string;
};
