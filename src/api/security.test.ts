/**
 * The security suite (issue 4 §6): forged, stale, misaddressed and tampered OIDC tokens, body-supplied
 * identities, revoked and misused agent tokens. Keys are generated here; the JWKS is served by a fetch stub.
 */
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { openTestApp, postJson } from '../../test/api-support';
import type { Store } from '../store';
import { createOidcAuth } from './auth';
import type { ErrorBody } from './errors';
import { parseOidcConfig } from './identity/oidc-config';
import { parseRbacConfig } from './identity/rbac';

const ISSUER = 'https://login.example';
const AUDIENCE = 'cavra-api';
const NOW = new Date('2026-05-21T15:40:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const JWKS_URL = 'https://login.example/jwks.json';

type Key = { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK; spki: string };
const keys: Record<'rsa' | 'ec' | 'ed' | 'other', Key> = {} as never;

beforeAll(async () => {
  const make = async (kid: string, alg: string): Promise<Key> => {
    const pair = await generateKeyPair(alg, { extractable: true });
    return {
      kid,
      alg,
      privateKey: pair.privateKey,
      jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' },
      spki: await exportSPKI(pair.publicKey),
    };
  };
  keys.rsa = await make('rsa-1', 'RS256');
  keys.ec = await make('ec-1', 'ES256');
  keys.ed = await make('ed-1', 'EdDSA');
  keys.other = await make('rsa-1', 'RS256'); // same kid, a key the IdP never published
}, 60_000); // RSA key generation is slow on a loaded machine

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** A fetch stub serving the JWKS (and counting calls); `isDown` makes it fail. */
function jwksServer(isDown = false) {
  const calls: string[] = [];
  const fetch = (input: string) => {
    calls.push(input);
    if (isDown) return Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED'));
    const body = { keys: [keys.rsa.jwk, keys.ec.jwk, keys.ed.jwk] };
    return Promise.resolve(Response.json(body));
  };
  return { fetch, calls };
}

async function oidcApp(options: { isDown?: boolean; rbac?: unknown } = {}) {
  const parsed = parseOidcConfig({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks_uri: JWKS_URL,
    group_mappings: { 'idp:secops': 'Platform Security' },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const rbac = options.rbac === undefined ? undefined : parseRbacConfig(options.rbac);
  if (rbac !== undefined && !rbac.ok) throw new Error(JSON.stringify(rbac.issues));
  const server = jwksServer(options.isDown);
  const auth = createOidcAuth(parsed.config, {
    fetch: server.fetch,
    clock: () => NOW,
    ...(rbac !== undefined && { rbac: rbac.config }),
  });
  const opened = await openTestApp({ auth, clock: () => NOW });
  stores.push(opened.store);
  return { ...opened, server };
}

type Claims = Record<string, unknown>;
const CLAIMS: Claims = {
  iss: ISSUER,
  aud: AUDIENCE,
  sub: '00u1',
  email: 'maya.chen@acme.example',
  groups: ['idp:secops', 'Repository Owners'],
  iat: NOW_S,
  exp: NOW_S + 3600,
};

async function sign(claims: Claims = CLAIMS, key: Key = keys.rsa, header: Record<string, unknown> = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function bearer(token: string, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
  };
}

async function session(app: Awaited<ReturnType<typeof oidcApp>>['app'], token: string) {
  const response = await app.request('/api/console/session', bearer(token));
  return { status: response.status, body: (await response.json()) as ErrorBody & Record<string, unknown> };
}

test('a valid RS256, ES256 or EdDSA token authenticates; groups come from the claim plus mappings', async () => {
  const { app } = await oidcApp();
  for (const key of [keys.rsa, keys.ec, keys.ed]) {
    const { status, body } = await session(app, await sign(CLAIMS, key));
    expect(status, key.alg).toBe(200);
    expect(body).toMatchObject({
      mode: 'authenticated',
      authenticated: true,
      auth_mode: 'oidc',
      actor: {
        actor: 'maya.chen@acme.example',
        subject: '00u1',
        issuer: ISSUER,
        groups: ['Platform Security', 'Repository Owners', 'idp:secops'],
      },
      permissions: { registry_write: true, create_break_glass: false, decide_approvals: true },
    });
  }
  // roles are read when groups is absent
  const { groups: _groups, ...withoutGroups } = CLAIMS;
  const roles = await session(app, await sign({ ...withoutGroups, roles: 'Change Advisory Board' }));
  expect(roles.body).toMatchObject({
    actor: { groups: ['Change Advisory Board'] },
    permissions: { create_break_glass: true, registry_write: false },
  });
});

test("alg none is rejected (401), even with the token's claims intact", async () => {
  const { app } = await oidcApp();
  const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(CLAIMS)}.`;
  const { status, body } = await session(app, unsigned);
  expect(status).toBe(401);
  expect(body.error.code).toMatch(/^token_/);
});

test('HS256 signed with the public key (algorithm confusion) is rejected (401)', async () => {
  const { app } = await oidcApp();
  for (const secret of [keys.rsa.spki, JSON.stringify(keys.rsa.jwk)]) {
    const forged = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', kid: keys.rsa.kid })
      .sign(new TextEncoder().encode(secret));
    const { status, body } = await session(app, forged);
    expect(status).toBe(401);
    expect(body.error.code).toBe('token_algorithm_not_allowed');
  }
});

test.each([
  ['expired beyond the leeway', { exp: NOW_S - 61 }, 'token_expired'],
  ['without exp', { exp: undefined }, 'token_expired'],
  ['not yet valid beyond the leeway', { nbf: NOW_S + 61 }, 'token_not_yet_valid'],
  ['from another issuer', { iss: 'https://evil.example' }, 'token_issuer_untrusted'],
  ['for another audience', { aud: 'another-api' }, 'token_audience_untrusted'],
])('a token %s is rejected (401)', async (_name, change, code) => {
  const { app } = await oidcApp();
  const claims = Object.fromEntries(
    Object.entries({ ...CLAIMS, ...change }).filter(([, value]) => value !== undefined),
  );
  const { status, body } = await session(app, await sign(claims));
  expect(status).toBe(401);
  expect(body.error.code).toBe(code);
  expect(body.detail).toBe(body.error.message);
});

test('exp and nbf within the 60 s leeway are accepted', async () => {
  const { app } = await oidcApp();
  const { status } = await session(app, await sign({ ...CLAIMS, exp: NOW_S - 30, nbf: NOW_S + 30 }));
  expect(status).toBe(200);
});

test('an unknown kid, a tampered payload and a foreign key with a known kid are rejected (401)', async () => {
  const { app } = await oidcApp();
  const unknownKid = await sign(CLAIMS, keys.rsa, { kid: 'rotated-away' });
  expect((await session(app, unknownKid)).body.error.code).toBe('token_key_not_found');

  const [header, , signature] = (await sign()).split('.');
  const escalated = b64url({ ...CLAIMS, groups: ['Change Advisory Board'] });
  const tampered = await session(app, `${header}.${escalated}.${signature}`);
  expect(tampered.status).toBe(401);
  expect(tampered.body.error.code).toBe('token_signature_invalid');

  const foreign = await session(app, await sign(CLAIMS, keys.other));
  expect(foreign.status).toBe(401);
  expect(foreign.body.error.code).toBe('token_signature_invalid');
});

test('malformed credentials: not a JWT, not the Bearer scheme (401)', async () => {
  const { app } = await oidcApp();
  expect((await session(app, 'not-a-jwt')).status).toBe(401);
  const basic = await app.request('/api/console/session', {
    headers: { authorization: 'Basic dXNlcjpwdw==' },
  });
  expect(basic.status).toBe(401);
  expect(((await basic.json()) as ErrorBody).error.code).toBe('invalid_authorization_header');
});

test('an unreachable identity provider is a 503, never an acceptance', async () => {
  const { app } = await oidcApp({ isDown: true });
  const { status, body } = await session(app, await sign());
  expect(status).toBe(503);
  expect(body.error.code).toBe('identity_provider_unavailable');
});

test('with OIDC on, identities in bodies are refused: no credential 401, a different actor 403, unsigned claims 400', async () => {
  const { app, store } = await oidcApp();
  const action = { action_type: 'read_file', target: 'README.md', session_id: 's1' };
  const anonymous = await app.request(
    '/api/decisions',
    postJson({ ...action, actor: 'maya.chen@acme.example' }),
  );
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as ErrorBody).error.code).toBe('authentication_required');

  const token = await sign();
  const impersonating = await app.request(
    '/api/decisions',
    bearer(token, postJson({ ...action, actor: 'ceo@acme.example' })),
  );
  expect(impersonating.status).toBe(403);
  expect(((await impersonating.json()) as ErrorBody).error.code).toBe('actor_mismatch');

  const claims = await app.request(
    '/api/decisions',
    postJson({ ...action, actor_claims: { email: 'ceo@acme.example', groups: ['Change Advisory Board'] } }),
  );
  expect(claims.status).toBe(400);
  const approve = await app.request(
    '/api/approvals/apr_000000000001/approve',
    postJson({ reason: 'ok', actor_claims: { email: 'ceo@acme.example', groups: ['IAM'] } }),
  );
  expect(approve.status).toBe(400);

  const own = await app.request('/api/decisions', bearer(token, postJson(action)));
  expect(own.status).toBe(201);
  expect(await own.json()).toMatchObject({ actor: 'maya.chen@acme.example' });
  expect((await store.decisions.list()).total).toBe(1);
});

test('registry writes need a verified caller in a registry group: 401 without, 403 outside, 201 inside', async () => {
  const { app } = await oidcApp({
    rbac: { approval_rbac: { group_permissions: { registry_write: ['AI Governance'] } } },
  });
  const agent = postJson({ agent_id: 'ci-bot', profile: 'codex' });
  expect((await app.request('/api/agents', agent)).status).toBe(401);
  const outsider = await sign({ ...CLAIMS, groups: ['Repository Owners'] });
  const refused = await app.request('/api/agents', bearer(outsider, agent));
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as ErrorBody).error.code).toBe('permission_denied');
  const governor = await sign({ ...CLAIMS, groups: ['AI Governance'] });
  expect((await app.request('/api/agents', bearer(governor, agent))).status).toBe(201);
});

async function issueToken(
  app: Awaited<ReturnType<typeof oidcApp>>['app'],
  adminToken: string,
  agentId: string,
) {
  await app.request('/api/agents', bearer(adminToken, postJson({ agent_id: agentId })));
  const created = await app.request(
    `/api/agents/${agentId}/tokens`,
    bearer(adminToken, postJson({ label: 'ci' })),
  );
  expect(created.status).toBe(201);
  return (await created.json()) as { token: string; token_id: string };
}

test('agent tokens: bound to their agent; another agent_id is 403, a revoked or unknown token 401', async () => {
  const { app, store } = await oidcApp();
  const admin = await sign();
  const ci = await issueToken(app, admin, 'ci-bot');
  await issueToken(app, admin, 'other-bot');
  const action = { action_type: 'execute_command', target: 'npm test', session_id: 's1' };

  const own = await app.request('/api/decisions', bearer(ci.token, postJson(action)));
  expect(own.status).toBe(201);
  expect(await own.json()).toMatchObject({ agent_id: 'ci-bot', actor: 'ci-bot' });

  const other = await app.request(
    '/api/decisions',
    bearer(ci.token, postJson({ ...action, agent_id: 'other-bot' })),
  );
  expect(other.status).toBe(403);
  expect(((await other.json()) as ErrorBody).error.code).toBe('agent_mismatch');

  // A machine token is not an administrator.
  const escalate = await app.request('/api/agents/other-bot/tokens', bearer(ci.token, postJson({})));
  expect(escalate.status).toBe(403);

  const revoked = await app.request(
    `/api/agents/ci-bot/tokens/${ci.token_id}/revoke`,
    bearer(admin, { method: 'POST' }),
  );
  expect(revoked.status).toBe(200);
  const after = await app.request('/api/decisions', bearer(ci.token, postJson(action)));
  expect(after.status).toBe(401);
  expect(((await after.json()) as ErrorBody).error.code).toBe('agent_token_revoked');

  const guessed = await app.request('/api/decisions', bearer(`cavra_at_${'A'.repeat(43)}`, postJson(action)));
  expect(guessed.status).toBe(401);
  expect(((await guessed.json()) as ErrorBody).error.code).toBe('agent_token_invalid');
  expect((await store.decisions.list()).total).toBe(1);
});

test('agent tokens are stored hashed and never listed or logged in clear', async () => {
  const { app, store } = await oidcApp();
  const admin = await sign();
  const { token } = await issueToken(app, admin, 'ci-bot');
  const listed = await app.request('/api/agents/ci-bot/tokens', bearer(admin));
  const text = await listed.text();
  expect(text).not.toContain(token);
  expect(text).not.toContain('token_hash');
  const [stored] = await store.registry.tokens.listForAgent('ci-bot');
  expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(stored?.token_hash).not.toContain(token);
  const entries = await store.evidence.range(0, 100);
  expect(JSON.stringify(entries)).not.toContain(token);
  expect(JSON.stringify(entries)).not.toContain(stored?.token_hash);
});

test('a client-credentials token with an agent_id claim binds decisions to that agent', async () => {
  const { app } = await oidcApp();
  const client = await sign({
    ...CLAIMS,
    sub: 'ci-runner',
    email: undefined,
    groups: [],
    agent_id: 'ci-bot',
  });
  const action = { action_type: 'read_file', target: 'README.md' };
  const own = await app.request('/api/decisions', bearer(client, postJson(action)));
  expect(await own.json()).toMatchObject({ agent_id: 'ci-bot', actor: 'ci-runner' });
  const other = await app.request(
    '/api/decisions',
    bearer(client, postJson({ ...action, agent_id: 'prod-bot' })),
  );
  expect(other.status).toBe(403);
});

test('keys from a discovery document; a document naming another issuer is refused (503)', async () => {
  const discovery = (issuer: string) => {
    const calls: string[] = [];
    const fetch = (input: string) => {
      calls.push(input);
      if (input.endsWith('/.well-known/openid-configuration')) {
        return Promise.resolve(Response.json({ issuer, jwks_uri: JWKS_URL }));
      }
      return Promise.resolve(Response.json({ keys: [keys.rsa.jwk] }));
    };
    return { fetch, calls };
  };
  const parsed = parseOidcConfig({ issuer: ISSUER, audience: AUDIENCE, discovery: true });
  if (!parsed.ok) throw new Error('config');
  const good = discovery(ISSUER);
  const opened = await openTestApp({
    auth: createOidcAuth(parsed.config, { fetch: good.fetch, clock: () => NOW }),
  });
  stores.push(opened.store);
  const token = await sign();
  expect((await opened.app.request('/api/console/session', bearer(token))).status).toBe(200);
  expect((await opened.app.request('/api/console/session', bearer(token))).status).toBe(200);
  expect(good.calls).toEqual([`${ISSUER}/.well-known/openid-configuration`, JWKS_URL]);

  const evil = discovery('https://evil.example');
  const spoofed = await openTestApp({
    auth: createOidcAuth(parsed.config, { fetch: evil.fetch, clock: () => NOW }),
  });
  stores.push(spoofed.store);
  const response = await spoofed.app.request('/api/console/session', bearer(token));
  expect(response.status).toBe(503);
  expect(((await response.json()) as ErrorBody).error.code).toBe('identity_provider_unavailable');
});

test('a static JWKS needs no fetch at all', async () => {
  const parsed = parseOidcConfig({
    issuer: ISSUER,
    audience: [AUDIENCE, 'other'],
    jwks: { keys: [keys.ec.jwk] },
  });
  if (!parsed.ok) throw new Error('config');
  const fetch = () => Promise.reject(new Error('no network in this test'));
  const opened = await openTestApp({ auth: createOidcAuth(parsed.config, { fetch, clock: () => NOW }) });
  stores.push(opened.store);
  expect((await opened.app.request('/api/console/session', bearer(await sign(CLAIMS, keys.ec)))).status).toBe(
    200,
  );
  expect((await opened.app.request('/api/console/session', bearer(await sign()))).status).toBe(401);
});

test('break-glass mode needs the Change Advisory Board: 403 for others and for agent tokens', async () => {
  const { app } = await oidcApp();
  const action = {
    action_type: 'execute_command',
    target: 'terraform apply -auto-approve',
    policy_mode: 'break_glass',
    break_glass_reason: 'INC-1 outage',
  };
  const engineer = await sign();
  const refused = await app.request('/api/decisions', bearer(engineer, postJson(action)));
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as ErrorBody).error.code).toBe('break_glass_not_allowed');
  const cab = await sign({ ...CLAIMS, groups: ['Change Advisory Board'] });
  const allowed = await app.request('/api/decisions', bearer(cab, postJson(action)));
  expect(allowed.status).toBe(201);
  const decided = (await allowed.json()) as { mode: string; actor: string; mode_reason: string };
  expect(decided).toMatchObject({ mode: 'break_glass', actor: 'maya.chen@acme.example' });
  expect(decided.mode_reason).toContain('maya.chen@acme.example');
  const { token } = await issueToken(app, await sign(), 'ci-bot');
  expect((await app.request('/api/decisions', bearer(token, postJson(action)))).status).toBe(403);
});

test('with OIDC on, session changes and on-demand checkpoints need a verified caller (401 anonymous)', async () => {
  const { app } = await oidcApp();
  const body = JSON.stringify({ session_id: 'sess_x', state: 'completed' });
  const json = { 'content-type': 'application/json' };
  const anonymous = await app.request('/api/sessions', { method: 'POST', headers: json, body });
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as ErrorBody).error.code).toBe('authentication_required');
  const signed = await app.request(
    '/api/sessions',
    bearer(await sign(), { method: 'POST', headers: json, body }),
  );
  expect(signed.status).toBe(200);

  const checkpointAnonymous = await app.request('/api/evidence/checkpoints', { method: 'POST' });
  expect(checkpointAnonymous.status).toBe(401);
  const checkpointSigned = await app.request(
    '/api/evidence/checkpoints',
    bearer(await sign(), { method: 'POST' }),
  );
  expect([200, 201]).toContain(checkpointSigned.status);
  const forged = await app.request(
    '/api/evidence/checkpoints',
    bearer(`${await sign()}x`, { method: 'POST' }),
  );
  expect(forged.status).toBe(401);
});
