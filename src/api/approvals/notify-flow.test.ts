/**
 * Notifications on transitions: sent after the commit, off the response path, and re-sent on demand with
 * `POST /approvals/{id}/deliver`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, expect, test } from 'vitest';
import type { Store } from '../../store';
import { bundledPolicies, openTestApp } from '../../../test/api-support';
import { as, personAuth, post } from '../../../test/approval-support';
import type { DeliveryResult } from '../notifications/notifier';
import { parseNotificationConfig } from '../notifications/provider-config';

const servers: Server[] = [];
const stores: Store[] = [];

beforeAll(() => {
  bundledPolicies();
}, 60_000);

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** A receiver that records event types and answers after `delayMs`. */
async function receiver(delayMs: number): Promise<{ url: string; events: string[] }> {
  const events: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      events.push((JSON.parse(body) as { event_type: string }).event_type);
      setTimeout(() => response.writeHead(200).end('ok'), delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events };
}

async function setup(url: string, timeoutSeconds = 5) {
  const parsed = parseNotificationConfig(
    `providers:\n  webhook: { url: "${url}" }\ndelivery: { timeout_seconds: ${timeoutSeconds}, retries: 0 }\n`,
    'providers.yaml',
    {},
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const people = { 'dev@acme.example': { groups: [] }, 'iam@acme.example': { groups: ['IAM'] } };
  const opened = await openTestApp({ auth: personAuth(people), approvals: { notifications: parsed.config } });
  stores.push(opened.store);
  const decided = await opened.app.request(
    '/api/decisions',
    post({ action_type: 'write_file', target: 'iam/role.tf', session_id: 's1' }, as('dev@acme.example')),
  );
  return { ...opened, id: decided.headers.get('x-cavra-approval-id') ?? '' };
}

test('each transition notifies after its commit; the response does not wait for the receiver', async () => {
  const slow = await receiver(1500);
  const { app, store, id, errors } = await setup(slow.url);
  const started = performance.now();
  const response = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'ok' }, as('iam@acme.example')),
  );
  expect(response.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(1000);
  await app.approvals.settled();
  expect(slow.events).toEqual(['cavra.approval.pending', 'cavra.approval.approved']);
  const deliveries = await store.operations.deliveries.list({ subject_id: id });
  expect(deliveries.items.map((d) => [d['event'], d.status])).toEqual(
    expect.arrayContaining([
      ['requested', 'delivered'],
      ['approved', 'delivered'],
    ]),
  );
  const listed = (await (await app.request(`/api/approvals/${id}/deliveries`)).json()) as { total: number };
  expect(listed.total).toBe(2);
  expect(errors).toEqual([]);
}, 30_000);

test('POST /approvals/{id}/deliver re-sends now and answers with the delivery result', async () => {
  const fast = await receiver(0);
  const { app, id } = await setup(fast.url);
  await app.approvals.settled();
  const response = await app.request(
    `/api/approvals/${id}/deliver`,
    post({ provider: 'webhook' }, as('iam@acme.example')),
  );
  expect(response.status).toBe(200);
  const result = (await response.json()) as DeliveryResult;
  expect(result).toMatchObject({
    schema_version: 'cavra.approval.delivery.v1',
    event: 'manual',
    success: true,
  });
  expect(result.deliveries[0]).toMatchObject({ provider: 'webhook', status_code: 200, attempt_count: 1 });
  expect(fast.events).toEqual(['cavra.approval.pending', 'cavra.approval.pending']);
  const unknown = await app.request(
    `/api/approvals/${id}/deliver`,
    post({ provider: 'slack' }, as('iam@acme.example')),
  );
  expect(unknown.status).toBe(400);
  expect((await app.request(`/api/approvals/${id}/deliver`, post({}))).status).toBe(401);
}, 30_000);
