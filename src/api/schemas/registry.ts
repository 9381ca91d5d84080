/**
 * The trust registry's schemas (upstream §3, §5.5): agents (`cavra.agent.v1`), MCP servers
 * (`cavra.mcp_server.v1`), profiles, capability classifications, trust evaluations, and agent API tokens.
 * List fields accept a string (a one-item list) or a list, as upstream; unknown fields are rejected.
 */
import { z } from '@hono/zod-openapi';
import { Identifier } from './decision';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Agent statuses. */
export const AGENT_STATUSES = ['active', 'disabled', 'retired'] as const;
/** MCP trust tiers. */
export const TRUST_TIERS = ['trusted', 'approved', 'experimental', 'blocked', 'unknown'] as const;
/** MCP approval states. */
export const APPROVAL_STATES = ['approved', 'pending', 'denied', 'not_required'] as const;

/** A string list, or one string (a one-item list); null items are dropped. */
const StringList = z
  .union([z.string(), z.array(z.string().nullable())], { error: 'must be a string or a list of strings' })
  .transform((value) =>
    typeof value === 'string' ? [value] : value.filter((item): item is string => item !== null),
  )
  .openapi({ type: 'array', items: { type: 'string' } });

const Timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 3339 timestamp')
  .openapi({ example: '2026-05-21T15:00:00.000000+00:00' });

const agentFields = {
  type: z.string().min(1).optional().openapi({ description: 'Default `coding-agent` (or the profile’s)' }),
  vendor: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  profile: z.string().optional().openapi({
    description: 'A profile id (`GET /agents/profiles`): fills type, vendor, capabilities, scopes, risk tier',
    example: 'claude-code',
  }),
  capabilities: StringList.optional(),
  scopes: StringList.optional(),
  allowed_repositories: StringList.optional().openapi({
    description: 'Repositories the agent may act in (`*` globs); empty: any. Others need approval.',
    example: ['acme/payments-api'],
  }),
  allowed_tools: StringList.optional().openapi({
    description:
      'Action types, `server:tool` for MCP, or command programs (`*` globs); empty: any. Others need approval.',
  }),
  risk_tier: z.enum(SEVERITIES).optional(),
  owner: z.string().min(1).optional(),
  status: z
    .enum(AGENT_STATUSES)
    .optional()
    .openapi({ description: 'Disabled and retired agents are blocked' }),
  last_seen: Timestamp.optional(),
  evidence_refs: StringList.optional(),
};

/** `POST /agents`: register or replace an agent. */
export const AgentCreateSchema = z
  .strictObject({
    schema_version: z.literal('cavra.agent.v1').optional(),
    agent_id: Identifier.optional(),
    id: Identifier.optional().openapi({ description: 'Alias of agent_id' }),
    created_at: Timestamp.optional(),
    updated_at: Timestamp.optional().openapi({ description: 'Ignored: set by the server' }),
    ...agentFields,
  })
  .refine((body) => body.agent_id !== undefined || body.id !== undefined, {
    message: 'is required',
    path: ['agent_id'],
  })
  .openapi('AgentInput');

/** `PATCH /agents/{agent_id}`: change some fields. */
export const AgentUpdateSchema = z.strictObject(agentFields).openapi('AgentUpdate');

/** A registered agent. */
export const AgentSchema = z
  .object({
    schema_version: z.literal('cavra.agent.v1'),
    agent_id: z.string(),
    type: z.string(),
    vendor: z.string(),
    version: z.string(),
    profile: z.string().nullable(),
    capabilities: z.array(z.string()),
    scopes: z.array(z.string()),
    allowed_repositories: z.array(z.string()),
    allowed_tools: z.array(z.string()),
    risk_tier: z.enum(SEVERITIES),
    owner: z.string(),
    status: z.enum(AGENT_STATUSES),
    last_seen: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    evidence_refs: z.array(z.string()),
  })
  .openapi('Agent');

/** `GET /agents` filters. */
export const AgentListQuery = z.object({
  status: z.enum(AGENT_STATUSES).optional(),
  owner: z.string().optional(),
});

export const AgentProfileSchema = z
  .object({
    profile_id: z.string(),
    display_name: z.string(),
    vendor: z.string(),
    type: z.string(),
    default_capabilities: z.array(z.string()),
    default_scopes: z.array(z.string()),
    recommended_tools: z.array(z.string()),
    risk_tier: z.enum(SEVERITIES),
    enterprise_controls: z.array(z.string()),
  })
  .openapi('AgentProfile');

