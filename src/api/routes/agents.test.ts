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

function patch(body: unknown): RequestInit {
  return { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

test('GET /agents/profiles lists the six upstream profiles (and is not mistaken for an agent id)', async () => {
  const { app } = await setup();
  const body = (await (await app.request('/api/agents/profiles')).json()) as {
    items: { profile_id: string }[];
    total: number;
  };
  expect(body.total).toBe(6);
  expect(body.items.map((p) => p.profile_id)).toEqual([
    'aws-q-developer',
    'claude-code',
    'codex',
    'cursor',
    'gemini-cli',
    'github-copilot',
  ]);
});

test("POST /agents normalises as upstream (id alias, string lists, defaults) and fills a profile's defaults", async () => {
  const { app, store } = await setup();
  const created = await app.request(
    '/api/agents',
    postJson({
      id: 'codex-agent',
      profile: 'codex',
      allowed_repositories: 'payments/api',
      owner: 'Platform AI',
    }),
  );
  expect(created.status).toBe(201);
  const first = (await created.json()) as { created_at: string };
  expect(first).toMatchObject({
    schema_version: 'cavra.agent.v1',
    agent_id: 'codex-agent',
    vendor: 'OpenAI',
    type: 'coding-agent',
    version: 'unknown',
    profile: 'codex',
    capabilities: ['code_edit', 'test', 'shell', 'git_operation', 'pull_request_attestation'],
    allowed_repositories: ['payments/api'],
    allowed_tools: [],
    risk_tier: 'high',
    owner: 'Platform AI',
    status: 'active',
  });
  const replaced = await app.request('/api/agents', postJson({ agent_id: 'codex-agent', vendor: 'Acme' }));
  expect(replaced.status).toBe(200);
  expect(await replaced.json()).toMatchObject({
    vendor: 'Acme',
    created_at: first.created_at,
  });
  // Each registry write is an `operations` entry saying who changed what.
  const entries = await store.evidence.range(0, 10);
  expect(entries.map((e) => [e.kind, (e.payload as { change: string }).change])).toEqual([
    ['operations', 'agent_registered'],
    ['operations', 'agent_registered'],
  ]);
  expect(entries[0]?.payload).toMatchObject({ actor: 'demo-operator', subject: 'codex-agent' });
  const verification = (await (await app.request('/api/evidence/verify')).json()) as { valid: boolean };
  expect(verification.valid).toBe(true);
});

test.each([
  [{}, 'agent_id'],
  [{ agent_id: 'a', status: 'paused' }, 'status'],
  [{ agent_id: 'a', capabilities: 5 }, 'capabilities'],
  [{ agent_id: 'a', colour: 'red' }, 'colour'],
])('POST /agents %j is a 400 naming %s', async (body, field) => {
  const { app } = await setup();
  const response = await app.request('/api/agents', postJson(body));
  expect(response.status).toBe(400);
  expect(((await response.json()) as ErrorBody).error.field).toBe(field);
});

test('an unknown profile is a 400 listing the profiles', async () => {
  const { app } = await setup();
  const response = await app.request('/api/agents', postJson({ agent_id: 'a', profile: 'skynet' }));
  expect(response.status).toBe(400);
  expect(((await response.json()) as ErrorBody).error).toMatchObject({
    code: 'unknown_profile',
    field: 'profile',
  });
});

test('GET /agents filters by status and owner; GET /agents/{id} 404s with agent_not_found', async () => {
  const { app } = await setup();
  await app.request('/api/agents', postJson({ agent_id: 'b', owner: 'Team B' }));
  await app.request('/api/agents', postJson({ agent_id: 'a', owner: 'Team A', status: 'retired' }));
  const all = (await (await app.request('/api/agents')).json()) as {
    items: { agent_id: string }[];
    total: number;
  };
  expect(all.items.map((a) => a.agent_id)).toEqual(['a', 'b']);
  const retired = (await (await app.request('/api/agents?status=retired')).json()) as { total: number };
  expect(retired.total).toBe(1);
  const owned = (await (await app.request('/api/agents?owner=Team%20B')).json()) as {
    items: { agent_id: string }[];
  };
  expect(owned.items.map((a) => a.agent_id)).toEqual(['b']);
  const missing = await app.request('/api/agents/nobody');
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as ErrorBody).error.code).toBe('agent_not_found');
});

const npmTest = {
  action_type: 'execute_command',
  target: 'npm test',
  agent_id: 'ci-bot',
  repository: 'acme/api',
};

async function decide(app: Awaited<ReturnType<typeof setup>>['app'], body: object, path = '/api/decisions') {
  const response = await app.request(path, postJson(body));
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Decision;
}

test('a disabled or retired agent is blocked, in every policy mode; reactivated, it is decided by policy again', async () => {
  const { app } = await setup();
  await app.request('/api/agents', postJson({ agent_id: 'ci-bot' }));
  expect(await decide(app, npmTest)).toMatchObject({ decision: 'allow' });
  for (const status of ['disabled', 'retired']) {
    expect((await app.request('/api/agents/ci-bot', patch({ status }))).status).toBe(200);
    for (const mode of ['enforce', 'audit_only', 'break_glass']) {
      const decision = await decide(app, { ...npmTest, policy_mode: mode });
      expect(decision, `${status} ${mode}`).toMatchObject({
        decision: 'block',
        rule_id: `registry.agent.${status}`,
        severity: 'high',
      });
      expect(decision.matched_rules[0]?.rule_id).toBe(`registry.agent.${status}`);
    }
  }
  // The dry run sees the same registry.
  expect(await decide(app, npmTest, '/api/evaluate')).toMatchObject({ rule_id: 'registry.agent.retired' });
  await app.request('/api/agents/ci-bot', patch({ status: 'active' }));
  expect(await decide(app, npmTest)).toMatchObject({ decision: 'allow', rule_id: 'commands.allow' });
});

