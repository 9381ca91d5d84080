/**
 * The scripted agent scenarios (reference upstream-console-sandbox.md §2.2 and §2.3): only the requests are
 * written here. Every outcome comes from the real engine through `POST /api/decisions`, so changing the policy
 * mode, the persona or the packs changes what the player shows.
 */
import type { PolicyMode } from '../../../lib/api-types';

/** The request fields of one scripted action (the session's fields are added by the runner). */
export type ScenarioRequest = {
  action_type: string;
  target: string;
  operation?: string;
  server?: string;
  tool?: string;
  capability?: string;
  record?: Record<string, unknown>;
};

/** One action of a scenario: what the agent tries, and how a presenter says it. */
export type ScenarioAction = { id: string; label: string; request: ScenarioRequest };

/** A scenario: the agent's task and the actions it attempts, in order. */
export type Scenario = {
  id: ScenarioId;
  title: string;
  /** The task given to the fictional agent. */
  prompt: string;
  tagline: string;
  policy_pack: string;
  repository: string;
  agent_id: string;
  actions: readonly ScenarioAction[];
};

export type ScenarioId = 'before-the-agent-acts' | 'final-closeout-trial';

/** The policy modes the player offers (labels as an operator says them). */
export const SCENARIO_MODES: readonly { mode: PolicyMode; label: string }[] = [
  { mode: 'enforce', label: 'Enforce' },
  { mode: 'audit_only', label: 'Audit-only' },
  { mode: 'strict', label: 'Strict' },
  { mode: 'break_glass', label: 'Break-glass' },
];

export const BEFORE_THE_AGENT_ACTS: Scenario = {
  id: 'before-the-agent-acts',
  title: 'Before the Agent Acts',
  prompt: 'Update this payment service and deploy the infrastructure.',
  tagline: 'Before the agent acts, CAVRA decides.',
  policy_pack: 'cavra-ai-agent-baseline',
  repository: 'sandbox/payments-api',
  agent_id: 'claude-code',
  actions: [
    {
      id: 'secret-read',
      label: 'Read the secrets file',
      request: { action_type: 'read_file', target: '.env' },
    },
    {
      id: 'iam-write',
      label: 'Widen an IAM role',
      request: { action_type: 'write_file', target: 'iam/admin-role.tf' },
    },
    {
      id: 'tf-plan',
      label: 'Plan the infrastructure change',
      request: { action_type: 'execute_command', target: 'terraform plan' },
    },
    {
      id: 'tf-apply',
      label: 'Apply it without review',
      request: { action_type: 'execute_command', target: 'terraform apply -auto-approve' },
    },
    {
      id: 'unknown-mcp',
      label: 'Call an unknown filesystem MCP server',
      request: {
        action_type: 'mcp_tool_call',
        target: 'unknown-filesystem:read_file',
        server: 'unknown-filesystem',
        tool: 'read_file',
        capability: 'filesystem',
      },
    },
    {
      id: 'push-main',
      label: 'Push straight to main',
      request: { action_type: 'git_operation', target: 'origin/main', operation: 'push' },
    },
    {
      id: 'open-pr',
      label: 'Open a pull request',
      request: { action_type: 'pull_request', target: 'create PR' },
    },
  ],
};

const release = (kind: string, fields: Record<string, unknown>): ScenarioRequest => ({
  action_type: 'release_governance_record',
  target: kind,
  record: { metadata_kind: kind, ...fields },
});

export const FINAL_CLOSEOUT_TRIAL: Scenario = {
  id: 'final-closeout-trial',
  title: 'Final Closeout Trial',
  prompt: 'Close out the 2026.11 release and hand the evidence to audit.',
  tagline: 'Before release closes, CAVRA proves the evidence chain.',
  policy_pack: 'cavra-sox-change-control',
  repository: 'sandbox/platform-infra',
  agent_id: 'cursor',
  actions: [
    {
      id: 'readiness-bundle',
      label: 'Record the final readiness bundle',
      request: release('rollout-evidence-capture', { release: '2026.11', verification_status: 'passed' }),
    },
    {
      id: 'archive-manifest',
      label: 'Attach the external archive signature metadata',
      request: release('rollout-artifact-integrity', {
        integrity_status: 'verified',
        signer: 'external-kms',
      }),
    },
    {
      id: 'closeout-summary',
      label: 'Close the release summary',
      request: release('rollout-evidence-verification', {
        closeout_state: 'closed',
        verification_status: 'passed',
      }),
    },
    {
      id: 'retention-review',
      label: 'File the approved retention review',
      request: release('endpoint-remediation-sla-review', {
        approval_state: 'approved',
        approval_id: 'apr_retention_2026_11',
        retention_days: 2555,
        legal_hold: true,
      }),
    },
    {
      id: 'artifact-bundle',
      label: 'Publish the closeout artifact bundle',
      request: release('rollout-artifact-retrieval', { artifact_count: 7 }),
    },
    {
      id: 'retention-health',
      label: 'Report retention health (one warning)',
      request: release('endpoint-inventory-freshness-report', { alert_level: 'warning', expiring_soon: 1 }),
    },
    {
      id: 'alert-delivery',
      label: 'Deliver the redacted alert',
      request: release('release-connector-delivery', { delivery_success: true, redacted: true }),
    },
    {
      id: 'failed-delivery',
      label: 'A webhook delivery fails',
      request: release('release-connector-delivery', { delivery_success: false, provider: 'webhook' }),
    },
    {
      id: 'retry-worker',
      label: 'Retry it with a dry-run worker first',
      request: release('endpoint-remediation-sla-automation-run', {
        approval_state: 'pending',
        dry_run: true,
      }),
    },
  ],
};

export const SCENARIOS: readonly Scenario[] = [BEFORE_THE_AGENT_ACTS, FINAL_CLOSEOUT_TRIAL];

/** The scenario with this id, or the first one. */
export function scenarioById(id: string | null | undefined): Scenario {
  return SCENARIOS.find((scenario) => scenario.id === id) ?? BEFORE_THE_AGENT_ACTS;
}
