// @vitest-environment jsdom
/**
 * The approval page for people who may not act: the buttons are disabled and say why. The whole console is
 * mounted (router, providers, the typed client) against MSW at the network boundary; unhandled requests fail.
 */
import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { mountConsole } from '../../../app/create-console';
import type { Approval, ConsoleConfig, ConsoleSession } from '../../../lib/api-types';
import { noLoginAuth } from '../../../lib/auth';

const API = 'http://console.test/api';

const config: ConsoleConfig = {
  product: 'CAVRA',
  version: 'test',
  api_base_url: '/api',
  auth_mode: 'oidc',
  demo_mode: false,
  activity_mode: 'sqlite',
  approval_oidc: 'configured',
  approval_rbac: 'configured',
  cors_origins: [],
  endpoints: {},
};

function session(actor: string, groups: string[], decide: boolean): ConsoleSession {
  return {
    schema_version: 'cavra.console.session.v1',
    mode: 'authenticated',
    auth_mode: 'oidc',
    authenticated: true,
    auth_required: true,
    actor: { actor, subject: actor, issuer: 'https://idp.test', groups, repository: null },
    repository_permissions: [],
    permissions: {
      read_activity: true,
      read_inventory: true,
      read_integrations: true,
      read_evidence_metadata: true,
      decide_approvals: decide,
      publish_policy_packs: false,
      create_break_glass: false,
    },
    operator_notes: [],
  };
}

const approval: Approval = {
  approval_id: 'apr_000000000001',
  decision_id: 'dec_000000000001',
  session_id: 'sess_1',
  state: 'pending',
  approver_group: 'Platform Security',
  requested_by: 'ai-agent',
  requested_at: '2026-11-25T10:00:00.000000+00:00',
  expires_at: '2099-01-01T00:00:00.000000+00:00',
  decision: {
    decision_id: 'dec_000000000001',
    action_type: 'write_file',
    target: 'iam/admin-role.tf',
    requested_operation: 'iam/admin-role.tf',
    decision: 'require_approval',
    severity: 'high',
    rule_id: 'filesystem.write.require_approval',
    reason: 'Writes to iam/** need approval.',
    actor: 'ai-agent',
  },
  history: [
    {
      event: 'requested',
      actor: 'ai-agent',
      timestamp: '2026-11-25T10:00:00.000000+00:00',
      reason: 'Writes to iam/** need approval.',
    },
  ],
  evidence_refs: ['approval://apr_000000000001'],
  required_approvals: 2,
  approvals: [],
};

let currentSession = session('dev@example.com', ['Developers'], false);

const server = setupServer(
  http.get(`${API}/console/config`, () => HttpResponse.json(config)),
  http.get(`${API}/console/session`, () => HttpResponse.json(currentSession)),
  http.get(`${API}/health`, () => HttpResponse.json({ status: 'ok', product: 'CAVRA' })),
  http.get(`${API}/approvals`, () => HttpResponse.json({ items: [approval], total: 1, limit: 1, offset: 0 })),
  http.get(`${API}/approvals/:id`, ({ params }) =>
    params.id === approval.approval_id
      ? HttpResponse.json(approval)
      : HttpResponse.json(
          { error: { code: 'approval_not_found', message: 'no such approval' } },
          { status: 404 },
        ),
  ),
);

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
let unmount: (() => void) | null = null;

afterEach(() => {
  unmount?.();
  unmount = null;
  server.resetHandlers();
  document.body.innerHTML = '';
});
afterAll(() => {
  server.close();
});

function mount(path: string): void {
  window.location.hash = `#${path}`;
  const element = document.createElement('div');
  document.body.append(element);
  unmount = mountConsole(element, {
    fetch: (...args) => fetch(...args),
    baseUrl: API,
    auth: noLoginAuth('test'),
  });
}

test(
  'a developer outside the group sees approve disabled, with the reason',
  { timeout: 30_000 },
  async () => {
    currentSession = session('dev@example.com', ['Developers'], false);
    mount(`/approvals/${approval.approval_id}`);
    const approve = await screen.findByRole('button', { name: 'Approve…' }, { timeout: 20_000 });
    expect(approve).toHaveProperty('disabled', true);
    expect(
      screen.getByText(
        /Approve is unavailable: dev@example.com \(groups: Developers\) lacks the decide_approvals permission/,
      ),
    ).toBeTruthy();
    expect(screen.getByText('0 of 2 approvals')).toBeTruthy();
  },
);

test('an approver in the group may approve and deny', { timeout: 30_000 }, async () => {
  currentSession = session('ana@example.com', ['Platform Security'], true);
  mount(`/approvals/${approval.approval_id}`);
  const approve = await screen.findByRole('button', { name: 'Approve…' }, { timeout: 20_000 });
  await waitFor(
    () => {
      expect(approve).toHaveProperty('disabled', false);
    },
    { timeout: 10_000 },
  );
  expect(screen.getByRole('button', { name: 'Deny…' })).toHaveProperty('disabled', false);
});

test('an unknown approval is an error naming it, not an empty page', { timeout: 30_000 }, async () => {
  mount('/approvals/apr_ffffffffffff');
  expect(
    await screen.findByText('no such approval (HTTP 404, approval_not_found)', {}, { timeout: 20_000 }),
  ).toBeTruthy();
});