const serverFields = {
  name: z.string().min(1).optional(),
  trust_tier: z.enum(TRUST_TIERS).optional().openapi({ description: 'Default `unknown`' }),
  approval_state: z.enum(APPROVAL_STATES).optional().openapi({
    description: 'Default `pending` for unknown and experimental tiers, else `approved`',
  }),
  capabilities: StringList.optional(),
  allowed_tools: StringList.optional(),
  owner: z.string().min(1).optional(),
  last_seen: Timestamp.optional(),
  evidence_refs: StringList.optional(),
};

/** `POST /mcp/servers`: register or replace a server. */
export const McpServerCreateSchema = z
  .strictObject({
    schema_version: z.literal('cavra.mcp_server.v1').optional(),
    server_id: Identifier.optional(),
    id: Identifier.optional().openapi({ description: 'Alias of server_id' }),
    created_at: Timestamp.optional(),
    updated_at: Timestamp.optional().openapi({ description: 'Ignored: set by the server' }),
    ...serverFields,
  })
  .refine((body) => body.server_id !== undefined || body.id !== undefined || body.name !== undefined, {
    message: 'is required (or id, or name)',
    path: ['server_id'],
  })
  .openapi('McpServerInput');

/** `PATCH /mcp/servers/{server_id}`. */
export const McpServerUpdateSchema = z.strictObject(serverFields).openapi('McpServerUpdate');

/** A registered MCP server. */
export const McpServerSchema = z
  .object({
    schema_version: z.literal('cavra.mcp_server.v1'),
    server_id: z.string(),
    name: z.string(),
    trust_tier: z.enum(TRUST_TIERS),
    approval_state: z.enum(APPROVAL_STATES),
    capabilities: z.array(z.string()),
    allowed_tools: z.array(z.string()),
    owner: z.string().nullable(),
    last_seen: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    evidence_refs: z.array(z.string()),
  })
  .openapi('McpServer');

/** `GET /mcp/servers` filters. */
export const McpServerListQuery = z.object({
  trust_tier: z.enum(TRUST_TIERS).optional(),
  approval_state: z.enum(APPROVAL_STATES).optional(),
  capability: z.string().optional(),
});

export const ToolClassificationSchema = z
  .object({
    capability: z.string(),
    category: z.string(),
    risk_tier: z.enum(SEVERITIES),
    default_decision: z.string(),
    approval_required_for: z.array(z.string()),
    example_tools: z.array(z.string()),
    control_objective: z.string(),
  })
  .openapi('McpToolClassification');

/** `GET /mcp/trust` query. */
export const TrustQuery = z.object({
  server: z.string().min(1, 'is required'),
  tool: z.string().min(1).optional().openapi({ description: 'Default `unknown`' }),
  capability: z.string().optional(),
});

/** A trust evaluation (upstream §3.5). */
export const TrustResultSchema = z
  .object({
    decision: z.enum(['allow', 'block', 'require_approval']),
    reason: z.string(),
    rule_id: z.string(),
    severity: z.enum(SEVERITIES),
    approver_group: z.string().nullable(),
    server: z.string(),
    tool: z.string(),
    capability: z.string().nullable(),
  })
  .openapi('McpTrustResult');

/** `POST /agents/{agent_id}/tokens`. */
export const TokenCreateSchema = z
  .strictObject({
    label: z.string().min(1).max(200).optional().openapi({ example: 'ci-runner payments' }),
    expires_at: Timestamp.optional().openapi({ description: 'Default: never (revoke instead)' }),
  })
  .openapi('AgentTokenInput');

const tokenFields = {
  token_id: z.string(),
  agent_id: z.string(),
  label: z.string().nullable(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  state: z.enum(['active', 'revoked', 'expired']),
};

/** A token as listed (no secret, no hash). */
export const AgentTokenSchema = z.object(tokenFields).openapi('AgentToken');

/** A created token: the secret, shown this once. */
export const CreatedTokenSchema = z
  .object({
    ...tokenFields,
    token: z.string().openapi({
      description: 'The secret, shown only in this response. Send it as `Authorization: Bearer cavra_at_…`.',
      example: 'cavra_at_…',
    }),
  })
  .openapi('CreatedAgentToken');
