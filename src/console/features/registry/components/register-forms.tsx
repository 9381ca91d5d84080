/**
 * Register an agent or an MCP server (`POST /api/agents`, `POST /api/mcp/servers`), shown to sessions with
 * `registry_write`. The API validates and answers with field errors, which the form shows as they are.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { Section } from '../../../components/ui/layout';
import { ErrorState } from '../../../components/ui/states';
import type { Agent, McpServer } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { profilesQuery, registryKeys } from '../api/get-registry';
import { useRegistryWrite } from './registry-edit';

const TRUST_TIERS = ['trusted', 'approved', 'experimental', 'blocked', 'unknown'] as const;

/** `a, b ,c` → `['a', 'b', 'c']`. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function RegisterAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { mayWrite } = useRegistryWrite();
  const profiles = useQuery(profilesQuery(api));
  const [agentId, setAgentId] = useState('');
  const [profile, setProfile] = useState('');
  const [owner, setOwner] = useState('');
  const [repositories, setRepositories] = useState('');
  const register = useMutation({
    mutationFn: () =>
      api.post<Agent>('/agents', {
        agent_id: agentId.trim(),
        ...(profile === '' ? {} : { profile }),
        ...(owner.trim() === '' ? {} : { owner: owner.trim() }),
        allowed_repositories: list(repositories),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.agents() }),
  });
  if (!mayWrite) return null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <Section title="Register an agent">
      <form className="grid gap-2 sm:grid-cols-2" onSubmit={submit}>
        <div>
          <label htmlFor="agent-id" className={labelClass}>
            Agent id
          </label>
          <input
            id="agent-id"
            className={fieldClass}
            value={agentId}
            onChange={(e) => {
              setAgentId(e.target.value);
            }}
            placeholder="claude-code-payments"
          />
        </div>
        <div>
          <label htmlFor="agent-profile" className={labelClass}>
            Profile
          </label>
          <select
            id="agent-profile"
            className={fieldClass}
            value={profile}
            onChange={(e) => {
              setProfile(e.target.value);
            }}
          >
            <option value="">none</option>
            {(profiles.data?.items ?? []).map((p) => (
              <option key={p.profile_id} value={p.profile_id}>
                {p.display_name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="agent-owner" className={labelClass}>
            Owner (never approves this agent&apos;s requests)
          </label>
          <input
            id="agent-owner"
            className={fieldClass}
            value={owner}
            onChange={(e) => {
              setOwner(e.target.value);
            }}
            placeholder="lee.park@acme.example"
          />
        </div>
        <div>
          <label htmlFor="agent-repositories" className={labelClass}>
            Allowed repositories (comma separated; empty: any)
          </label>
          <input
            id="agent-repositories"
            className={fieldClass}
            value={repositories}
            onChange={(e) => {
              setRepositories(e.target.value);
            }}
            placeholder="acme/payments-*"
          />
        </div>
        <div className="sm:col-span-2">
          <Button type="submit" variant="primary" disabled={agentId.trim() === '' || register.isPending}>
            {register.isPending ? 'Registering…' : 'Register agent'}
          </Button>
        </div>
      </form>
      {register.isError ? <ErrorState error={register.error} what="the registration" /> : null}
      {register.data ? (
        <p role="status" className="mt-2 text-sm">
          Registered {register.data.agent_id} ({register.data.status}).
        </p>
      ) : null}
    </Section>
  );
}

export function RegisterServer() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { mayWrite } = useRegistryWrite();
  const [serverId, setServerId] = useState('');
  const [tier, setTier] = useState<string>('unknown');
  const [tools, setTools] = useState('');
  const register = useMutation({
    mutationFn: () =>
      api.post<McpServer>('/mcp/servers', {
        server_id: serverId.trim(),
        name: serverId.trim(),
        trust_tier: tier,
        allowed_tools: list(tools),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.servers() }),
  });
  if (!mayWrite) return null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <Section title="Register an MCP server">
      <form className="grid gap-2 sm:grid-cols-3" onSubmit={submit}>
        <div>
          <label htmlFor="server-id" className={labelClass}>
            Server id
          </label>
          <input
            id="server-id"
            className={fieldClass}
            value={serverId}
            onChange={(e) => {
              setServerId(e.target.value);
            }}
            placeholder="github-enterprise"
          />
        </div>
        <div>
          <label htmlFor="server-tier" className={labelClass}>
            Trust tier
          </label>
          <select
            id="server-tier"
            className={fieldClass}
            value={tier}
            onChange={(e) => {
              setTier(e.target.value);
            }}
          >
            {TRUST_TIERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="server-tools" className={labelClass}>
            Allowed tools (comma separated)
          </label>
          <input
            id="server-tools"
            className={fieldClass}
            value={tools}
            onChange={(e) => {
              setTools(e.target.value);
            }}
            placeholder="search_issues, get_page"
          />
        </div>
        <div className="sm:col-span-3">
          <Button type="submit" variant="primary" disabled={serverId.trim() === '' || register.isPending}>
            {register.isPending ? 'Registering…' : 'Register server'}
          </Button>
        </div>
      </form>
      {register.isError ? <ErrorState error={register.error} what="the registration" /> : null}
      {register.data ? (
        <p role="status" className="mt-2 text-sm">
          Registered {register.data.server_id} ({register.data.trust_tier}, {register.data.approval_state}).
        </p>
      ) : null}
    </Section>
  );
}
