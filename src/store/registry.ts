import type { RegistryAgentTokensTable, RegistryAgentsTable, RegistryMcpServersTable } from './schema';
import type { ItemList, StoreContext } from './support';
import { fromJson, optionalString, toJson } from './support';

/** Agent statuses (`cavra.agent.v1`). */
export type AgentStatus = 'active' | 'disabled' | 'retired';

/** A registered agent: indexed fields typed, the rest kept as given. */
export type AgentRecord = {
  agent_id: string;
  status: AgentStatus;
  owner?: string | null;
  vendor?: string | null;
  risk_tier?: string | null;
  last_seen?: string | null;
  updated_at: string;
  [field: string]: unknown;
};

/** MCP server trust tiers and approval states (`cavra.mcp_server.v1`). */
export type McpTrustTier = 'trusted' | 'approved' | 'experimental' | 'blocked' | 'unknown';
/** Whether an MCP server is approved for use. */
export type McpApprovalState = 'approved' | 'pending' | 'denied' | 'not_required';

/** A registered MCP server: indexed fields typed, the rest kept as given. */
export type McpServerRecord = {
  server_id: string;
  name: string;
  trust_tier: McpTrustTier;
  approval_state: McpApprovalState;
  owner?: string | null;
  capabilities: string[];
  allowed_tools: string[];
  last_seen?: string | null;
  updated_at: string;
  [field: string]: unknown;
};

