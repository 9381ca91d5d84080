/**
 * Hooks against a real API: the in-process app (createApp over sql.js) served on an ephemeral port with
 * @hono/node-server, the built CLI spawned as Claude Code would. With CAVRA_API_URL the API decides and
 * records; with --approvals remote a require_approval waits for a person's decision on the approval.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { bundledPolicies, openTestApp, postJson } from '../api-support';
import type { CavraApp } from '../../src/api';
import type { Store } from '../../src/store';
import { cavra, claudeAnswer, cleanEnv, fixture } from './hooks-support';

const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  bundledPolicies();
}, 60_000);

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function startApi(): Promise<{ app: CavraApp; store: Store; url: string }> {
  const { app, store } = await openTestApp();
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve(started);
    });
  });
  cleanups.push(async () => {
    await new Promise((done) => server.close(done));
    await store.close();
  });
  const { port } = server.address() as AddressInfo;
  return { app, store, url: `http://127.0.0.1:${port}` };
}

type Approval = { approval_id: string; state: string; decision_id: string };

/** Waits until the API holds a pending approval (the hook opened it), as a reviewer's inbox would show it. */
async function pendingApproval(app: CavraApp): Promise<Approval> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const page = (await (await app.request('/api/approvals?state=pending')).json()) as { items: Approval[] };
    if (page.items[0] !== undefined) return page.items[0];
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('no pending approval appeared');
}

function hookEnv(url: string): Record<string, string> {
  return cleanEnv({ CAVRA_API_URL: url, CAVRA_APPROVAL_POLL_MS: '100' });
}

test('with CAVRA_API_URL the API decides and stores the decision; a block is denied', async () => {
  const { app, url } = await startApi();
  const run = await cavra(['hook', 'claude-code'], {
    input: fixture('claude-code/read-env.json'),
    env: hookEnv(url),
  });
  const answer = claudeAnswer(run.stdout);
  expect(answer.permission).toBe('deny');
  const id = /decision (dec_[0-9a-f]{12})/.exec(answer.reason)?.[1];
  const stored = (await (await app.request(`/api/decisions/${id ?? 'missing'}`)).json()) as Record<
    string,
    unknown
  >;
  expect(stored).toMatchObject({
    decision: 'block',
    rule_id: 'filesystem.read.block',
    agent_id: 'claude-code',
  });
}, 60_000);

test('--approvals remote: an approval granted by a person while the hook waits → allow', async () => {
  const { app, url } = await startApi();
  const hook = cavra(['hook', 'claude-code', '--approvals', 'remote', '--approval-timeout', '60'], {
    input: fixture('claude-code/bash-unlisted.json'),
    env: hookEnv(url),
  });
  const approval = await pendingApproval(app);
  const approved = await app.request(
    `/api/approvals/${approval.approval_id}/approve`,
    postJson({ reason: 'listing files is fine' }),
  );
  expect(approved.status).toBe(200);
  const run = await hook;
  const answer = claudeAnswer(run.stdout);
  expect(answer.permission).toBe('allow');
  expect(answer.reason).toContain(`approval ${approval.approval_id} granted`);
  // One approval: the hook waited on the one the API opened for the decision, it did not open another.
  const all = (await (await app.request('/api/approvals')).json()) as { total: number };
  expect(all.total).toBe(1);
}, 60_000);

test('--approvals remote: a denied approval → deny, with the approval id and the reason', async () => {
  const { app, url } = await startApi();
  const hook = cavra(['hook', 'claude-code', '--approvals', 'remote'], {
    input: fixture('claude-code/multiedit-iam.json'),
    env: hookEnv(url),
  });
  const approval = await pendingApproval(app);
  const denied = await app.request(
    `/api/approvals/${approval.approval_id}/deny`,
    postJson({ reason: 'not today' }),
  );
  expect(denied.status).toBe(200);
  const answer = claudeAnswer((await hook).stdout);
  expect(answer.permission).toBe('deny');
  expect(answer.reason).toMatch(new RegExp(`approval ${approval.approval_id} .* is denied: not today`));
}, 60_000);

test('--approvals remote: nobody decides within --approval-timeout → deny', async () => {
  const { url } = await startApi();
  const run = await cavra(['hook', 'claude-code', '--approvals', 'remote', '--approval-timeout', '1'], {
    input: fixture('claude-code/bash-unlisted.json'),
    env: hookEnv(url),
  });
  const answer = claudeAnswer(run.stdout);
  expect(answer.permission).toBe('deny');
  expect(answer.reason).toMatch(/was not decided in time/);
}, 60_000);

test('agent exec through the API: the command runs once its approval is granted', async () => {
  const { app, url } = await startApi();
  const exec = cavra(['agent', 'exec', '--no-daemon', '--approvals', 'remote', '--', 'ls', '-la'], {
    env: cleanEnv({ CAVRA_APPROVAL_POLL_MS: '100', CAVRA_API_URL: url }),
  });
  const approval = await pendingApproval(app);
  await app.request(`/api/approvals/${approval.approval_id}/approve`, postJson({ reason: 'ok' }));
  const run = await exec;
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/total/);
}, 60_000);
