import { afterEach, expect, test } from 'vitest';
import type { Store } from '../store';
import { openTestApp, postJson } from '../../test/api-support';
import type { ErrorBody } from './errors';

const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
});

async function setup(...args: Parameters<typeof openTestApp>) {
  const opened = await openTestApp(...args);
  stores.push(opened.store);
  return opened;
}

type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

test('GET /api/openapi.json is an OpenAPI 3.1 document generated from the validating schemas', async () => {
  const { app } = await setup();
  const response = await app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  const doc = (await response.json()) as OpenApi;
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.info).toMatchObject({ title: 'CAVRA API', version: '0.1.0-test' });
  expect(doc.servers).toEqual([{ url: '/api' }]);
  expect(Object.keys(doc.paths).sort()).toEqual([
    '/agents',
    '/agents/profiles',
    '/agents/{agent_id}',
    '/agents/{agent_id}/tokens',
    '/agents/{agent_id}/tokens/{token_id}/revoke',
    ...Object.keys(doc.paths)
      .filter((path) => path.startsWith('/approvals'))
      .sort(),
    '/console/config',
    '/console/security-boundary',
    '/console/session',
    '/decisions',
    '/decisions/{decision_id}',
    '/evaluate',
    '/evidence',
    '/evidence/checkpoints',
    '/evidence/proof/{decision_id}',
    '/evidence/sessions/{session_id}/attestation',
    '/evidence/sessions/{session_id}/attestation/verify',
    '/evidence/sessions/{session_id}/bundle',
    '/evidence/sessions/{session_id}/export',
    '/evidence/trust-roots',
    '/evidence/verify',
    '/health',
    '/mcp/servers',
    '/mcp/servers/{server_id}',
    '/mcp/tool-classifications',
    '/mcp/trust',
    '/policies',
    '/policy-pack-catalog',
    '/policy-packs',
    '/policy-packs/{pack_id}',
    '/sessions',
    '/sessions/{session_id}',
    '/version',
  ]);
  expect(Object.keys(doc.paths['/decisions'] ?? {}).sort()).toEqual(['get', 'post']);
  expect(Object.keys(doc.paths['/decisions']?.['post']?.responses ?? {})).toEqual(
    expect.arrayContaining(['201', '400', '409', '413', '415']),
  );
  expect(doc.components.schemas).toHaveProperty('DecisionRequest');
  expect(doc.components.schemas).toHaveProperty('Decision');
  expect(doc.components.schemas).toHaveProperty('Error');
  // Every pattern is a plain ECMA-262 regular expression, as JSON Schema validators expect.
  const patterns = [...JSON.stringify(doc).matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map(
    (match) => JSON.parse(match[1] ?? '""') as string,
  );
  expect(patterns.length).toBeGreaterThan(0);
  for (const pattern of patterns) {
    expect(() => new RegExp(pattern), pattern).not.toThrow();
    expect(pattern, 'no JavaScript flags leaked into the pattern').not.toMatch(/\$\/[a-z]+$/);
  }
  const decisions = doc.paths['/decisions']?.['get'] as unknown as {
    parameters: { name: string; schema: unknown }[];
  };
  expect(decisions.parameters.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer' });
});

test('unknown paths are 404s and wrong methods 405s, in the error envelope', async () => {
  const { app } = await setup();
  const missing = await app.request('/api/no-such-resource');
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as ErrorBody).error.code).toBe('not_found');
  const wrong = await app.request('/api/decisions/dec_1', { method: 'DELETE' });
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('GET');
  expect(((await wrong.json()) as ErrorBody).error.code).toBe('method_not_allowed');
  expect((await app.request('/api/health', { method: 'POST' })).status).toBe(405);
});

test('health and version keep upstream shapes', async () => {
  const { app } = await setup();
  expect(await (await app.request('/api/health')).json()).toEqual({
    status: 'ok',
    product: 'CAVRA',
    checks: { database: 'ok' },
  });
  expect(await (await app.request('/api/version')).json()).toEqual({
    version: '0.1.0-test',
    name: 'CAVRA Runtime Server',
  });
});

test('a failing database: health is 503, other routes a 500 that hides internals and is reported', async () => {
  const { app, store, errors } = await setup();
  await store.close();
  const health = await app.request('/api/health');
  expect(health.status).toBe(503);
  expect(((await health.json()) as ErrorBody).error.code).toBe('database_unavailable');
  const list = await app.request('/api/decisions');
  expect(list.status).toBe(500);
  const body = (await list.json()) as ErrorBody;
  expect(body.error.code).toBe('internal_error');
  expect(JSON.stringify(body)).not.toMatch(/sql|kysely|stack/i);
  expect(errors.length).toBeGreaterThanOrEqual(2);
});

test('CORS headers only for configured origins', async () => {
  const { app } = await setup({ config: { version: 'x', corsOrigins: ['https://console.example'] } });
  const allowed = await app.request('/api/health', { headers: { origin: 'https://console.example' } });
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example');
  const other = await app.request('/api/health', { headers: { origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await app.request('/api/decisions', {
    method: 'OPTIONS',
    headers: { origin: 'https://console.example', 'access-control-request-method': 'POST' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
  const { app: closed } = await setup();
  const none = await closed.request('/api/health', { headers: { origin: 'https://console.example' } });
  expect(none.headers.get('access-control-allow-origin')).toBeNull();
});

test('API responses are not cached and not sniffed', async () => {
  const { app } = await setup();
  const response = await app.request('/api/decisions', postJson({ action_type: 'read_file', target: 'a' }));
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
});
