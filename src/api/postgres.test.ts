/**
 * The decisions and evidence routes on PostgreSQL, with two apps (as two server processes would) sharing one
 * database. Runs when CAVRA_TEST_DATABASE_URL is set (.ci/run sets it); skipped otherwise.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Decision } from '../engine';
import { verifyInclusionProofs, type InclusionProofs } from '../evidence/bundle';
import type { Store } from '../store';
import { createThrowawayPostgres, TEST_DATABASE_URL } from '../store/contract/harness';
import { openPostgresStore } from '../store/drivers/postgres';
import { postJson, testCrypto, testDeps, testTrustRoot } from '../../test/api-support';
import { createApp, type CavraApp } from './app';
import type { LogVerification } from './evidence/evidence-service';

const title = `API routes on PostgreSQL${TEST_DATABASE_URL === undefined ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set; .ci/run sets it)' : ''}`;

describe.skipIf(TEST_DATABASE_URL === undefined)(title, () => {
  let database: { url: string; drop(): Promise<void> };
  const stores: Store[] = [];
  let apps: CavraApp[] = [];

  beforeAll(async () => {
    database = await createThrowawayPostgres();
    for (let i = 0; i < 2; i++) {
      const store = await openPostgresStore({ url: database.url, crypto: testCrypto, poolSize: 4 });
      stores.push(store);
      apps.push(
        createApp(testDeps(store, { randomHex12: () => crypto.randomUUID().replace(/-/g, '').slice(0, 12) })),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    apps = [];
    await database.drop();
  });

  test('concurrent POST /decisions through two apps build one chain; reads, proofs and bundles agree', async () => {
    const posts = Array.from({ length: 40 }, async (_, i) =>
      (apps[i % 2] as CavraApp).request(
        '/api/decisions',
        postJson({
          action_type: 'read_file',
          target: i % 5 === 0 ? '.env' : `src/f${i}.ts`,
          session_id: `s${i % 3}`,
        }),
      ),
    );
    const responses = await Promise.all(posts);
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    const [one, two] = apps as [CavraApp, CavraApp];
    const page = (await (await one.request('/api/decisions?limit=500')).json()) as {
      items: Decision[];
      total: number;
    };
    expect(page.total).toBe(40);
    const session = (await (await two.request('/api/sessions/s0')).json()) as { decision_count: number };
    expect(session.decision_count).toBe(14);
    const blocked = (await (await two.request('/api/decisions?decision=block&limit=1')).json()) as {
      total: number;
    };
    expect(blocked.total).toBe(8);

    const target = page.items[7] as Decision;
    const proofs = (await (
      await two.request(`/api/evidence/proof/${target.decision_id}`)
    ).json()) as InclusionProofs;
    expect(verifyInclusionProofs(proofs, [target], [testTrustRoot], testCrypto)).toMatchObject({
      errors: [],
      checked: 1,
    });
    const bundle = await one.request('/api/evidence/sessions/s1/bundle');
    expect(bundle.status).toBe(200);
    await one.request('/api/evidence/checkpoints', { method: 'POST' });
    for (const app of apps) {
      const report = (await (await app.request('/api/evidence/verify')).json()) as LogVerification;
      expect(report.errors).toEqual([]);
      expect(report.checked).toMatchObject({ entries: 40, covered_entries: 40 });
    }
  });
});
