/**
 * Public data types of the policy engine: requests in, decisions out.
 * Field names follow upstream CAVRA's `cavra.decision.v1` so existing consumers keep working;
 * additions (policy_revision, mode, matched_rules, segments) are documented in docs/policy-language.md.
 */

/** Every outcome a decision can carry. `block` is upstream's name for deny. */
export type Outcome =
  'allow' | 'block' | 'require_approval' | 'warn' | 'audit_only' | 'allow_with_attestation';

export const OUTCOMES: readonly Outcome[] = [
  'allow',
  'block',
  'require_approval',
  'warn',
  'audit_only',
  'allow_with_attestation',
];

/** Upstream's risk level. Compare by rank, never by string order. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Runtime policy modes: an overlay applied after the guards (upstream §3.6). */
export type PolicyMode = 'enforce' | 'audit_only' | 'strict' | 'break_glass';

export const POLICY_MODES: readonly PolicyMode[] = ['enforce', 'audit_only', 'strict', 'break_glass'];

/** The action types the guards know; dotted generic types (`crm.update_record`) are accepted too. */
export type RuntimeActionType =
  | 'read_file'
  | 'write_file'
  | 'execute_command'
  | 'git_operation'
  | 'mcp_tool_call'
  | 'pull_request'
  | 'release_governance_record';

export const RUNTIME_ACTION_TYPES: readonly RuntimeActionType[] = [
  'read_file',
  'write_file',
  'execute_command',
  'git_operation',
  'mcp_tool_call',
  'pull_request',
  'release_governance_record',
];

/** A JSON value, as found in request records and pack documents. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A decision request: upstream's fields (with upstream's defaults applied by `normalizeRequest`) plus
 * `cwd` and the policy-mode fields. Unknown extra fields are ignored by the guards but kept by adapters.
 */
export type DecisionRequest = {
  action_type: string;
  target?: string;
  operation?: string;
  requested_operation?: string;
  server?: string;
  tool?: string;
  capability?: string;
  policy_pack?: string;
  session_id?: string;
  agent_id?: string;
  actor?: string;
  repository?: string;
  /** Workspace root used to resolve absolute paths; overrides DecisionContext.workspaceRoot. */
  cwd?: string;
  policy_mode?: PolicyMode;
  break_glass_actor?: string;
  break_glass_reason?: string;
  /** Release-governance record (alias `release_governance`). */
  record?: JsonObject;
  release_governance?: JsonObject;
  /** Generic-adapter fields (upstream §5.4). */
  action_id?: string;
  adapter_id?: string;
  tenant_id?: string;
  workspace_id?: string;
  risk_level?: Severity;
  metadata?: JsonObject;
};

/** One rule that contributed to a decision. The first entry is the one reported as `rule_id`. */
export type MatchedRule = {
  rule_id: string;
  decision: Outcome;
  severity: Severity;
  /** The pattern or built-in condition that matched. */
  pattern?: string;
  /** The pack the pattern came from (after inheritance: the pack that declared it). */
  pack?: string;
  /** For commands: the normalised simple command the pattern matched (absent when it matched the whole text). */
  segment?: string;
  /** For file rules reached through a command: the path and whether it was read or written. */
  path?: string;
  access?: 'read' | 'write';
  reason: string;
};

/** One simple command found in a command line, normalised, with its own verdict. */
export type CommandSegment = {
  /** The normalised simple command (wrappers removed, quotes removed, program reduced to its name). */
  command: string;
  /** The program name, or null when it cannot be known statically (`$X apply`). */
  program: string | null;
  decision: Outcome;
  rule_id: string;
  /** Where in the command line it was found: top level, a pipeline, a substitution, `sh -c` … */
  context: string;
};

/** The decision object: upstream `cavra.decision.v1` plus CAVRA additions. */
export type Decision = {
  schema_version: 'cavra.decision.v1';
  decision_id: string;
  session_id: string;
  agent_id: string;
  actor: string;
  action_type: string;
  target: string;
  requested_operation: string;
  policy_pack: string;
  policy_id: string;
  rule_id: string;
  /** The effective outcome the agent must obey (after the mode overlay). */
  decision: Outcome;
  severity: Severity;
  reason: string;
  evidence_refs: string[];
  approver_group: string | null;
  timestamp: string;
  correlation_id: string;
  repository?: string;
  /** Content hash of the compiled pack (`sha256:` + hex). */
  policy_revision: string;
  mode: PolicyMode;
  /** The guards' outcome before the mode overlay. */
  base_decision: Outcome;
  mode_reason: string;
  evidence_required: boolean;
  matched_rules: MatchedRule[];
  segments?: CommandSegment[];
  /** Generic-adapter additions (upstream §3.3), present when the request came through an adapter. */
  action_id?: string;
  adapter_id?: string;
  tenant_id?: string | null;
  workspace_id?: string | null;
  taxonomy?: { domain: string; effect: string; risk_level: Severity; default_decision: Outcome } | null;
  metadata_summary?: { keys: string[]; contains_customer_data: boolean; system: string | null };
};

/** Engine errors are values with stable codes (STYLE.md §5). */
export type EngineErrorCode =
  | 'unknown_policy_pack'
  | 'unknown_action_type'
  | 'invalid_request'
  | 'invalid_policy_mode'
  | 'invalid_policy'
  | 'policy_inheritance_cycle';

export type EngineError = {
  code: EngineErrorCode;
  message: string;
  /** Valid choices, when the error is about picking one (packs, action types, modes). */
  choices?: string[];
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

/** What the engine needs from the outside world: the clock, ids and the workspace root. */
export type DecisionContext = {
  now: () => Date;
  /** Returns 12 lowercase hex characters; called once for the decision id and once for the correlation id. */
  randomHex12: () => string;
  /** Default workspace root for path resolution (a request's `cwd` wins). */
  workspaceRoot?: string;
  /** Home directory used to expand `~` in paths; when absent `~` paths are matched as written. */
  homeDir?: string;
};
