import { afterEach, beforeAll, expect, test } from 'vitest';
import type { Store } from '../../store';
import { bundledPolicies, openTestApp, postJson, testCrypto } from '../../../test/api-support';
import type { LogVerification } from '../evidence/evidence-service';
import { seedDemoData } from './demo-seed';
import { DEMO_SESSIONS } from './demo-script';

const stores: Store[] = [];

beforeAll(() => {
  // The bundled packs load once per worker; on a busy machine that alone can take seconds.
  bundledPolicies();
}, 60_000);

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

const anchor = new Date('2026-05-21T18:00:00.000Z');

async function seeded() {
  const opened = await openTestApp();
  stores.push(opened.store);
  const { app, store, deps } = opened;
  const report = await seedDemoData({ app, store, policies: deps.policies, crypto: testCrypto }, { anchor });
  return { ...opened, report };
}

test('the demo seed runs every scripted action through the real engine into the log, with checkpoints', async () => {
  const { app, store, report } = await seeded();
  const actions = DEMO_SESSIONS.reduce((n, s) => n + s.actions.length, 0);
  expect(report).toMatchObject({ sessions: DEMO_SESSIONS.length, decisions: actions, skipped: [] });
  // One per session, and one after the demo approvals.
  expect(report?.checkpoints).toBe(DEMO_SESSIONS.length + 1);
  // A living console needs every kind of outcome.
  expect(Object.keys(report?.outcomes ?? {}).sort()).toEqual(
    ['allow', 'allow_with_attestation', 'block', 'require_approval'].sort(),
  );
  const finished = DEMO_SESSIONS.filter((s) => s.state !== 'active').length;
  const kinds = (await store.evidence.range(0, 10_000)).map((entry) => entry.kind);
  expect(kinds.filter((kind) => kind === 'decision')).toHaveLength(actions);
  expect(kinds.filter((kind) => kind === 'session')).toHaveLength(finished);
  const verification = (await (await app.request('/api/evidence/verify')).json()) as LogVerification;
  expect(verification).toMatchObject({ valid: true, errors: [], warnings: [] });
  const sessions = (await (await app.request('/api/sessions?state=completed')).json()) as { total: number };
  expect(sessions.total).toBe(DEMO_SESSIONS.filter((s) => s.state === 'completed').length);
  const first = DEMO_SESSIONS[0];
  const timeline = await store.decisions.list({ session_id: first?.session_id }, { limit: 500 });
  expect(timeline.items.at(-1)?.timestamp).toBe(
    `${new Date(anchor.getTime() - (first?.startedMinutesAgo ?? 0) * 60_000).toISOString().slice(0, -1)}000+00:00`,
  );
}, 30_000);

test('the seed is deterministic for an anchor time: same ids, same outcomes', async () => {
  const one = await seeded();
  const two = await seeded();
  const summary = async (store: Store) =>
    (await store.decisions.list({}, { limit: 500 })).items.map((d) => [d.decision_id, d.decision, d.rule_id]);
  expect(await summary(one.store)).toEqual(await summary(two.store));
});

test('the seed only runs on an empty database, and skips sessions whose packs are missing', async () => {
  const { app, store, deps } = await openTestApp();
  stores.push(store);
  await app.request('/api/decisions', postJson({ action_type: 'read_file', target: 'a' }));
  expect(
    await seedDemoData({ app, store, policies: deps.policies, crypto: testCrypto }, { anchor }),
  ).toBeNull();
  const fresh = await openTestApp();
  stores.push(fresh.store);
  const packs = new Map(deps.policies.packs);
  packs.delete('cavra-kubernetes-prod');
  const report = await seedDemoData(
    { app: fresh.app, store: fresh.store, policies: { ...deps.policies, packs }, crypto: testCrypto },
    { anchor },
  );
  expect(report?.skipped).toEqual(['sess_demo_k8s_incident']);
  expect(report?.sessions).toBe(DEMO_SESSIONS.length - 1);
});

test('the seed leaves approvals in every state, and a break-glass awaiting its review', async () => {
  const { app, store, report } = await seeded();
  expect(report?.approvals).toMatchObject({ break_glass: 2, review_pending: 1 });
  for (const state of ['pending', 'approved', 'denied', 'expired']) {
    expect(report?.approvals[state], state).toBeGreaterThanOrEqual(1);
  }
  const page = (await (await app.request('/api/approvals?limit=500')).json()) as {
    items: { state: string; history: { event: string }[]; review_state?: string | null }[];
  };
  const states = new Set(page.items.map((a) => a.state));
  expect([...states].sort()).toEqual(['approved', 'break_glass', 'denied', 'expired', 'pending']);
  expect(page.items.filter((a) => a.review_state === 'reviewed')).toHaveLength(1);
  const asked = await store.decisions.list({ decision: 'require_approval' }, { limit: 500 });
  expect(page.items.filter((a) => a.state !== 'break_glass')).toHaveLength(asked.total);
  const kinds = (await store.evidence.range(0, 10_000)).map((entry) => entry.kind);
  expect(kinds.filter((kind) => kind === 'break_glass')).toHaveLength(3);
  const verification = (await (await app.request('/api/evidence/verify')).json()) as LogVerification;
  expect(verification).toMatchObject({ valid: true, errors: [], warnings: [] });
});