/** An agent API token. INVARIANT: `token_hash` is the lowercase hex SHA-256 of the token; the token is never stored. */
export type AgentToken = {
  token_id: string;
  agent_id: string;
  token_hash: string;
  label: string | null;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** Registered agents, sorted by id. */
export interface AgentRepository {
  /** Inserts or replaces an agent. */
  upsert(agent: AgentRecord): Promise<void>;
  /** The agent with this id, or null. */
  get(agentId: string): Promise<AgentRecord | null>;
  /** Agents matching the filters, sorted by agent_id. */
  list(filter?: { status?: AgentStatus; owner?: string }): Promise<ItemList<AgentRecord>>;
}

/** Registered MCP servers, sorted by id. */
export interface McpServerRepository {
  /** Inserts or replaces a server. */
  upsert(server: McpServerRecord): Promise<void>;
  /** The server whose id **or** name is this (upstream §3.3), or null. */
  get(serverIdOrName: string): Promise<McpServerRecord | null>;
  /** Servers matching the filters (`capability`: membership), sorted by server_id. */
  list(filter?: {
    trust_tier?: McpTrustTier;
    approval_state?: McpApprovalState;
    capability?: string;
  }): Promise<ItemList<McpServerRecord>>;
}

/** Agent API tokens, looked up by hash. */
export interface AgentTokenRepository {
  /** Stores a token for a registered agent (fails if the agent is unknown or the hash is not a SHA-256 hex). */
  create(token: AgentToken): Promise<void>;
  /** The token with this hash (revoked and expired ones too: the caller decides), or null. */
  findByHash(tokenHash: string): Promise<AgentToken | null>;
  /** An agent's tokens, oldest first. */
  listForAgent(agentId: string): Promise<AgentToken[]>;
  /** Marks a token revoked; `false` when it is unknown or already revoked. */
  revoke(tokenId: string, revokedAt: string): Promise<boolean>;
  /** Records a use of a token. */
  markUsed(tokenId: string, usedAt: string): Promise<void>;
}

/** The agent and MCP trust registry. */
export type RegistryRepositories = {
  agents: AgentRepository;
  mcpServers: McpServerRepository;
  tokens: AgentTokenRepository;
};

/** The registry repositories over a store context. */
export function createRegistryRepositories(ctx: StoreContext): RegistryRepositories {
  return { agents: createAgents(ctx), mcpServers: createMcpServers(ctx), tokens: createTokens(ctx) };
}

function createAgents(ctx: StoreContext): AgentRepository {
  return {
    upsert: async (agent) => {
      const { agent_id: _id, ...columns } = agentRow(agent);
      await ctx.db
        .insertInto('registry_agents')
        .values(agentRow(agent))
        .onConflict((oc) => oc.column('agent_id').doUpdateSet(columns))
        .execute();
    },
    get: async (agentId) => {
      const row = await ctx.db
        .selectFrom('registry_agents')
        .select('payload')
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      return row ? fromJson<AgentRecord>(row.payload) : null;
    },
    list: async (filter = {}) => {
      let query = ctx.db.selectFrom('registry_agents').select('payload');
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
      const rows = await query.orderBy('agent_id').execute();
      return { items: rows.map((row) => fromJson<AgentRecord>(row.payload)), total: rows.length };
    },
  };
}

function createMcpServers(ctx: StoreContext): McpServerRepository {
  return {
    upsert: async (server) => {
      const { server_id: _id, ...columns } = serverRow(server);
      await ctx.db
        .insertInto('registry_mcp_servers')
        .values(serverRow(server))
        .onConflict((oc) => oc.column('server_id').doUpdateSet(columns))
        .execute();
    },
    get: async (serverIdOrName) => {
      // An id match wins over a name match (another server may be named like this one's id).
      const rows = await ctx.db
        .selectFrom('registry_mcp_servers')
        .select(['server_id', 'payload'])
        .where((eb) => eb.or([eb('server_id', '=', serverIdOrName), eb('name', '=', serverIdOrName)]))
        .orderBy('server_id')
        .execute();
      const row = rows.find((r) => r.server_id === serverIdOrName) ?? rows[0];
      return row ? fromJson<McpServerRecord>(row.payload) : null;
    },
    list: async (filter = {}) => {
      let query = ctx.db.selectFrom('registry_mcp_servers').select(['capabilities', 'payload']);
      if (filter.trust_tier !== undefined) query = query.where('trust_tier', '=', filter.trust_tier);
      if (filter.approval_state !== undefined)
        query = query.where('approval_state', '=', filter.approval_state);
      const rows = await query.orderBy('server_id').execute();
      // Capability membership is filtered here, not in SQL: JSON array operators differ per dialect (as upstream).
      const { capability } = filter;
      const matching =
        capability === undefined
          ? rows
          : rows.filter((r) => fromJson<string[]>(r.capabilities).includes(capability));
      return { items: matching.map((row) => fromJson<McpServerRecord>(row.payload)), total: matching.length };
    },
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function createTokens(ctx: StoreContext): AgentTokenRepository {
  return {
    create: async (token) => {
      if (!SHA256_HEX.test(token.token_hash)) {
        throw new Error('token_hash must be the lowercase hex SHA-256 of the token, never the token itself');
      }
      await ctx.db
        .insertInto('registry_agent_tokens')
        .values({ ...token, scopes: toJson(token.scopes) })
        .execute();
    },
    findByHash: async (tokenHash) => {
      const row = await ctx.db
        .selectFrom('registry_agent_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? tokenFromRow(row) : null;
    },
    listForAgent: async (agentId) => {
      const rows = await ctx.db
        .selectFrom('registry_agent_tokens')
        .selectAll()
        .where('agent_id', '=', agentId)
        .orderBy('created_at')
        .orderBy('token_id')
        .execute();
      return rows.map(tokenFromRow);
    },
    revoke: async (tokenId, revokedAt) => {
      const result = await ctx.db
        .updateTable('registry_agent_tokens')
        .set({ revoked_at: revokedAt })
        .where('token_id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    markUsed: async (tokenId, usedAt) => {
      await ctx.db
        .updateTable('registry_agent_tokens')
        .set({ last_used_at: usedAt })
        .where('token_id', '=', tokenId)
        .execute();
    },
  };
}

function agentRow(agent: AgentRecord): RegistryAgentsTable {
  return {
    agent_id: agent.agent_id,
    status: agent.status,
    owner: optionalString(agent.owner),
    vendor: optionalString(agent.vendor),
    risk_tier: optionalString(agent.risk_tier),
    last_seen: optionalString(agent.last_seen),
    updated_at: agent.updated_at,
    payload: toJson(agent),
  };
}

function serverRow(server: McpServerRecord): RegistryMcpServersTable {
  return {
    server_id: server.server_id,
    name: server.name,
    trust_tier: server.trust_tier,
    approval_state: server.approval_state,
    owner: optionalString(server.owner),
    capabilities: toJson(server.capabilities),
    allowed_tools: toJson(server.allowed_tools),
    last_seen: optionalString(server.last_seen),
    updated_at: server.updated_at,
    payload: toJson(server),
  };
}

function tokenFromRow(row: RegistryAgentTokensTable): AgentToken {
  return { ...row, scopes: fromJson<string[]>(row.scopes) };
}
