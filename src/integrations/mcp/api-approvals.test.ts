import { expect, test } from 'vitest';
import { bundledPolicies, counterIds, openTestApp, postJson, steppingClock } from '../../../test/api-support';
import { decide, type Decision } from '../../engine';
import { apiApprovals, apiEndpoint } from './api-approvals';

/** A require_approval decision: an MCP server the registry lists as experimental. */
function approvalDecision(): Decision {
  const result = decide(
    { action_type: 'mcp_tool_call', server: 'db', tool: 'run_query', capability: 'database' },
    bundledPolicies(),
    {
      now: steppingClock(),
      randomHex12: counterIds(),
      registry: { mcp_servers: [{ server_id: 'db', trust_tier: 'experimental' }] },
    },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const context = {
  server: 'db',
  tool: 'run_query',
  call_fingerprint: 'f'.repeat(64),
  requested_by: 'agent',
  ttl_hours: 2,
};

test('apiEndpoint accepts the server root or its /api root', () => {
  expect(apiEndpoint('http://cavra:8080', '/approvals')).toBe('http://cavra:8080/api/approvals');
  expect(apiEndpoint('http://cavra:8080/api/', '/approvals')).toBe('http://cavra:8080/api/approvals');
});

test('requests an approval through the real API, reads it back, and sees a human approve it', async () => {
  const { app, store } = await openTestApp();
  try {
    const broker = apiApprovals({
      url: 'http://cavra.test',
      fetch: (input, init) =>
        Promise.resolve(app.request(input instanceof Request ? input : input.toString(), init)),
    });
    const decision = approvalDecision();
    expect(decision.decision).toBe('require_approval');
    const created = await broker.request(decision, context);
    expect(created).toMatchObject({
      state: 'pending',
      decision_id: decision.decision_id,
      approver_group: 'AI Governance',
    });
    expect(await broker.get(created.approval_id)).toMatchObject({ state: 'pending' });
    // A second request for the same decision is refused by the API: the message is passed on.
    await expect(broker.request(decision, context)).rejects.toThrow(
      /HTTP 409.*already has a pending approval|HTTP 409/,
    );
    const approved = await app.request(
      `/api/approvals/${created.approval_id}/approve`,
      postJson({ reason: 'query reviewed', actor: 'alice' }),
    );
    expect(approved.status).toBe(200);
    expect(await broker.get(created.approval_id)).toMatchObject({ state: 'approved' });
    expect(await broker.get('apr_ffffffffffff')).toBeNull();
  } finally {
    await store.close();
  }
}, 30_000);

test('an unreachable API is an error naming the URL', async () => {
  const broker = apiApprovals({
    url: 'http://cavra.invalid',
    fetch: () => Promise.reject(new TypeError('fetch failed')),
  });
  await expect(broker.get('apr_000000000001')).rejects.toThrow(
    'cannot reach the CAVRA API at http://cavra.invalid/api/approvals/apr_000000000001: fetch failed',
  );
});
