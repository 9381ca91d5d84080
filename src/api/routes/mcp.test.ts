import { afterEach, expect, test } from 'vitest';
import type { Decision } from '../../engine';
import type { Store } from '../../store';
import { openTestApp, postJson } from '../../../test/api-support';
import type { ErrorBody } from '../errors';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup() {
  const opened = await openTestApp();
  stores.push(opened.store);
  return opened;
}

const SERVERS = [
  {
    server_id: 'github-enterprise',
    trust_tier: 'approved',
    capabilities: ['repository'],
    allowed_tools: ['create_pull_request', 'list_branches'],
  },
  { server_id: 'jira', name: 'jira-enterprise', trust_tier: 'trusted' },
  { server_id: 'browser', trust_tier: 'experimental' },
  { server_id: 'scraper', trust_tier: 'blocked' },
  { server_id: 'denied-db', trust_tier: 'approved', approval_state: 'denied' },
  { server_id: 'mystery', trust_tier: 'unknown' },
];

async function register(app: Awaited<ReturnType<typeof setup>>['app']) {
  for (const server of SERVERS)
    expect((await app.request('/api/mcp/servers', postJson(server))).status).toBe(201);
}

test('POST /mcp/servers applies upstream defaults: approval pending for unknown and experimental tiers', async () => {
  const { app } = await setup();
  await register(app);
  const list = (await (await app.request('/api/mcp/servers')).json()) as {
    items: { server_id: string; name: string; approval_state: string }[];
    total: number;
  };
  expect(list.total).toBe(6);
  expect(list.items.map((s) => [s.server_id, s.approval_state])).toEqual([
    ['browser', 'pending'],
    ['denied-db', 'denied'],
    ['github-enterprise', 'approved'],
    ['jira', 'approved'],
    ['mystery', 'pending'],
    ['scraper', 'approved'],
  ]);
  const byName = await app.request('/api/mcp/servers/jira-enterprise');
  expect(await byName.json()).toMatchObject({ schema_version: 'cavra.mcp_server.v1', server_id: 'jira' });
  const filtered = (await (await app.request('/api/mcp/servers?capability=repository')).json()) as {
    total: number;
  };
  expect(filtered.total).toBe(1);
  expect((await app.request('/api/mcp/servers/nope')).status).toBe(404);
  expect((await app.request('/api/mcp/servers', postJson({ trust_tier: 'trusted' }))).status).toBe(400);
});

test.each([
  ['unregistered', 'nowhere', 'x', undefined, 'block', 'mcp.registry.unknown'],
  ['blocked tier', 'scraper', 'scrape', undefined, 'block', 'mcp.registry.blocked'],
  ['denied state', 'denied-db', 'query', undefined, 'block', 'mcp.registry.blocked'],
  [
    'experimental tier',
    'browser',
    'fetch_url',
    undefined,
    'require_approval',
    'mcp.registry.requires_approval',
  ],
  ['unknown tier', 'mystery', 'x', undefined, 'require_approval', 'mcp.registry.requires_approval'],
  [
    'tool outside scope',
    'github-enterprise',
    'delete_repository',
    undefined,
    'require_approval',
    'mcp.registry.tool_scope',
  ],
  [
    'capability outside scope',
    'github-enterprise',
    'list_branches',
    'cloud',
    'require_approval',
    'mcp.registry.capability_scope',
  ],
  ['approved tool', 'github-enterprise', 'create_pull_request', 'repository', 'allow', 'mcp.registry.allow'],
  ['by name', 'jira-enterprise', 'anything', undefined, 'allow', 'mcp.registry.allow'],
])(
  'registry order (upstream §3.5), %s: /mcp/trust and POST /decisions agree',
  async (_name, server, tool, capability, decision, ruleId) => {
    const { app } = await setup();
    await register(app);
    const query = new URLSearchParams({ server, tool, ...(capability !== undefined && { capability }) });
    const trust = await app.request(`/api/mcp/trust?${query.toString()}`);
    expect(await trust.json()).toMatchObject({ decision, rule_id: ruleId });
    const response = await app.request(
      '/api/decisions',
      postJson({
        action_type: 'mcp_tool_call',
        server,
        tool,
        ...(capability !== undefined && { capability }),
      }),
    );
    expect(response.status).toBe(201);
    const stored = (await response.json()) as Decision;
    expect(stored).toMatchObject({ decision, rule_id: ruleId, target: `${server}:${tool}` });
    if (decision === 'require_approval') expect(stored.approver_group).toBe('AI Governance');
  },
);

test('a registry change applies to the next decision (the snapshot is invalidated on write)', async () => {
  const { app } = await setup();
  await register(app);
  const call = postJson({ action_type: 'mcp_tool_call', server: 'browser', tool: 'fetch_url' });
  expect(await (await app.request('/api/decisions', call)).json()).toMatchObject({
    decision: 'require_approval',
  });
  const patched = await app.request('/api/mcp/servers/browser', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ trust_tier: 'approved', approval_state: 'approved' }),
  });
  expect(patched.status).toBe(200);
  const again = postJson({ action_type: 'mcp_tool_call', server: 'browser', tool: 'fetch_url' });
  expect(await (await app.request('/api/decisions', again)).json()).toMatchObject({ decision: 'allow' });
});

test('without registered servers MCP calls follow the pack; /mcp/trust still blocks the unknown server', async () => {
  const { app } = await setup();
  const decided = (await (
    await app.request('/api/decisions', postJson({ action_type: 'mcp_tool_call', server: 'x', tool: 'y' }))
  ).json()) as Decision;
  expect(decided.rule_id).toMatch(/^mcp\.server\.trust\./);
  expect(await (await app.request('/api/mcp/trust?server=x')).json()).toMatchObject({
    rule_id: 'mcp.registry.unknown',
    tool: 'unknown',
  });
  expect((await app.request('/api/mcp/trust')).status).toBe(400);
});

test('GET /mcp/tool-classifications: all seven, one (trimmed, lowercased), or 404', async () => {
  const { app } = await setup();
  const all = (await (await app.request('/api/mcp/tool-classifications')).json()) as {
    items: { capability: string }[];
    total: number;
  };
  expect(all.items.map((i) => i.capability)).toEqual([
    'cloud',
    'database',
    'filesystem',
    'network',
    'repository',
    'saas',
    'shell',
  ]);
  const one = await app.request('/api/mcp/tool-classifications?capability=%20Shell%20');
  expect(await one.json()).toMatchObject({
    capability: 'shell',
    risk_tier: 'critical',
    default_decision: 'require_approval',
  });
  const missing = await app.request('/api/mcp/tool-classifications?capability=email');
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as ErrorBody).error.code).toBe('mcp_capability_not_found');
});

test('registry writes are documented as needing a bearer credential', async () => {
  const { app } = await setup();
  const doc = (await (await app.request('/api/openapi.json')).json()) as {
    components: { securitySchemes?: Record<string, { type: string; scheme: string }> };
    paths: Record<string, Record<string, { security?: unknown }>>;
  };
  expect(doc.components.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(doc.paths['/mcp/servers']?.['post']?.security).toEqual([{ bearer: [] }]);
  expect(doc.paths['/agents/{agent_id}/tokens']?.['post']?.security).toEqual([{ bearer: [] }]);
  expect(doc.paths['/mcp/servers']?.['get']?.security).toBeUndefined();
});
