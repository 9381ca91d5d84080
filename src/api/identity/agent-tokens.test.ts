import { createHash } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import type { Store } from '../../store';
import { openSqlJsStore } from '../../store/drivers/sql-js';
import { testCrypto } from '../../../test/api-support';
import { AgentTokenService, generateAgentToken, hashAgentToken, tokenView } from './agent-tokens';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup() {
  const store = await openSqlJsStore({ crypto: testCrypto });
  stores.push(store);
  await store.registry.agents.upsert({
    agent_id: 'ci-bot',
    status: 'active',
    updated_at: '2026-05-21T15:00:00Z',
  });
  let now = new Date('2026-05-21T15:40:00.000Z');
  const service = new AgentTokenService(store, () => now);
  return { store, service, setNow: (iso: string) => (now = new Date(iso)) };
}

test('tokens are 32 random bytes behind the cavra_at_ prefix; the hash is SHA-256 hex', async () => {
  const one = generateAgentToken();
  expect(one).toMatch(/^cavra_at_[A-Za-z0-9_-]{43}$/);
  expect(generateAgentToken()).not.toBe(one);
  expect(await hashAgentToken('cavra_at_x')).toBe(createHash('sha256').update('cavra_at_x').digest('hex'));
  expect(await hashAgentToken(one)).toMatch(/^[0-9a-f]{64}$/);
});

test('an expiring token authenticates until expires_at, then 401 agent_token_expired', async () => {
  const { store, service, setNow } = await setup();
  const issued = await service.issue('ci-bot', {
    token_id: 'tok_1',
    label: null,
    expires_at: '2026-05-21T16:00:00.000Z',
  });
  await store.registry.tokens.create(issued.record);
  expect(await service.authenticate(issued.token)).toMatchObject({
    ok: true,
    principal: { agent: { agent_id: 'ci-bot', token_id: 'tok_1', via: 'agent_token' } },
  });
  setNow('2026-05-21T16:00:00.000Z');
  expect(await service.authenticate(issued.token)).toMatchObject({
    ok: false,
    status: 401,
    code: 'agent_token_expired',
  });
  expect(tokenView(issued.record, new Date('2026-05-21T16:00:01Z')).state).toBe('expired');
  expect(await service.authenticate('cavra_at_short')).toMatchObject({ code: 'agent_token_malformed' });
});

test('use is recorded (last_used_at), at most once a minute per token', async () => {
  const { store, service, setNow } = await setup();
  const issued = await service.issue('ci-bot', { token_id: 'tok_1', label: 'ci', expires_at: null });
  await store.registry.tokens.create(issued.record);
  await service.authenticate(issued.token);
  setNow('2026-05-21T15:40:30.000Z');
  await service.authenticate(issued.token);
  const [token] = await store.registry.tokens.listForAgent('ci-bot');
  expect(token?.last_used_at).toBe('2026-05-21T15:40:00.000Z');
});
