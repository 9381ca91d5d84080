/**
 * The demo registry: one agent per upstream profile (two of them disabled or retired, so the console shows
 * what enforcement looks like) and MCP servers in every trust tier, matching the servers the demo sessions
 * call. All names are fictitious.
 */
import type { z } from '@hono/zod-openapi';
import type { AgentCreateSchema, McpServerCreateSchema } from '../schemas/registry';

/** The agents, by id. */
export const DEMO_AGENTS: readonly z.infer<typeof AgentCreateSchema>[] = [
  {
    agent_id: 'aws-q-developer',
    profile: 'aws-q-developer',
    owner: 'Cloud Platform',
    status: 'disabled',
    allowed_repositories: ['acme/platform-infra'],
  },
  {
    agent_id: 'claude-code',
    profile: 'claude-code',
    owner: 'Payments Engineering',
    allowed_repositories: ['acme/payments-*'],
  },
  {
    agent_id: 'codex',
    profile: 'codex',
    owner: 'Site Reliability',
    allowed_repositories: ['acme/platform-k8s'],
  },
  {
    agent_id: 'copilot',
    profile: 'github-copilot',
    owner: 'Web Storefront',
    allowed_repositories: ['acme/web-storefront'],
  },
  {
    agent_id: 'cursor',
    profile: 'cursor',
    owner: 'Cloud Platform',
    allowed_repositories: ['acme/platform-infra'],
  },
  { agent_id: 'gemini-cli', profile: 'gemini-cli', owner: 'Data Platform', status: 'retired' },
];

/** The MCP servers: every trust tier, and the approval states that go with them. */
export const DEMO_MCP_SERVERS: readonly z.infer<typeof McpServerCreateSchema>[] = [
  {
    server_id: 'confluence-readonly',
    trust_tier: 'approved',
    capabilities: ['documentation'],
    allowed_tools: ['get_page', 'search_pages'],
    owner: 'Knowledge Management',
  },
  {
    server_id: 'github-enterprise',
    trust_tier: 'approved',
    capabilities: ['repository'],
    allowed_tools: ['create_pull_request', 'list_branches'],
    owner: 'Platform AI',
  },
  {
    server_id: 'jira-enterprise',
    trust_tier: 'trusted',
    capabilities: ['ticketing', 'saas'],
    allowed_tools: ['search_issues', 'create_issue', 'update_ticket'],
    owner: 'Platform AI',
  },
  {
    server_id: 'public-browser-mcp',
    trust_tier: 'experimental',
    capabilities: ['network'],
    owner: 'Developer Experience',
  },
  {
    server_id: 'scraper-unvetted',
    trust_tier: 'blocked',
    approval_state: 'denied',
    capabilities: ['network'],
  },
  { server_id: 'slack-community-mcp', trust_tier: 'unknown', capabilities: ['saas'] },
];
