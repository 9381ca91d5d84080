/** Who may act and through what: registered agents, MCP servers and their trust, profiles, classifications. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button';
import { PageHeader } from '../../../components/ui/layout';
import { SeverityPill, Tag } from '../../../components/ui/pill';
import { EmptyState, QueryView } from '../../../components/ui/states';
import type { Agent, AgentProfile, McpServer, ToolClassification } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { formatTime } from '../../../lib/format';
import { useUrlFilters } from '../../../lib/url-state';
import { agentsQuery, classificationsQuery, profilesQuery, serversQuery } from '../api/get-registry';
import { RegisterAgent, RegisterServer } from './register-forms';
import { AgentStatus, ServerTrust, useRegistryWrite } from './registry-edit';
import { SimpleTable } from './simple-table';

const TABS = [
  { id: 'agents', label: 'Agents' },
  { id: 'mcp', label: 'MCP servers' },
  { id: 'profiles', label: 'Profiles' },
  { id: 'classifications', label: 'Classifications' },
] as const;

function Tags({ values }: { values: readonly string[] }) {
  if (values.length === 0) return <span className="text-slate-500">none</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {values.map((v) => (
        <Tag key={v}>{v}</Tag>
      ))}
    </span>
  );
}

function ListView<T>({
  query,
  what,
  empty,
  children,
}: {
  query: UseQueryResult<{ items: T[] }>;
  what: string;
  empty: string;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <QueryView query={query} what={what}>
      {(data) => (data.items.length === 0 ? <EmptyState title={empty} /> : children(data.items))}
    </QueryView>
  );
}

function Agents() {
  const query = useQuery(agentsQuery(useApi()));
  return (
    <ListView
      query={query}
      what="agents"
      empty="No agent is registered (POST /api/agents or cavra registry agent-register)"
    >
      {(items: Agent[]) => (
        <SimpleTable
          caption="Agents"
          rows={items}
          rowKey={(a) => a.agent_id}
          columns={[
            { header: 'Agent', cell: (a) => <span className="font-mono text-xs">{a.agent_id}</span> },
            { header: 'Vendor', cell: (a) => `${a.vendor} ${a.version}` },
            { header: 'Owner', cell: (a) => a.owner },
            { header: 'Status', cell: (a) => <AgentStatus agentId={a.agent_id} status={a.status} /> },
            { header: 'Risk', cell: (a) => <SeverityPill severity={a.risk_tier} /> },
            { header: 'Capabilities', cell: (a) => <Tags values={a.capabilities} /> },
            { header: 'Repositories', cell: (a) => <Tags values={a.allowed_repositories} /> },
            { header: 'Last seen', cell: (a) => formatTime(a.last_seen) },
          ]}
        />
      )}
    </ListView>
  );
}

function Servers() {
  const query = useQuery(serversQuery(useApi()));
  return (
    <ListView query={query} what="MCP servers" empty="No MCP server is registered">
      {(items: McpServer[]) => (
        <SimpleTable
          caption="MCP servers"
          rows={items}
          rowKey={(s) => s.server_id}
          columns={[
            { header: 'Server', cell: (s) => <span className="font-mono text-xs">{s.server_id}</span> },
            {
              header: 'Trust',
              cell: (s) => <ServerTrust serverId={s.server_id} field="trust_tier" value={s.trust_tier} />,
            },
            {
              header: 'Approval',
              cell: (s) => (
                <ServerTrust serverId={s.server_id} field="approval_state" value={s.approval_state} />
              ),
            },
            { header: 'Owner', cell: (s) => s.owner ?? '—' },
            { header: 'Capabilities', cell: (s) => <Tags values={s.capabilities} /> },
            {
              header: 'Tools',
              cell: (s) =>
                s.allowed_tools.length > 0 ? <Tags values={s.allowed_tools} /> : 'every tool needs approval',
            },
          ]}
        />
      )}
    </ListView>
  );
}

function Profiles() {
  const query = useQuery(profilesQuery(useApi()));
  return (
    <ListView query={query} what="agent profiles" empty="No profiles">
      {(items: AgentProfile[]) => (
        <SimpleTable
          caption="Agent profiles"
          rows={items}
          rowKey={(p) => p.profile_id}
          columns={[
            {
              header: 'Profile',
              cell: (p) => (
                <>
                  <span className="font-medium">{p.display_name}</span>{' '}
                  <span className="font-mono text-xs">({p.profile_id})</span>
                </>
              ),
            },
            { header: 'Vendor', cell: (p) => p.vendor },
            { header: 'Risk', cell: (p) => <SeverityPill severity={p.risk_tier} /> },
            { header: 'Capabilities', cell: (p) => <Tags values={p.default_capabilities} /> },
            { header: 'Controls', cell: (p) => <Tags values={p.enterprise_controls} /> },
          ]}
        />
      )}
    </ListView>
  );
}

function Classifications() {
  const query = useQuery(classificationsQuery(useApi()));
  return (
    <ListView query={query} what="capability classifications" empty="No classifications">
      {(items: ToolClassification[]) => (
        <SimpleTable
          caption="MCP capability classifications"
          rows={items}
          rowKey={(c) => c.capability}
          columns={[
            { header: 'Capability', cell: (c) => <span className="font-mono text-xs">{c.capability}</span> },
            { header: 'Category', cell: (c) => c.category },
            { header: 'Risk', cell: (c) => <SeverityPill severity={c.risk_tier} /> },
            { header: 'Default', cell: (c) => c.default_decision.replace(/_/g, ' ') },
            { header: 'Approval for', cell: (c) => <Tags values={c.approval_required_for} /> },
            { header: 'Objective', cell: (c) => <span className="text-xs">{c.control_objective}</span> },
          ]}
        />
      )}
    </ListView>
  );
}

function WriteNote() {
  const { mayWrite, why } = useRegistryWrite();
  return (
    <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
      {mayWrite
        ? 'You may register agents and MCP servers, and change an agent’s status and a server’s trust tier and approval state here.'
        : `${why}. Register agents and servers with the API or cavra registry.`}
    </p>
  );
}

export function RegistryPage() {
  const { params, setParam } = useUrlFilters([]);
  const tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'agents';
  return (
    <>
      <PageHeader
        title="Registry"
        description="Agents and MCP servers CAVRA knows, how far they are trusted, and reference profiles."
      />
      <WriteNote />
      <div role="group" aria-label="Registry views" className="mb-3 flex flex-wrap gap-1">
        {TABS.map((t) => (
          <Button
            key={t.id}
            variant={t.id === tab ? 'primary' : 'ghost'}
            aria-pressed={t.id === tab}
            onClick={() => {
              setParam('tab', t.id);
            }}
          >
            {t.label}
          </Button>
        ))}
      </div>
      {tab === 'agents' ? (
        <div className="space-y-3">
          <Agents />
          <RegisterAgent />
        </div>
      ) : tab === 'mcp' ? (
        <div className="space-y-3">
          <Servers />
          <RegisterServer />
        </div>
      ) : tab === 'profiles' ? (
        <Profiles />
      ) : (
        <Classifications />
      )}
    </>
  );
}
