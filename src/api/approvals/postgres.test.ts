/**
 * The approvals flow on PostgreSQL with two apps (two server processes) sharing one database: requests,
 * decisions across apps, two sweepers racing, break-glass and its review, all on one verifiable chain. Runs
 * when CAVRA_TEST_DATABASE_URL is set (.ci/run sets it); skipped otherwise.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../store';
import { createThrowawayPostgres, TEST_DATABASE_URL } from '../../store/contract/harness';
import { openPostgresStore } from '../../store/drivers/postgres';
import { bundledPolicies, testCrypto, testDeps } from '../../../test/api-support';
import { as, manualClock, personAuth, post } from '../../../test/approval-support';
import { createApp, type CavraApp } from '../app';
import type { LogVerification } from '../evidence/evidence-service';
import type { Approval } from './approval-record';
import { sweepExpiredApprovals } from './approval-service';

const title = `Approvals on PostgreSQL${TEST_DATABASE_URL === undefined ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set; .ci/run sets it)' : ''}`;

const PEOPLE = {
  'dev@acme.example': { groups: ['Developers'] },
  'iam@acme.example': { groups: ['IAM'] },
  'cab@acme.example': { groups: ['Change Advisory Board'] },
  'secops@acme.example': { groups: ['Platform Security'] },
};

describe.skipIf(TEST_DATABASE_URL === undefined)(title, () => {
  let database: { url: string; drop(): Promise<void> };
  const stores: Store[] = [];
  const apps: CavraApp[] = [];
  const time = manualClock();

  beforeAll(async () => {
    bundledPolicies();
    database = await createThrowawayPostgres();
    for (let i = 0; i < 2; i++) {
      const store = await openPostgresStore({ url: database.url, crypto: testCrypto, poolSize: 4 });
      stores.push(store);
      apps.push(
        createApp(
          testDeps(store, {
            auth: personAuth(PEOPLE),
            clock: time.clock,
            randomHex12: () => crypto.randomUUID().replace(/-/g, '').slice(0, 12),
          }),
        ),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  test('request on one app, decide on the other; two sweepers expire each stale request once; the chain verifies', async () => {
    const [one, two] = apps as [CavraApp, CavraApp];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await one.request(
        '/api/decisions',
        post(
          { action_type: 'write_file', target: `iam/role-${i}.tf`, session_id: 'pg' },
          as('dev@acme.example'),
        ),
      );
      ids.push(response.headers.get('x-cavra-approval-id') ?? '');
    }
    const approved = await two.request(
      `/api/approvals/${ids[0] ?? ''}/approve`,
      post({ reason: 'ok' }, as('iam@acme.example')),
    );
    expect(approved.status).toBe(200);
    const glass = (await (
      await two.request(
        '/api/approvals/break-glass',
        post(
          {
            decision_id: (await stores[0]?.approvals.get(ids[1] ?? ''))?.decision_id,
            reason: 'outage',
            external_ref: 'INC-1',
          },
          as('cab@acme.example'),
        ),
      )
    ).json()) as Approval;
    expect(glass.state).toBe('break_glass');
    const reviewed = await one.request(
      `/api/approvals/${glass.approval_id}/review`,
      post({ reason: 'justified' }, as('secops@acme.example')),
    );
    expect(reviewed.status).toBe(200);

    time.advanceHours(25);
    const [a, b] = await Promise.all([
      sweepExpiredApprovals(one, time.clock()),
      sweepExpiredApprovals(two, time.clock()),
    ]);
    expect([...a.expired, ...b.expired].sort()).toEqual(ids.slice(1).sort());
    const page = (await (await one.request('/api/approvals?session_id=pg&limit=50')).json()) as {
      items: Approval[];
    };
    expect(page.items.map((x) => x.state).sort()).toEqual([
      'approved',
      'break_glass',
      'expired',
      'expired',
      'expired',
      'expired',
      'expired',
    ]);

    await one.request('/api/evidence/checkpoints', { method: 'POST' });
    const report = (await (await two.request('/api/evidence/verify')).json()) as LogVerification;
    expect(report.errors).toEqual([]);
    const entries = (await stores[0]?.evidence.forSession('pg')) ?? [];
    const events = entries.map((e) => [e.kind, e.payload['event']]);
    expect(events.filter(([kind, event]) => kind === 'approval' && event === 'expired')).toHaveLength(5);
    expect(events.filter(([kind]) => kind === 'break_glass')).toEqual([
      ['break_glass', 'break_glass'],
      ['break_glass', 'reviewed'],
    ]);
  }, 60_000);
});
