/**
 * Race safety of approval decisions on every driver: 50 approvers deciding one request at once produce exactly
 * the transitions the request allows; everyone else gets a 409. PostgreSQL runs with two apps (two pools, as two
 * server processes) when CAVRA_TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../store';
import {
  betterSqliteDriver,
  postgresDriver,
  sqlJsDriver,
  type TestDatabase,
  type TestDriver,
} from '../../store/contract/harness';
import { bundledPolicies, testDeps } from '../../../test/api-support';
import { as, personAuth, post, type TestPerson } from '../../../test/approval-support';
import { createApp, type CavraApp } from '../app';
import type { ErrorBody } from '../errors';
import type { Approval } from './approval-record';
import { parseRoutingDocument } from './routing';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `approver${i}@acme.example`);
const PEOPLE: Record<string, TestPerson> = {
  'dev@acme.example': { groups: ['Developers'] },
  ...Object.fromEntries(APPROVERS.map((name) => [name, { groups: ['IAM'] }])),
};
const pg = postgresDriver();
const DRIVERS: TestDriver[] = [sqlJsDriver, betterSqliteDriver, pg];

function apps(stores: Store[], requiredApprovals: number): CavraApp[] {
  const routing = parseRoutingDocument(
    `- { rule_id_prefix: filesystem.write, approver_group: IAM, required_approvals: ${requiredApprovals} }`,
    'race.yaml',
  );
  if (!routing.ok) throw new Error(routing.errors.join('\n'));
  return stores.map((store) =>
    createApp(
      testDeps(store, {
        auth: personAuth(PEOPLE),
        clock: () => new Date('2026-05-21T15:40:00.000Z'),
        randomHex12: () => crypto.randomUUID().replace(/-/g, '').slice(0, 12),
        approvals: { routing: routing.routing },
      }),
    ),
  );
}

async function race(stores: Store[], requiredApprovals: number) {
  const [first] = apps(stores, requiredApprovals);
  const all = apps(stores, requiredApprovals);
  if (first === undefined) throw new Error('no store');
  const decided = await first.request(
    '/api/decisions',
    post(
      { action_type: 'write_file', target: 'iam/admin.tf', session_id: `race_${requiredApprovals}` },
      as('dev@acme.example'),
    ),
  );
  expect(decided.status).toBe(201);
  const id = decided.headers.get('x-cavra-approval-id') ?? '';
  const responses = await Promise.all(
    APPROVERS.map(async (name, i) =>
      (all[i % all.length] as CavraApp).request(
        `/api/approvals/${id}/approve`,
        post({ reason: `reviewed by ${name}` }, as(name)),
      ),
    ),
  );
  const statuses = responses.map((r) => r.status);
  const codes = await Promise.all(
    responses.filter((r) => r.status !== 200).map(async (r) => ((await r.json()) as ErrorBody).error.code),
  );
  const final = (await (await first.request(`/api/approvals/${id}`)).json()) as Approval;
  const entries = await (stores[0] as Store).evidence.forSession(`race_${requiredApprovals}`);
  return { statuses, codes, final, entries };
}

describe.each(DRIVERS)('approvals race on $name', (driver) => {
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];

  beforeAll(async () => {
    bundledPolicies();
    if (driver.skip !== undefined) return;
    const database = await driver.createDatabase();
    databases.push(database);
    stores.push(await database.open());
    // A second connection pool on the same database, as a second server process would have (not for sql.js,
    // which is one in-memory database per handle).
    if (driver.name !== 'sql.js') stores.push(await database.open());
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(databases.map((database) => database.dispose()));
    if (driver === pg) await pg.disposeAll();
  });

  test.skipIf(driver.skip !== undefined)(
    '50 concurrent approvals of one request: exactly one succeeds',
    async () => {
      const { statuses, codes, final, entries } = await race(stores, 1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      expect(new Set(codes)).toEqual(new Set(['approval_not_pending']));
      expect(final).toMatchObject({ state: 'approved' });
      expect(final.approvals).toHaveLength(1);
      expect(final.history.map((h) => h.event)).toEqual(['requested', 'approved']);
      const events = entries.filter((e) => e.kind === 'approval').map((e) => e.payload['event']);
      expect(events).toEqual(['requested', 'approved']);
    },
    60_000,
  );

  test.skipIf(driver.skip !== undefined)(
    'with required_approvals 2: exactly two distinct approvers succeed, no approval is lost',
    async () => {
      const { statuses, final, entries } = await race(stores, 2);
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 409)).toHaveLength(48);
      expect(final).toMatchObject({ state: 'approved', required_approvals: 2 });
      expect(new Set(final.approvals.map((v) => v.actor)).size).toBe(2);
      const events = entries.filter((e) => e.kind === 'approval').map((e) => e.payload['event']);
      expect(events).toEqual(['requested', 'approval_recorded', 'approved']);
    },
    60_000,
  );
});
