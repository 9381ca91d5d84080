import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { Store } from '../../store';
import { openSqlJsStore } from '../../store/drivers/sql-js';
import { counterIds, testCrypto } from '../../../test/api-support';
import type { Approval } from '../approvals/approval-record';
import { ApprovalNotifier } from './notifier';
import { parseNotificationConfig, type NotificationConfig } from './provider-config';

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
type Receiver = { url: string; received: Received[]; close(): Promise<void> };

const servers: Server[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** A local HTTP receiver answering each request with `respond(n)` (n = 1, 2, …); `hang` never answers. */
async function receiver(respond: (n: number) => number | 'hang'): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const status = respond(received.length);
      if (status === 'hang') return;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status < 300 ? '{"ok":true}' : '{"error":"try later, token=abc123"}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => Promise.resolve() };
}

const approval = JSON.parse(
  readFileSync(new URL('../../../fixtures/approvals/approval.pending.example.json', import.meta.url), 'utf8'),
) as Approval;
/** The pending approval, its decision carrying a secret in the command. */
const leaky: Approval = {
  ...approval,
  decision: {
    ...approval.decision,
    target: 'curl -H "Authorization: Bearer sk-abcdefghijklmnopqrstuvwx" https://x',
  },
};

function config(document: string, env: Record<string, string> = {}): NotificationConfig {
  const parsed = parseNotificationConfig(document, 'providers.yaml', env);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

async function notifier(cfg: NotificationConfig) {
  const store = await openSqlJsStore({ crypto: testCrypto });
  stores.push(store);
  const sleeps: number[] = [];
  let now = Date.parse('2026-05-21T15:41:00.000Z');
  const instance = new ApprovalNotifier({
    config: cfg,
    store,
    fetch: (input, init) => fetch(input, init),
    clock: () => new Date((now += 100)),
    randomHex12: counterIds(),
    crypto: testCrypto,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  return { instance, store, sleeps };
}

test('delivers every configured provider its payload with its credential; records the delivery and its evidence', async () => {
  const hook = await receiver(() => 202);
  const jira = await receiver(() => 201);
  const cfg = config(
    `approval_providers:\n  webhook: { url: "${hook.url}/hook" }\n  jira: { url: "${jira.url}/rest/api/3/issue", token_env: JIRA_TOKEN, project_key: SEC }\n`,
    { JIRA_TOKEN: 'jira-secret-token' },
  );
  const { instance, store } = await notifier(cfg);
  const result = await instance.deliver(leaky, { event: 'requested' });
  expect(result).toMatchObject({
    schema_version: 'cavra.approval.delivery.v1',
    approval_id: approval.approval_id,
    success: true,
  });
  expect(result.deliveries.map((d) => [d.provider, d.status_code, d.attempt_count])).toEqual([
    ['jira', 201, 1],
    ['webhook', 202, 1],
  ]);
  expect(jira.received[0]?.headers['authorization']).toBe('Bearer jira-secret-token');
  const jiraBody = JSON.parse(jira.received[0]?.body ?? '{}') as {
    fields: { project: unknown; labels: string[] };
  };
  expect(jiraBody.fields).toMatchObject({
    project: { key: 'SEC' },
    labels: ['cavra', 'ai-agent-approval', 'pending'],
  });
  const webhookBody = JSON.parse(hook.received[0]?.body ?? '{}') as { event_type: string; payload: Approval };
  expect(webhookBody.event_type).toBe('cavra.approval.pending');
  // Redacted before it left: the command's bearer token never reaches the receiver.
  expect(hook.received[0]?.body).not.toContain('sk-abcdefghijklmnopqrstuvwx');
  expect(webhookBody.payload.decision['target']).toBe('curl -H "Authorization: Bearer REDACTED" https://x');
  // Recorded: the delivery rows and one evidence entry per attempt, with the credential redacted.
  const rows = await store.operations.deliveries.list({ subject_id: approval.approval_id });
  expect(rows.items.map((r) => [r.provider, r.status, r.attempts]).sort()).toEqual([
    ['jira', 'delivered', 1],
    ['webhook', 'delivered', 1],
  ]);
  const entries = await store.evidence.range(0, 10);
  expect(entries.map((e) => e.kind)).toEqual(['delivery', 'delivery']);
  const jiraEntry = entries.find((e) => e.payload['provider'] === 'jira');
  expect(jiraEntry?.payload).toMatchObject({
    success: true,
    status_code: 201,
    attempt: 1,
    request: { headers: { authorization: 'REDACTED' } },
  });
  expect(JSON.stringify(entries)).not.toContain('jira-secret-token');
  expect(JSON.stringify(rows)).not.toContain('jira-secret-token');
});

test('a receiver that fails twice then succeeds: three attempts with exponential backoff, each recorded', async () => {
  const flaky = await receiver((n) => (n <= 2 ? 503 : 200));
  const cfg = config(
    `providers:\n  webhook: { url: "${flaky.url}" }\ndelivery: { retries: 3, backoff_ms: 100, max_backoff_ms: 150 }\n`,
  );
  const { instance, store, sleeps } = await notifier(cfg);
  const result = await instance.deliver(approval, { event: 'requested' });
  expect(result.success).toBe(true);
  expect(result.deliveries[0]).toMatchObject({ attempt_count: 3, status_code: 200, error: null });
  expect(flaky.received).toHaveLength(3);
  expect(sleeps).toEqual([100, 150]);
  const entries = await store.evidence.range(0, 10);
  expect(entries.map((e) => [e.payload['attempt'], e.payload['status'], e.payload['status_code']])).toEqual([
    [1, 'retrying', 503],
    [2, 'retrying', 503],
    [3, 'delivered', 200],
  ]);
  expect(entries[0]?.payload['error']).toBe('HTTP 503: {"error":"try later, token=REDACTED"}');
  const [row] = (await store.operations.deliveries.list()).items;
  expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
  expect(row?.['attempt_log']).toHaveLength(3);
});

test('a receiver that hangs: every attempt times out, the delivery fails, bounded by retries', async () => {
  const hanging = await receiver(() => 'hang');
  const cfg = config(
    `providers:\n  webhook: { url: "${hanging.url}" }\ndelivery: { retries: 1, timeout_seconds: 0.2, backoff_ms: 10 }\n`,
  );
  const { instance, store } = await notifier(cfg);
  const started = performance.now();
  const result = await instance.deliver(approval, { event: 'requested' });
  expect(performance.now() - started).toBeLessThan(5000);
  expect(result.success).toBe(false);
  expect(result.deliveries[0]).toMatchObject({
    attempt_count: 2,
    status_code: 0,
    error: 'timed out after 0.2 s',
  });
  expect(hanging.received).toHaveLength(2);
  expect((await store.operations.deliveries.list()).items[0]).toMatchObject({
    status: 'failed',
    attempts: 2,
  });
});

test('a client error is not retried; an unreachable receiver is', async () => {
  const rejecting = await receiver(() => 400);
  const { instance } = await notifier(
    config(
      `providers:\n  webhook: { url: "${rejecting.url}" }\n  slack: { url: "http://127.0.0.1:9/unreachable" }\ndelivery: { retries: 2, backoff_ms: 1 }\n`,
    ),
  );
  const result = await instance.deliver(approval, { event: 'manual' });
  const byProvider = Object.fromEntries(result.deliveries.map((d) => [d.provider, d]));
  expect(byProvider['webhook']).toMatchObject({ success: false, status_code: 400, attempt_count: 1 });
  expect(byProvider['slack']).toMatchObject({ success: false, status_code: 0, attempt_count: 3 });
  expect(rejecting.received).toHaveLength(1);
});

test('provider configuration: upstream example, env references, and errors that name the field', () => {
  const example = readFileSync(
    new URL('../../../fixtures/approvals/approval-providers.example.json', import.meta.url),
    'utf8',
  );
  const env = {
    CAVRA_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
    JIRA_TOKEN: 'j',
    SERVICENOW_TOKEN: 's',
    CAVRA_APPROVAL_WEBHOOK_URL: 'https://hooks.example/approvals',
  };
  const parsed = parseNotificationConfig(example, 'providers.json', env);
  expect(parsed.ok).toBe(true);
  if (parsed.ok) {
    expect(parsed.config.providers.map((p) => p.provider)).toEqual([
      'slack',
      'jira',
      'servicenow',
      'webhook',
    ]);
    expect(parsed.config.providers[1]?.headers['authorization']).toBe('Bearer j');
    expect(parsed.config.delivery).toMatchObject({ retries: 2, timeoutMs: 10_000 });
  }
  const errors = (document: string, vars: Record<string, string> = {}) => {
    const result = parseNotificationConfig(document, 'p.yaml', vars);
    return result.ok ? [] : result.errors;
  };
  expect(errors(example)).toEqual([
    'approval_providers.slack.url_env: the environment variable CAVRA_SLACK_WEBHOOK_URL is not set',
    'approval_providers.jira.token_env: the environment variable JIRA_TOKEN is not set',
    'approval_providers.servicenow.token_env: the environment variable SERVICENOW_TOKEN is not set',
    'approval_providers.webhook.url_env: the environment variable CAVRA_APPROVAL_WEBHOOK_URL is not set',
  ]);
  expect(errors('approval_providers:\n  jira: { url: "https://jira.example" }\n')).toEqual([
    'approval_providers.jira: needs a credential (token, token_env, authorization or authorization_env)',
  ]);
  expect(errors('approval_providers:\n  pager: { url: "https://x" }\n')).toEqual([
    'approval_providers.pager: is not a known field',
  ]);
  expect(errors('approval_providers:\n  webhook: { url: "ftp://x" }\n')).toEqual([
    'approval_providers.webhook.url: must be an http:// or https:// URL',
  ]);
  expect(
    errors('approval_providers:\n  webhook: { url: "https://x" }\ndelivery: { retries: 50 }\n')[0],
  ).toMatch(/^delivery\.retries: /);
  expect(errors('approval_providers:\n  webhook: { enabled: false, url: "https://x" }\n')).toEqual([
    'approval_providers: no provider is enabled',
  ]);
  expect(errors(': bad: yaml: [')[0]).toMatch(/^p\.yaml is not valid YAML or JSON/);
});
