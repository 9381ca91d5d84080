import { afterEach, expect, test } from 'vitest';
import type { Store } from '../../store';
import { openTestApp, postJson } from '../../../test/api-support';
import type { ErrorBody } from '../errors';
import type { SessionView } from '../schemas/session';

const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup() {
  const opened = await openTestApp();
  stores.push(opened.store);
  return opened;
}

test('sessions are summarised from their decisions, with upstream defaults for what nobody said', async () => {
  const { app } = await setup();
  await app.request(
    '/api/decisions',
    postJson({ action_type: 'read_file', target: '.env', session_id: 's1' }),
  );
  await app.request(
    '/api/decisions',
    postJson({ action_type: 'read_file', target: 'a.ts', session_id: 's1' }),
  );
  const response = await app.request('/api/sessions/s1');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    schema_version: 'cavra.session.v1',
    session_id: 's1',
    agent_id: 'unknown-agent',
    actor: 'ai-agent',
    repository: 'local',
    policy_pack: 'cavra-ai-agent-baseline',
    state: 'active',
    started_at: '2026-05-21T15:40:00.000000+00:00',
    updated_at: expect.any(String) as string,
    decision_count: 2,
    blocked_count: 1,
    approval_required_count: 0,
    evidence_refs: ['evidence://s1/dec_000000000001', 'evidence://s1/dec_000000000003'],
    decision_counts: { block: 1, allow: 1 },
  });
});

test('POST /sessions sets state (or its upstream alias status), logs the change, and cannot rewrite counts', async () => {
  const { app, store } = await setup();
  await app.request(
    '/api/decisions',
    postJson({ action_type: 'read_file', target: '.env', session_id: 's1' }),
  );
  const posted = await app.request(
    '/api/sessions',
    postJson({ session_id: 's1', status: 'completed', decision_count: 99, agent_id: 'cursor' }),
  );
  expect(posted.status).toBe(200);
  expect(await posted.json()).toMatchObject({ state: 'completed', decision_count: 1, agent_id: 'cursor' });
  const entries = await store.evidence.range(0, 10);
  expect(entries.map((e) => e.kind)).toEqual(['decision', 'session']);
  expect(entries[1]?.payload).toMatchObject({ schema_version: 'cavra.session.v1', state: 'completed' });
});

test('POST /sessions for a new session keeps its times, normalised to one text form', async () => {
  const { app } = await setup();
  const posted = await app.request(
    '/api/sessions',
    postJson({ session_id: 'planned', started_at: '2026-05-21T17:40:02.5+02:00', repository: 'acme/api' }),
  );
  expect(await posted.json()).toMatchObject({
    session_id: 'planned',
    started_at: '2026-05-21T15:40:02.500000+00:00',
    repository: 'acme/api',
    decision_count: 0,
  });
});

test.each([
  [{ state: 'done' }, 'session_id'],
  [{ session_id: 's', state: 'done' }, 'state'],
  [{ session_id: 's', state: 'active', status: 'failed' }, 'status'],
  [{ session_id: 's', started_at: 'yesterday' }, 'started_at'],
  [{ session_id: 's', decision_count: -1 }, 'decision_count'],
  [{ session_id: 's', colour: 'red' }, 'colour'],
])('POST /sessions %j is a 400 naming %s', async (body, field) => {
  const { app } = await setup();
  const response = await app.request('/api/sessions', postJson(body));
  expect(response.status).toBe(400);
  expect(((await response.json()) as ErrorBody).error.field).toBe(field);
});

test('GET /sessions filters by state, agent, repository and pack, most recently updated first', async () => {
  const { app } = await setup();
  await app.request(
    '/api/decisions',
    postJson({ action_type: 'read_file', target: 'a', session_id: 'old', agent_id: 'cursor' }),
  );
  await app.request('/api/decisions', postJson({ action_type: 'read_file', target: 'b', session_id: 'new' }));
  await app.request('/api/sessions', postJson({ session_id: 'old', state: 'archived' }));
  const all = (await (await app.request('/api/sessions')).json()) as { items: SessionView[]; total: number };
  expect(all.items.map((s) => s.session_id)).toEqual(['new', 'old']);
  const archived = await (await app.request('/api/sessions?state=archived')).json();
  expect(archived).toMatchObject({ total: 1, items: [{ session_id: 'old' }] });
  const cursor = await (await app.request('/api/sessions?agent_id=cursor')).json();
  expect(cursor).toMatchObject({ total: 1, items: [{ session_id: 'old' }] });
  expect((await app.request('/api/sessions?state=sleeping')).status).toBe(400);
  const missing = await app.request('/api/sessions/nobody');
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as ErrorBody).error.code).toBe('session_not_found');
});
