import { afterEach, expect, test } from 'vitest';
import type { Store } from '../../store';
import { openTestApp } from '../../../test/api-support';
import type { AuthAdapter, Principal } from '../auth';
import type { ErrorBody } from '../errors';

const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup(...args: Parameters<typeof openTestApp>) {
  const opened = await openTestApp(...args);
  stores.push(opened.store);
  return opened;
}

test('demo mode says so: /console/session, the boundary, and a header on every response', async () => {
  const { app } = await setup();
  const session = await app.request('/api/console/session');
  expect(session.headers.get('x-cavra-auth-mode')).toBe('demo');
  expect(await session.json()).toMatchObject({
    schema_version: 'cavra.console.session.v1',
    mode: 'local_or_demo',
    auth_mode: 'demo',
    authenticated: false,
    auth_required: false,
    actor: {
      actor: 'demo-operator',
      subject: null,
      groups: expect.arrayContaining(['Platform Security']) as string[],
    },
    permissions: { read_activity: true, decide_approvals: true, create_break_glass: true },
    operator_notes: [expect.stringContaining('Demo mode') as string, expect.any(String) as string],
  });
  const boundary = await (await app.request('/api/console/security-boundary')).json();
  expect(boundary).toMatchObject({
    schema_version: 'cavra.console.security_boundary.v1',
    mode: 'local_or_demo',
    oidc: { configured: false, config_env: 'CAVRA_APPROVAL_OIDC_CONFIG', supported_algorithms: [] },
    rbac: { configured: false, config_env: 'CAVRA_APPROVAL_RBAC_FILE' },
    cors: { configured: false, origins: [] },
  });
  for (const path of ['/api/health', '/api/nowhere', '/api/decisions?limit=x']) {
    expect((await app.request(path)).headers.get('x-cavra-auth-mode'), path).toBe('demo');
  }
});

test('a bearer token in demo mode is refused with 400, not silently ignored', async () => {
  const { app } = await setup();
  const response = await app.request('/api/console/session', {
    headers: { authorization: 'Bearer abc.def.ghi' },
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as ErrorBody).error.code).toBe('oidc_not_configured');
});

test('/console/config reports the deployment and only the endpoints that exist', async () => {
  const { app, deps } = await setup({
    config: {
      version: '9.9.9',
      corsOrigins: ['https://console.example'],
      publicApiBaseUrl: 'https://api.example/api',
    },
  });
  const config = (await (await app.request('/api/console/config')).json()) as {
    endpoints: Record<string, string>;
  };
  expect(config).toMatchObject({
    product: 'CAVRA',
    version: '9.9.9',
    api_base_url: 'https://api.example/api',
    auth_mode: 'demo',
    demo_mode: true,
    activity_mode: 'sqlite',
    approval_oidc: 'disabled',
    cors_origins: ['https://console.example'],
    evidence: { origin: deps.evidence.origin, key_id: deps.evidence.key.keyId },
  });
  const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
  for (const path of Object.values(config.endpoints)) {
    expect(Object.keys(doc.paths).concat('/openapi.json'), path).toContain(path);
  }
});

test('the auth port: an OIDC adapter plugs in without route changes', async () => {
  const verified: Principal = {
    actor: {
      actor: 'ana@example.com',
      subject: '00u1',
      issuer: 'https://idp.example',
      groups: ['IAM'],
      repository: null,
    },
    repositoryPermissions: [],
  };
  const oidc: AuthAdapter = {
    mode: 'oidc',
    isOidcConfigured: true,
    isRbacConfigured: true,
    tokenValidation: { supportedAlgorithms: ['RS256'], validatedClaims: ['iss', 'aud', 'exp'] },
    authenticate: (request) => {
      const header = request.headers.get('authorization');
      if (header === null) return Promise.resolve({ ok: true, principal: null });
      if (header === 'Bearer good') return Promise.resolve({ ok: true, principal: verified });
      return Promise.resolve({
        ok: false,
        status: 401,
        code: 'invalid_token',
        message: 'the token is expired',
      });
    },
  };
  const { app } = await setup({ auth: oidc });
  const anonymous = await (await app.request('/api/console/session')).json();
  expect(anonymous).toMatchObject({
    mode: 'auth_required',
    authenticated: false,
    auth_required: true,
    actor: null,
    permissions: { read_activity: true, decide_approvals: false, create_break_glass: false },
  });
  const signedIn = await app.request('/api/console/session', { headers: { authorization: 'Bearer good' } });
  expect(signedIn.headers.get('x-cavra-auth-mode')).toBe('oidc');
  expect(await signedIn.json()).toMatchObject({
    mode: 'authenticated',
    authenticated: true,
    actor: { actor: 'ana@example.com' },
    permissions: { decide_approvals: true, create_break_glass: false },
  });
  const bad = await app.request('/api/console/session', { headers: { authorization: 'Bearer bad' } });
  expect(bad.status).toBe(401);
  const boundary = await (await app.request('/api/console/security-boundary')).json();
  expect(boundary).toMatchObject({ mode: 'oidc_rbac_ready', oidc: { supported_algorithms: ['RS256'] } });
});

test('/console/session computes what the console may enable: the demo operator may do everything', async () => {
  const { app } = await setup();
  const session = (await (await app.request('/api/console/session')).json()) as {
    permissions: Record<string, unknown>;
    agent: unknown;
  };
  expect(session.permissions).toMatchObject({
    registry_write: true,
    evidence_export: true,
    create_break_glass: true,
    approve_groups: expect.arrayContaining(['*', 'Change Advisory Board', 'IAM']) as string[],
  });
  expect(session.agent).toBeNull();
});

test('/console/session for an agent token: authenticated as the agent, with no human permissions', async () => {
  const { app } = await setup();
  await app.request('/api/agents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agent_id: 'ci-bot' }),
  });
  const created = await app.request('/api/agents/ci-bot/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { token, token_id: tokenId } = (await created.json()) as { token: string; token_id: string };
  const session = await app.request('/api/console/session', {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(await session.json()).toMatchObject({
    mode: 'authenticated',
    authenticated: true,
    actor: { actor: 'ci-bot', groups: [] },
    agent: { agent_id: 'ci-bot', token_id: tokenId, via: 'agent_token' },
    permissions: {
      decide_approvals: false,
      create_break_glass: false,
      registry_write: false,
      evidence_export: false,
      approve_groups: [],
    },
  });
});
