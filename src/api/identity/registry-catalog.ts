/**
 * Reference data of the trust registry (upstream §3.2 and §3.4): the six agent profiles and the seven MCP
 * capability classifications, with upstream's ids and values. Profiles fill defaults when an agent is
 * registered with `profile`; classifications are informational (the trust evaluation does not read them).
 */

/** A predefined agent profile (`GET /agents/profiles`). */
export type AgentProfile = {
  profile_id: string;
  display_name: string;
  vendor: string;
  type: string;
  default_capabilities: string[];
  default_scopes: string[];
  recommended_tools: string[];
  risk_tier: 'low' | 'medium' | 'high' | 'critical';
  enterprise_controls: string[];
};

/** The profiles, sorted by id. */
export const AGENT_PROFILES: readonly AgentProfile[] = [
  {
    profile_id: 'aws-q-developer',
    display_name: 'AWS Q Developer',
    vendor: 'AWS',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'shell', 'cloud_assistance', 'iam_review'],
    default_scopes: ['repository', 'filesystem', 'shell', 'aws'],
    recommended_tools: ['cavra', 'aws', 'terraform'],
    risk_tier: 'high',
    enterprise_controls: ['cloud_iam_policy', 'terraform_policy', 'approval_router', 'evidence_attestation'],
  },
  {
    profile_id: 'claude-code',
    display_name: 'Claude Code',
    vendor: 'Anthropic',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'shell', 'mcp_tool_call', 'pull_request_attestation'],
    default_scopes: ['repository', 'filesystem', 'shell', 'mcp'],
    recommended_tools: ['cavra-mcp-server', 'git', 'pytest', 'ruff'],
    risk_tier: 'high',
    enterprise_controls: ['mcp_trust_registry', 'command_policy', 'evidence_attestation', 'approval_router'],
  },
  {
    profile_id: 'codex',
    display_name: 'OpenAI Codex',
    vendor: 'OpenAI',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'shell', 'git_operation', 'pull_request_attestation'],
    default_scopes: ['repository', 'filesystem', 'shell', 'git'],
    recommended_tools: ['cavra', 'git', 'pytest', 'node'],
    risk_tier: 'high',
    enterprise_controls: [
      'agent_registry',
      'protected_branch_policy',
      'evidence_attestation',
      'approval_router',
    ],
  },
  {
    profile_id: 'cursor',
    display_name: 'Cursor Agent',
    vendor: 'Cursor',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'shell', 'repository_search'],
    default_scopes: ['repository', 'filesystem', 'shell'],
    recommended_tools: ['cavra', 'git', 'test_runner'],
    risk_tier: 'medium',
    enterprise_controls: ['filesystem_policy', 'command_policy', 'evidence_attestation'],
  },
  {
    profile_id: 'gemini-cli',
    display_name: 'Gemini CLI',
    vendor: 'Google',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'shell', 'cloud_assistance'],
    default_scopes: ['repository', 'filesystem', 'shell', 'cloud'],
    recommended_tools: ['cavra', 'gcloud', 'pytest'],
    risk_tier: 'high',
    enterprise_controls: ['cloud_iam_policy', 'command_policy', 'approval_router', 'evidence_attestation'],
  },
  {
    profile_id: 'github-copilot',
    display_name: 'GitHub Copilot Agent',
    vendor: 'GitHub',
    type: 'coding-agent',
    default_capabilities: ['code_edit', 'test', 'pull_request', 'workflow_assistance'],
    default_scopes: ['repository', 'git', 'ci'],
    recommended_tools: ['github-actions', 'cavra-pr-attestation'],
    risk_tier: 'medium',
    enterprise_controls: ['protected_branch_policy', 'workflow_change_approval', 'pr_attestation'],
  },
];

/** An MCP capability classification (`GET /mcp/tool-classifications`). */
export type ToolClassification = {
  capability: string;
  category: string;
  risk_tier: 'low' | 'medium' | 'high' | 'critical';
  default_decision: string;
  approval_required_for: string[];
  example_tools: string[];
  control_objective: string;
};

/** The classifications, sorted by capability. The objectives are CAVRA's own wording. */
export const TOOL_CLASSIFICATIONS: readonly ToolClassification[] = [
  {
    capability: 'cloud',
    category: 'infrastructure',
    risk_tier: 'critical',
    default_decision: 'require_approval',
    approval_required_for: ['iam_change', 'production_deploy', 'resource_delete'],
    example_tools: ['apply_terraform', 'update_iam_policy', 'delete_resource'],
    control_objective: 'Cloud control-plane changes (IAM, deploys, deletions) wait for a human decision.',
  },
  {
    capability: 'database',
    category: 'data_access',
    risk_tier: 'high',
    default_decision: 'require_approval',
    approval_required_for: ['write_query', 'schema_change', 'export_table'],
    example_tools: ['query', 'execute_sql', 'inspect_schema'],
    control_objective: 'Writes, schema changes and bulk exports of data stores are approved first.',
  },
  {
    capability: 'filesystem',
    category: 'local_resource',
    risk_tier: 'high',
    default_decision: 'block_unknown',
    approval_required_for: ['write_file', 'delete_file', 'read_secret'],
    example_tools: ['read_file', 'write_file', 'list_directory'],
    control_objective: 'Only registered servers touch local files; secrets and deletions need approval.',
  },
  {
    capability: 'network',
    category: 'egress',
    risk_tier: 'medium',
    default_decision: 'require_approval',
    approval_required_for: ['external_post', 'download_binary', 'webhook_call'],
    example_tools: ['fetch_url', 'http_request'],
    control_objective: 'Outbound posts, downloads and webhooks are reviewed to stop exfiltration.',
  },
  {
    capability: 'repository',
    category: 'source_control',
    risk_tier: 'medium',
    default_decision: 'approved_server_scope',
    approval_required_for: ['delete_repository', 'change_branch_protection', 'workflow_write'],
    example_tools: ['create_pull_request', 'create_issue', 'list_branches'],
    control_objective:
      'Source control stays within the approved tools; protections and workflows need review.',
  },
  {
    capability: 'saas',
    category: 'enterprise_workflow',
    risk_tier: 'medium',
    default_decision: 'approved_server_scope',
    approval_required_for: ['ticket_transition', 'user_permission_change', 'bulk_export'],
    example_tools: ['create_issue', 'update_ticket', 'post_message'],
    control_objective:
      'Business tools act within the approved scope; permission changes and exports are reviewed.',
  },
  {
    capability: 'shell',
    category: 'execution',
    risk_tier: 'critical',
    default_decision: 'require_approval',
    approval_required_for: ['execute_command', 'install_package', 'spawn_process'],
    example_tools: ['run_command', 'shell_exec'],
    control_objective: 'Command execution through MCP is treated like a shell: each run is approved.',
  },
];