test('outside its allowed repositories an agent needs approval; inside (globs) policy decides', async () => {
  const { app } = await setup();
  await app.request(
    '/api/agents',
    postJson({ agent_id: 'ci-bot', allowed_repositories: ['acme/payments-*'] }),
  );
  expect(await decide(app, npmTest)).toMatchObject({
    decision: 'require_approval',
    rule_id: 'registry.agent.repository_scope',
    approver_group: 'AI Governance',
  });
  const { repository: _r, ...noRepository } = npmTest;
  expect(await decide(app, noRepository)).toMatchObject({ rule_id: 'registry.agent.repository_scope' });
  expect(await decide(app, { ...npmTest, repository: 'acme/payments-api' })).toMatchObject({
    decision: 'allow',
  });
  // A stricter policy outcome stands; the registry rule is recorded beside it.
  const blocked = await decide(app, { ...npmTest, target: 'rm -rf /' });
  expect(blocked.decision).toBe('block');
  expect(blocked.rule_id).not.toMatch(/^registry\./);
  expect(blocked.matched_rules.map((r) => r.rule_id)).toContain('registry.agent.repository_scope');
});

test('outside its allowed tools (action types, MCP server:tool, command programs) an agent needs approval', async () => {
  const { app } = await setup();
  await app.request(
    '/api/agents',
    postJson({ agent_id: 'ci-bot', allowed_tools: ['read_file', 'npm', 'github:*'] }),
  );
  expect(await decide(app, { ...npmTest, action_type: 'read_file', target: 'README.md' })).toMatchObject({
    decision: 'allow',
  });
  expect(await decide(app, npmTest)).toMatchObject({ decision: 'allow' });
  expect(await decide(app, { ...npmTest, target: 'npm test && pytest' })).toMatchObject({
    decision: 'require_approval',
    rule_id: 'registry.agent.tool_scope',
  });
  expect(await decide(app, { ...npmTest, action_type: 'write_file', target: 'src/a.ts' })).toMatchObject({
    rule_id: 'registry.agent.tool_scope',
  });
});

test('an unregistered agent is decided by policy alone', async () => {
  const { app } = await setup();
  expect(await decide(app, { ...npmTest, agent_id: 'someone' })).toMatchObject({ decision: 'allow' });
});

test('agent tokens: created once with the secret, listed without it, revoked once (409 the second time)', async () => {
  const { app } = await setup();
  expect((await app.request('/api/agents/ci-bot/tokens', postJson({}))).status).toBe(404);
  await app.request('/api/agents', postJson({ agent_id: 'ci-bot' }));
  const created = await app.request('/api/agents/ci-bot/tokens', postJson({ label: 'ci runner' }));
  expect(created.status).toBe(201);
  const token = (await created.json()) as { token: string; token_id: string; state: string };
  expect(token.token).toMatch(/^cavra_at_[A-Za-z0-9_-]{43}$/);
  expect(token.state).toBe('active');
  const decided = await app.request('/api/decisions', {
    ...postJson({ action_type: 'read_file', target: 'README.md' }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
  });
  expect(await decided.json()).toMatchObject({ agent_id: 'ci-bot', actor: 'ci-bot' });
  const listed = (await (await app.request('/api/agents/ci-bot/tokens')).json()) as { items: object[] };
  expect(listed.items).toEqual([
    expect.objectContaining({ token_id: token.token_id, label: 'ci runner', state: 'active' }),
  ]);
  expect(listed.items[0]).not.toHaveProperty('token');
  const revoke = `/api/agents/ci-bot/tokens/${token.token_id}/revoke`;
  expect(await (await app.request(revoke, { method: 'POST' })).json()).toMatchObject({ state: 'revoked' });
  expect((await app.request(revoke, { method: 'POST' })).status).toBe(409);
  expect((await app.request('/api/agents/ci-bot/tokens/tok_nope/revoke', { method: 'POST' })).status).toBe(
    404,
  );
  await app.request('/api/agents/ci-bot', patch({ status: 'disabled' }));
  const refused = await app.request('/api/agents/ci-bot/tokens', postJson({}));
  expect(refused.status).toBe(409);
  expect(((await refused.json()) as ErrorBody).error.code).toBe('agent_not_active');
});

test('a token for a disabled agent still authenticates, and its decisions are blocked and recorded', async () => {
  const { app } = await setup();
  await app.request('/api/agents', postJson({ agent_id: 'ci-bot' }));
  const { token } = (await (await app.request('/api/agents/ci-bot/tokens', postJson({}))).json()) as {
    token: string;
  };
  await app.request('/api/agents/ci-bot', patch({ status: 'disabled' }));
  const response = await app.request('/api/decisions', {
    ...postJson({ action_type: 'read_file', target: 'README.md' }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(201);
  expect(await response.json()).toMatchObject({
    agent_id: 'ci-bot',
    decision: 'block',
    rule_id: 'registry.agent.disabled',
  });
});
