/**
 * Registry records as upstream normalises them (§3.1, §3.3): defaults, `id` aliases, timestamps set by the
 * server; plus profile defaults for agents registered with `profile`.
 */
import type { z } from '@hono/zod-openapi';
import type { AgentRecord, McpServerRecord } from '../../store';
import type {
  AgentCreateSchema,
  AgentUpdateSchema,
  McpServerCreateSchema,
  McpServerUpdateSchema,
} from '../schemas/registry';
import { AGENT_PROFILES } from './registry-catalog';

type AgentCreate = z.infer<typeof AgentCreateSchema>;
type AgentUpdate = z.infer<typeof AgentUpdateSchema>;
type ServerCreate = z.infer<typeof McpServerCreateSchema>;
type ServerUpdate = z.infer<typeof McpServerUpdateSchema>;

/** A full agent record (`cavra.agent.v1`). */
export type Agent = AgentRecord & {
  schema_version: 'cavra.agent.v1';
  type: string;
  vendor: string;
  version: string;
  profile: string | null;
  capabilities: string[];
  scopes: string[];
  allowed_repositories: string[];
  allowed_tools: string[];
  risk_tier: 'low' | 'medium' | 'high' | 'critical';
  owner: string;
  last_seen: string;
  created_at: string;
  evidence_refs: string[];
};

/** A full MCP server record (`cavra.mcp_server.v1`). */
export type McpServer = McpServerRecord & {
  schema_version: 'cavra.mcp_server.v1';
  owner: string | null;
  last_seen: string;
  created_at: string;
  evidence_refs: string[];
};

/** Timestamps in the engine's (upstream's) form: microseconds and `+00:00`. */
export function registryTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000+00:00`;
}

/** An unknown profile id, or null. */
export function unknownProfile(profile: string | undefined): string | null {
  if (profile === undefined || AGENT_PROFILES.some((p) => p.profile_id === profile)) return null;
  return `unknown profile '${profile}': use one of ${AGENT_PROFILES.map((p) => p.profile_id).join(', ')}`;
}

/** A new agent from `POST /agents` (a replaced agent keeps its `created_at`). */
export function agentFromInput(input: AgentCreate, previous: AgentRecord | null, now: Date): Agent {
  const at = registryTimestamp(now);
  const profile = AGENT_PROFILES.find((p) => p.profile_id === input.profile);
  return {
    schema_version: 'cavra.agent.v1',
    agent_id: input.agent_id ?? input.id ?? '',
    type: input.type ?? profile?.type ?? 'coding-agent',
    vendor: input.vendor ?? profile?.vendor ?? 'unknown',
    version: input.version ?? 'unknown',
    profile: profile?.profile_id ?? null,
    capabilities: input.capabilities ?? [...(profile?.default_capabilities ?? [])],
    scopes: input.scopes ?? [...(profile?.default_scopes ?? [])],
    allowed_repositories: input.allowed_repositories ?? [],
    allowed_tools: input.allowed_tools ?? [],
    risk_tier: input.risk_tier ?? profile?.risk_tier ?? 'medium',
    owner: input.owner ?? 'unassigned',
    status: input.status ?? 'active',
    last_seen: input.last_seen ?? at,
    created_at: input.created_at ?? stringField(previous, 'created_at') ?? at,
    updated_at: at,
    evidence_refs: input.evidence_refs ?? [],
  };
}

/** An agent with `PATCH` fields applied. */
export function agentWithUpdate(agent: AgentRecord, update: AgentUpdate, now: Date): AgentRecord {
  const defined = Object.fromEntries(
    Object.entries(update as Record<string, unknown>).filter(([, value]) => value !== undefined),
  );
  const profile = AGENT_PROFILES.find((p) => p.profile_id === update.profile);
  return {
    ...agent,
    ...(profile !== undefined && { profile: profile.profile_id }),
    ...defined,
    updated_at: registryTimestamp(now),
  };
}

/** A new MCP server from `POST /mcp/servers`. */
export function serverFromInput(input: ServerCreate, previous: McpServerRecord | null, now: Date): McpServer {
  const at = registryTimestamp(now);
  const serverId = input.server_id ?? input.id ?? input.name ?? '';
  const tier = input.trust_tier ?? 'unknown';
  return {
    schema_version: 'cavra.mcp_server.v1',
    server_id: serverId,
    name: input.name ?? serverId,
    trust_tier: tier,
    approval_state: input.approval_state ?? defaultApprovalState(tier),
    capabilities: input.capabilities ?? [],
    allowed_tools: input.allowed_tools ?? [],
    owner: input.owner ?? null,
    last_seen: input.last_seen ?? at,
    created_at: input.created_at ?? stringField(previous, 'created_at') ?? at,
    updated_at: at,
    evidence_refs: input.evidence_refs ?? [],
  };
}

/** A server with `PATCH` fields applied (a tier change without a state keeps the stored state). */
export function serverWithUpdate(server: McpServerRecord, update: ServerUpdate, now: Date): McpServerRecord {
  const defined = Object.fromEntries(
    Object.entries(update as Record<string, unknown>).filter(([, value]) => value !== undefined),
  );
  return { ...server, ...defined, updated_at: registryTimestamp(now) };
}

function defaultApprovalState(tier: McpServerRecord['trust_tier']): McpServerRecord['approval_state'] {
  return tier === 'unknown' || tier === 'experimental' ? 'pending' : 'approved';
}

function stringField(record: Record<string, unknown> | null, name: string): string | undefined {
  const value = record?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A stored agent in the response shape (records written by older code get upstream's defaults). */
export function agentView(record: AgentRecord): Agent {
  const list = (name: string): string[] => {
    const value = record[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  };
  const text = (name: string, fallback: string): string => stringField(record, name) ?? fallback;
  const risk = record.risk_tier;
  return {
    schema_version: 'cavra.agent.v1',
    agent_id: record.agent_id,
    type: text('type', 'coding-agent'),
    vendor: text('vendor', 'unknown'),
    version: text('version', 'unknown'),
    profile: stringField(record, 'profile') ?? null,
    capabilities: list('capabilities'),
    scopes: list('scopes'),
    allowed_repositories: list('allowed_repositories'),
    allowed_tools: list('allowed_tools'),
    risk_tier: risk === 'low' || risk === 'high' || risk === 'critical' ? risk : 'medium',
    owner: text('owner', 'unassigned'),
    status: record.status,
    last_seen: text('last_seen', record.updated_at),
    created_at: text('created_at', record.updated_at),
    updated_at: record.updated_at,
    evidence_refs: list('evidence_refs'),
  };
}

/** A stored server in the response shape. */
export function serverView(record: McpServerRecord): McpServer {
  const refs = record['evidence_refs'];
  return {
    schema_version: 'cavra.mcp_server.v1',
    server_id: record.server_id,
    name: record.name,
    trust_tier: record.trust_tier,
    approval_state: record.approval_state,
    capabilities: record.capabilities,
    allowed_tools: record.allowed_tools,
    owner: typeof record.owner === 'string' ? record.owner : null,
    last_seen: stringField(record, 'last_seen') ?? record.updated_at,
    created_at: stringField(record, 'created_at') ?? record.updated_at,
    updated_at: record.updated_at,
    evidence_refs: Array.isArray(refs) ? refs.filter((item): item is string => typeof item === 'string') : [],
  };
}
