/** Edits where the session may (`registry_write`): an agent's status, an MCP server's trust and approval. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Agent, McpServer } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { registryKeys } from './get-registry';

export function useUpdateAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ agentId, status }: { agentId: string; status: string }) =>
      api.patch<Agent>(`/agents/${encodeURIComponent(agentId)}`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.agents() }),
  });
}

export function useUpdateServer() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      serverId,
      ...fields
    }: {
      serverId: string;
      trust_tier?: string;
      approval_state?: string;
    }) => api.patch<McpServer>(`/mcp/servers/${encodeURIComponent(serverId)}`, fields),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.servers() }),
  });
}
