/** The trust registry: agents, MCP servers, agent profiles, MCP capability classifications. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Agent, AgentProfile, McpServer, ToolClassification } from '../../../lib/api-types';

type List<T> = { items: T[]; total: number };

export const registryKeys = {
  agents: () => ['registry', 'agents'] as const,
  servers: () => ['registry', 'mcp-servers'] as const,
  profiles: () => ['registry', 'profiles'] as const,
  classifications: () => ['registry', 'classifications'] as const,
};

export const agentsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: registryKeys.agents(),
    queryFn: ({ signal }) => api.get<List<Agent>>('/agents', {}, signal),
  });

export const serversQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: registryKeys.servers(),
    queryFn: ({ signal }) => api.get<List<McpServer>>('/mcp/servers', {}, signal),
  });

export const profilesQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: registryKeys.profiles(),
    queryFn: ({ signal }) => api.get<List<AgentProfile>>('/agents/profiles', {}, signal),
    staleTime: Infinity,
  });

export const classificationsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: registryKeys.classifications(),
    queryFn: ({ signal }) => api.get<List<ToolClassification>>('/mcp/tool-classifications', {}, signal),
    staleTime: Infinity,
  });
