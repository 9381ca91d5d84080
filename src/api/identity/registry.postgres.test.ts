/**
 * The registry and agent tokens across two API processes sharing one PostgreSQL database: a change made
 * through one reaches the other's decisions within the cache lifetimes (registry 1 s, tokens 2 s). Runs when
 * CAVRA_TEST_DATABASE_URL is set (.ci/run sets it); skipped otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Decision } from '../../engine';
import type { Store } from '../../store';
import { createThrowawayPostgres, TEST_DATABASE_URL } from '../../store/contract/harness';
import { openPostgresStore } from '../../store/drivers/postgres';
import { postJson, testCrypto, testDeps } from '../../../test/api-support';
import { createApp, type CavraApp } from '../app';

const title = `registry across processes on PostgreSQL${TEST_DATABASE_URL === undefined ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set)' : ''}`;

describe.skipIf(TEST_DATABASE_URL === undefined)(title, () => {
  let database: { url: string; drop(): Promise<void> };
  const stores: Store[] = [];
  let one: CavraApp;
  let two: CavraApp;

  beforeAll(async () => {
    database = await createThrowawayPostgres();
    const apps: CavraApp[] = [];
    for (let i = 0; i < 2; i++) {
      const store = await openPostgresStore({ url: database.url, crypto: testCrypto, poolSize: 2 });
      stores.push(store);
      apps.push(
        createApp(testDeps(store, { randomHex12: () => crypto.randomUUID().replace(/-/g, '').slice(0, 12) })),
      );
    }
    [one, two] = apps as [CavraApp, CavraApp];
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  const later = (ms: number) => {
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + ms);
  };

  test('an agent disabled through one process is blocked by the other after its snapshot expires', async () => {
    await one.request('/api/agents', postJson({ agent_id: 'ci-bot' }));
    const action = postJson({ action_type: 'execute_command', target: 'npm test', agent_id: 'ci-bot' });
    expect(((await (await two.request('/api/decisions', action)).json()) as Decision).decision).toBe('allow');
    const patched = await one.request('/api/agents/ci-bot', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'disabled' }),
    });
    expect(patched.status).toBe(200);
    // The writing process sees it at once; the other one within a second.
    const again = postJson({ action_type: 'execute_command', target: 'npm test', agent_id: 'ci-bot' });
    expect(((await (await one.request('/api/decisions', again)).json()) as Decision).rule_id).toBe(
      'registry.agent.disabled',
    );
    later(1100);
    const third = postJson({ action_type: 'execute_command', target: 'npm test', agent_id: 'ci-bot' });
    expect(((await (await two.request('/api/decisions', third)).json()) as Decision).rule_id).toBe(
      'registry.agent.disabled',
    );
  });

  test('a token created through one process works through the other; a revocation reaches it within 2 s', async () => {
    await one.request('/api/agents', postJson({ agent_id: 'gw-bot' }));
    const created = (await (await one.request('/api/agents/gw-bot/tokens', postJson({}))).json()) as {
      token: string;
      token_id: string;
    };
    const call = () =>
      two.request('/api/decisions', {
        ...postJson({ action_type: 'read_file', target: 'README.md' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` },
      });
    expect((await call()).status).toBe(201);
    await one.request(`/api/agents/gw-bot/tokens/${created.token_id}/revoke`, { method: 'POST' });
    later(2100);
    const refused = await call();
    expect(refused.status).toBe(401);
  });
});
