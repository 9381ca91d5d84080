import { afterEach, beforeAll, expect, test } from 'vitest';
import type { Decision } from '../../engine';
import type { Store } from '../../store';
import { bundledPolicies, openTestApp, postJson } from '../../../test/api-support';
import { as, manualClock, personAuth, post, type TestPerson } from '../../../test/approval-support';
import type { ApiDeps } from '../deps';
import type { Approval } from '../approvals/approval-record';
import { parseRoutingDocument } from '../approvals/routing';
import { sweepExpiredApprovals } from '../approvals/approval-service';
import type { ErrorBody } from '../errors';
import type { LogVerification } from '../evidence/evidence-service';

const stores: Store[] = [];

beforeAll(() => {
  // Loading and compiling the bundled packs takes seconds on a busy machine; do it once, outside the tests.
  bundledPolicies();
}, 60_000);

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

const PEOPLE: Record<string, TestPerson> = {
  'dev@acme.example': { groups: ['Developers'] },
  'iam.lead@acme.example': { groups: ['IAM'] },
  'iam.second@acme.example': { groups: ['IAM'] },
  'owner@acme.example': { groups: ['IAM'] },
  'secops@acme.example': { groups: ['Platform Security'] },
  'cab@acme.example': { groups: ['Change Advisory Board'] },
  'cab.two@acme.example': { groups: ['Change Advisory Board'] },
  'payments.owner@acme.example': {
    groups: ['Payments Owners'],
    permissions: [
      {
        repository: 'acme/payments',
        approver_group: 'IAM',
        actions: ['approve', 'deny'],
        groups: ['Payments Owners'],
      },
    ],
  },
  'sweeper@acme.example': { groups: ['system'] },
};

/** A write to an IAM file: `require_approval`, routed to IAM by upstream's first default rule. */
const IAM_WRITE = {
  action_type: 'write_file',
  target: 'iam/admin-role.tf',
  session_id: 'sess_1',
  agent_id: 'claude-code',
  actor: 'dev@acme.example',
  repository: 'acme/payments',
};

async function setup(overrides: Partial<ApiDeps> = {}) {
  const time = manualClock();
  const opened = await openTestApp({ auth: personAuth(PEOPLE), clock: time.clock, ...overrides });
  stores.push(opened.store);
  return { ...opened, time };
}

/** Records the decision as its actor (OIDC mode binds the decision's actor to the caller). */
async function requestApproval(
  app: Awaited<ReturnType<typeof setup>>['app'],
  body: typeof IAM_WRITE = IAM_WRITE,
  isDemo = false,
) {
  const response = await app.request('/api/decisions', isDemo ? postJson(body) : post(body, as(body.actor)));
  expect(response.status).toBe(201);
  const decision = (await response.json()) as Decision;
  expect(decision.decision).toBe('require_approval');
  const id = response.headers.get('x-cavra-approval-id');
  expect(id).toMatch(/^apr_[0-9a-f]{12}$/);
  return { decision, id: id ?? '' };
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

test('a require_approval decision creates its approval, routed by the default rules and logged', async () => {
  const { app, store, errors } = await setup();
  const { decision, id } = await requestApproval(app);
  const approval = await json<Approval>(await app.request(`/api/approvals/${id}`));
  expect(approval).toMatchObject({
    schema_version: 'cavra.approval.v1',
    product: 'CAVRA',
    approval_id: id,
    decision_id: decision.decision_id,
    session_id: 'sess_1',
    state: 'pending',
    approver_group: 'IAM',
    requested_by: 'dev@acme.example',
    repository: 'acme/payments',
    requested_at: '2026-05-21T15:40:00.000000+00:00',
    expires_at: '2026-05-22T15:40:00.000000+00:00',
    required_approvals: 1,
    approvals: [],
    routing: {
      routed_by: 'rule',
      source: null,
      rule: { rule_id_prefix: 'filesystem.write', approver_group: 'IAM' },
    },
    evidence_refs: [`approval://${id}`, ...decision.evidence_refs],
  });
  expect(approval.history).toEqual([
    {
      event: 'requested',
      actor: 'dev@acme.example',
      timestamp: approval.requested_at,
      reason: decision.reason,
    },
  ]);
  const entries = await store.evidence.range(0, 10);
  expect(entries.map((e) => e.kind)).toEqual(['decision', 'approval']);
  expect(entries[1]?.payload).toMatchObject({
    event: 'requested',
    approval_id: id,
    to_state: 'pending',
    from_state: null,
  });
  expect(errors).toEqual([]);
});

test('GET /approvals filters by state, approver group, session and repository, and pages', async () => {
  const { app } = await setup();
  const first = await requestApproval(app);
  await requestApproval(app, { ...IAM_WRITE, session_id: 'sess_2', repository: 'acme/web' });
  await requestApproval(app, {
    ...IAM_WRITE,
    action_type: 'execute_command',
    target: 'npm publish',
    session_id: 'sess_2',
  });
  await app.request(
    `/api/approvals/${first.id}/deny`,
    post({ reason: 'not now' }, as('iam.lead@acme.example')),
  );
  const ids = async (query: string) =>
    (
      await json<{ items: Approval[]; total: number }>(await app.request(`/api/approvals?${query}`))
    ).items.map((a) => `${a.session_id}:${a.approver_group}:${a.state}`);
  expect(await ids('')).toHaveLength(3);
  expect(await ids('state=denied')).toEqual(['sess_1:IAM:denied']);
  expect(await ids('approver_group=Repository%20Owners')).toEqual(['sess_2:Repository Owners:pending']);
  expect(await ids('session_id=sess_2&state=pending')).toHaveLength(2);
  expect(await ids('repository=acme/web')).toEqual(['sess_2:IAM:pending']);
  const page = await json<{ items: Approval[]; total: number; limit: number; offset: number }>(
    await app.request('/api/approvals?limit=1&offset=1'),
  );
  expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
  expect(page.items).toHaveLength(1);
  expect((await app.request('/api/approvals?state=rejected')).status).toBe(400);
});

test('approve: an approver of the group approves once; reason required; the second decision is a 409', async () => {
  const { app, store } = await setup();
  const { id } = await requestApproval(app);
  const missing = await app.request(`/api/approvals/${id}/approve`, post({}, as('iam.lead@acme.example')));
  expect(missing.status).toBe(400);
  expect((await json<ErrorBody>(missing)).error).toMatchObject({ field: 'reason' });
  const response = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'scoped change reviewed', external_ref: 'CHG-123' }, as('iam.lead@acme.example')),
  );
  expect(response.status).toBe(200);
  const approved = await json<Approval>(response);
  expect(approved).toMatchObject({
    state: 'approved',
    decided_by: 'iam.lead@acme.example',
    decision_reason: 'scoped change reviewed',
    external_ref: 'CHG-123',
    approvals: [{ actor: 'iam.lead@acme.example', subject: 'sub-iam.lead@acme.example' }],
  });
  expect(approved.history.map((h) => h.event)).toEqual(['requested', 'approved']);
  const again = await app.request(
    `/api/approvals/${id}/deny`,
    post({ reason: 'late' }, as('iam.second@acme.example')),
  );
  expect(again.status).toBe(409);
  expect((await json<ErrorBody>(again)).error.code).toBe('approval_not_pending');
  const kinds = (await store.evidence.range(0, 10)).map((e) => [e.kind, e.payload['event']]);
  expect(kinds).toEqual([
    ['decision', undefined],
    ['approval', 'requested'],
    ['approval', 'approved'],
  ]);
});

test('401 without credentials, 403 outside the group (never 400), 404 for an unknown approval', async () => {
  const { app } = await setup();
  const { id } = await requestApproval(app);
  const anonymous = await app.request(`/api/approvals/${id}/approve`, post({ reason: 'ok' }));
  expect(anonymous.status).toBe(401);
  const outsider = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'ok' }, as('secops@acme.example')),
  );
  expect(outsider.status).toBe(403);
  expect((await json<ErrorBody>(outsider)).error.code).toBe('not_authorized');
  const unknown = await app.request(
    '/api/approvals/apr_000000000000/approve',
    post({ reason: 'ok' }, as('iam.lead@acme.example')),
  );
  expect(unknown.status).toBe(404);
  expect((await app.request('/api/approvals/apr_000000000000')).status).toBe(404);
});

test('repository RBAC lets a repository owner group decide for that repository only', async () => {
  const { app } = await setup();
  const payments = await requestApproval(app);
  const web = await requestApproval(app, { ...IAM_WRITE, repository: 'acme/web', session_id: 'sess_web' });
  const owner = as('payments.owner@acme.example');
  expect((await app.request(`/api/approvals/${web.id}/approve`, post({ reason: 'ok' }, owner))).status).toBe(
    403,
  );
  expect((await app.request(`/api/approvals/${payments.id}/expire`, post({}, owner))).status).toBe(403);
  expect(
    (await app.request(`/api/approvals/${payments.id}/approve`, post({ reason: 'ok' }, owner))).status,
  ).toBe(200);
});

test('separation of duties: the requester and the agent owner can never approve their own request', async () => {
  const { app, store } = await setup();
  const people = { ...PEOPLE, 'dev@acme.example': { groups: ['IAM'] } };
  const { app: strict, store: strictStore } = await setup({ auth: personAuth(people) });
  const own = await requestApproval(strict);
  const selfApproval = await strict.request(
    `/api/approvals/${own.id}/approve`,
    post({ reason: 'mine' }, as('dev@acme.example')),
  );
  expect(selfApproval.status).toBe(403);
  expect((await json<ErrorBody>(selfApproval)).error.code).toBe('self_approval_forbidden');
  // The requester may still withdraw (deny) their own request.
  expect(
    (
      await strict.request(
        `/api/approvals/${own.id}/deny`,
        post({ reason: 'withdrawn' }, as('dev@acme.example')),
      )
    ).status,
  ).toBe(200);

  await store.registry.agents.upsert({
    agent_id: 'claude-code',
    status: 'active',
    owner: 'owner@acme.example',
    updated_at: '2026-05-21T00:00:00Z',
  });
  const { id } = await requestApproval(app);
  const byOwner = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'my agent' }, as('owner@acme.example')),
  );
  expect(byOwner.status).toBe(403);
  expect((await json<ErrorBody>(byOwner)).error.code).toBe('self_approval_forbidden');
  expect(
    (await app.request(`/api/approvals/${id}/approve`, post({ reason: 'ok' }, as('iam.lead@acme.example'))))
      .status,
  ).toBe(200);
  expect(strictStore).toBeDefined();
});

test('required_approvals: N distinct eligible approvers, progress visible, the same approver twice is a 409', async () => {
  const routing = parseRoutingDocument(
    'approval_routing:\n  - rule_id_prefix: filesystem.write\n    repository: "acme/*"\n    min_severity: high\n    approver_group: IAM\n    required_approvals: 2\n',
    'routing.yaml',
  );
  if (!routing.ok) throw new Error(routing.errors.join('; '));
  const { app, store } = await setup({ approvals: { routing: routing.routing } });
  const { id } = await requestApproval(app);
  const first = await json<Approval>(
    await app.request(
      `/api/approvals/${id}/approve`,
      post({ reason: 'looks right' }, as('iam.lead@acme.example')),
    ),
  );
  expect(first).toMatchObject({
    state: 'pending',
    required_approvals: 2,
    routing: { source: 'routing.yaml' },
  });
  expect(first.approvals.map((v) => v.actor)).toEqual(['iam.lead@acme.example']);
  expect(first.history.map((h) => h.event)).toEqual(['requested', 'approval_recorded']);
  const twice = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'again' }, as('iam.lead@acme.example')),
  );
  expect(twice.status).toBe(409);
  expect((await json<ErrorBody>(twice)).error.code).toBe('already_approved_by_actor');
  const second = await json<Approval>(
    await app.request(
      `/api/approvals/${id}/approve`,
      post({ reason: 'agreed' }, as('iam.second@acme.example')),
    ),
  );
  expect(second).toMatchObject({ state: 'approved', decided_by: 'iam.second@acme.example' });
  expect(second.approvals).toHaveLength(2);
  const events = (await store.evidence.range(0, 10))
    .filter((e) => e.kind === 'approval')
    .map((e) => e.payload);
  expect(events.map((p) => [p['event'], p['approvals_recorded']])).toEqual([
    ['requested', 0],
    ['approval_recorded', 1],
    ['approved', 2],
  ]);
});

test('expiry is enforced: deciding past expires_at expires the approval and answers 409', async () => {
  const { app, store, time } = await setup();
  const { id } = await requestApproval(app);
  time.advanceHours(25);
  const late = await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'finally' }, as('iam.lead@acme.example')),
  );
  expect(late.status).toBe(409);
  expect((await json<ErrorBody>(late)).error.code).toBe('approval_expired');
  const stored = await json<Approval>(await app.request(`/api/approvals/${id}`));
  expect(stored).toMatchObject({ state: 'expired', decided_by: 'system' });
  expect(stored.history.map((h) => h.event)).toEqual(['requested', 'expired']);
  const last = (await store.evidence.range(0, 10)).at(-1);
  expect(last?.payload).toMatchObject({ event: 'expired', actor: 'system', from_state: 'pending' });
});

test('the sweeper expires stale pending approvals only, once, and logs each', async () => {
  const { app, store, time } = await setup();
  const stale = await requestApproval(app);
  time.advanceHours(20);
  const fresh = await requestApproval(app, { ...IAM_WRITE, session_id: 'sess_fresh' });
  const decided = await requestApproval(app, { ...IAM_WRITE, session_id: 'sess_done' });
  await app.request(
    `/api/approvals/${decided.id}/approve`,
    post({ reason: 'ok' }, as('iam.lead@acme.example')),
  );
  time.advanceHours(5);
  expect(await sweepExpiredApprovals(app, time.clock())).toEqual({ expired: [stale.id] });
  expect(await sweepExpiredApprovals(app, time.clock())).toEqual({ expired: [] });
  const states = async (id: string) =>
    (await json<Approval>(await app.request(`/api/approvals/${id}`))).state;
  expect([await states(stale.id), await states(fresh.id), await states(decided.id)]).toEqual([
    'expired',
    'pending',
    'approved',
  ]);
  const expiries = (await store.evidence.range(0, 50)).filter((e) => e.payload['event'] === 'expired');
  expect(expiries).toHaveLength(1);
});

test('expire: a member of the group or of `system` expires a pending approval; default reason', async () => {
  const { app } = await setup();
  const one = await requestApproval(app);
  const two = await requestApproval(app, { ...IAM_WRITE, session_id: 'sess_2' });
  const byGroup = await json<Approval>(
    await app.request(`/api/approvals/${one.id}/expire`, {
      method: 'POST',
      headers: as('iam.lead@acme.example'),
    }),
  );
  expect(byGroup).toMatchObject({ state: 'expired', decision_reason: 'approval expired' });
  const bySystem = await app.request(
    `/api/approvals/${two.id}/expire`,
    post({ reason: 'cleanup' }, as('sweeper@acme.example')),
  );
  expect(bySystem.status).toBe(200);
});

test('break-glass: CAB only, reason and ticket required, TTL at most 4 h, distinct evidence, then a review', async () => {
  const { app, store } = await setup();
  const { decision } = await requestApproval(app);
  const body = { decision_id: decision.decision_id, reason: 'production recovery', external_ref: 'INC-777' };
  const notCab = await app.request('/api/approvals/break-glass', post(body, as('iam.lead@acme.example')));
  expect(notCab.status).toBe(403);
  expect((await json<ErrorBody>(notCab)).error.code).toBe('break_glass_forbidden');
  const noTicket = await app.request(
    '/api/approvals/break-glass',
    post({ decision_id: decision.decision_id, reason: 'x' }, as('cab@acme.example')),
  );
  expect(noTicket.status).toBe(400);
  expect((await json<ErrorBody>(noTicket)).error.field).toBe('external_ref');
  const tooLong = await app.request(
    '/api/approvals/break-glass',
    post({ ...body, ttl_hours: 5 }, as('cab@acme.example')),
  );
  expect(tooLong.status).toBe(400);
  expect((await json<ErrorBody>(tooLong)).error).toMatchObject({
    code: 'break_glass_ttl_too_long',
    field: 'ttl_hours',
  });

  const created = await app.request('/api/approvals/break-glass', post(body, as('cab@acme.example')));
  expect(created.status).toBe(201);
  const glass = await json<Approval>(created);
  expect(glass).toMatchObject({
    state: 'break_glass',
    approver_group: 'Change Advisory Board',
    break_glass: true,
    break_glass_reason: 'production recovery',
    external_ref: 'INC-777',
    decided_by: 'cab@acme.example',
    review_state: 'review_pending',
    requested_at: '2026-05-21T15:40:00.000000+00:00',
    expires_at: '2026-05-21T19:40:00.000000+00:00',
  });
  expect(glass.history.map((h) => h.event)).toEqual(['requested', 'approved', 'break_glass']);
  const logged = (await store.evidence.range(0, 10)).at(-1);
  expect(logged).toMatchObject({
    kind: 'break_glass',
    payload: { event: 'break_glass', external_ref: 'INC-777' },
  });
  const pendingReviews = await json<{ total: number }>(
    await app.request('/api/approvals?review_state=review_pending'),
  );
  expect(pendingReviews.total).toBe(1);

  const url = `/api/approvals/${glass.approval_id}/review`;
  expect((await app.request(url, post({ reason: 'ok' }, as('cab@acme.example')))).status).toBe(403);
  expect((await app.request(url, post({ reason: 'ok' }, as('iam.lead@acme.example')))).status).toBe(403);
  const reviewed = await app.request(
    url,
    post({ reason: 'justified: outage INC-777' }, as('secops@acme.example')),
  );
  expect(reviewed.status).toBe(200);
  expect(await json<Approval>(reviewed)).toMatchObject({
    state: 'break_glass',
    review_state: 'reviewed',
    review: { state: 'reviewed', reviewed_by: 'secops@acme.example', reason: 'justified: outage INC-777' },
  });
  expect((await app.request(url, post({ reason: 'again' }, as('cab.two@acme.example')))).status).toBe(409);
  expect((await store.evidence.range(0, 10)).at(-1)).toMatchObject({
    kind: 'break_glass',
    payload: { event: 'reviewed' },
  });
  // Deciding a break-glass like a pending approval is a conflict, not a new transition.
  const decide = await app.request(
    `/api/approvals/${glass.approval_id}/deny`,
    post({ reason: 'no' }, as('cab.two@acme.example')),
  );
  expect(decide.status).toBe(409);
});

test('body identities: actor_claims and actor_token are refused; a different actor under OIDC is a 403', async () => {
  const { app } = await setup();
  const { id } = await requestApproval(app);
  const url = `/api/approvals/${id}/approve`;
  const claims = await app.request(
    url,
    post({ reason: 'x', actor_claims: { groups: ['IAM'] } }, as('secops@acme.example')),
  );
  expect(claims.status).toBe(400);
  expect((await json<ErrorBody>(claims)).error).toMatchObject({
    code: 'unsigned_identity_refused',
    field: 'actor_claims',
  });
  const token = await app.request(url, post({ reason: 'x', actor_token: 'a.b.c' }));
  expect(token.status).toBe(400);
  const spoof = await app.request(
    url,
    post({ reason: 'x', actor: 'iam.lead@acme.example' }, as('secops@acme.example')),
  );
  expect(spoof.status).toBe(403);
  expect((await json<ErrorBody>(spoof)).error.code).toBe('actor_mismatch');
});

test('demo mode: the body actor names the persona, and separation of duties still applies to it', async () => {
  const demo = await openTestApp();
  stores.push(demo.store);
  const { id } = await requestApproval(demo.app, IAM_WRITE, true);
  const self = await demo.app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'x', actor: 'dev@acme.example' }),
  );
  expect(self.status).toBe(403);
  const ok = await demo.app.request(`/api/approvals/${id}/approve`, post({ reason: 'fine' }));
  expect(await json<Approval>(ok)).toMatchObject({ state: 'approved', decided_by: 'demo-operator' });
});

test('POST /approvals: by decision_id or decision object; one pending approval per decision; routing overrides', async () => {
  const { app } = await setup();
  const stored = await json<Decision>(
    await app.request(
      '/api/decisions',
      post({ ...IAM_WRITE, action_type: 'read_file', target: 'README.md' }, as('dev@acme.example')),
    ),
  );
  const created = await app.request(
    '/api/approvals',
    post(
      { decision_id: stored.decision_id, approver_group: 'Platform Security', ttl_hours: 2 },
      as('dev@acme.example'),
    ),
  );
  expect(created.status).toBe(201);
  expect(await json<Approval>(created)).toMatchObject({
    approver_group: 'Platform Security',
    requested_by: 'dev@acme.example',
    routing: { routed_by: 'explicit' },
    expires_at: '2026-05-21T17:40:00.000000+00:00',
    decision: { decision_id: stored.decision_id, rule_id: stored.rule_id },
  });
  const duplicate = await app.request(
    '/api/approvals',
    post({ decision_id: stored.decision_id }, as('dev@acme.example')),
  );
  expect(duplicate.status).toBe(409);
  expect((await json<ErrorBody>(duplicate)).error.code).toBe('approval_exists');
  const unknown = await app.request(
    '/api/approvals',
    post({ decision_id: 'dec_missing' }, as('dev@acme.example')),
  );
  expect(unknown.status).toBe(404);
  const external = await app.request(
    '/api/approvals',
    post(
      {
        decision: {
          decision_id: 'dec_ext',
          rule_id: 'mcp.registry.tool_scope',
          target: 'github:delete_repo',
          severity: 'medium',
        },
      },
      as('dev@acme.example'),
    ),
  );
  expect(await json<Approval>(external)).toMatchObject({
    approver_group: 'AI Governance',
    routing: { routed_by: 'rule' },
  });
  const unroutable = await app.request(
    '/api/approvals',
    post({ decision: { decision_id: 'dec_x', rule_id: 'x' } }, as('dev@acme.example')),
  );
  expect(unroutable.status).toBe(400);
  expect((await json<ErrorBody>(unroutable)).error.code).toBe('approver_group_required');
  const impersonating = await app.request(
    '/api/approvals',
    post({ decision_id: 'dec_ext', requested_by: 'someone.else' }, as('dev@acme.example')),
  );
  expect(impersonating.status).toBe(403);
});

test('attach-decision returns the decision with the approval summary and merged evidence refs', async () => {
  const { app } = await setup();
  const { decision, id } = await requestApproval(app);
  await app.request(
    `/api/approvals/${id}/approve`,
    post({ reason: 'ok', external_ref: 'CHG-1' }, as('iam.lead@acme.example')),
  );
  const attached = await json<Decision & { approval: Record<string, unknown> }>(
    await app.request(`/api/approvals/${id}/attach-decision`, { method: 'POST' }),
  );
  expect(attached.evidence_refs).toEqual([...decision.evidence_refs, `approval://${id}`]);
  expect(attached.approval).toEqual({
    approval_id: id,
    decision_id: decision.decision_id,
    session_id: 'sess_1',
    state: 'approved',
    approver_group: 'IAM',
    requested_by: 'dev@acme.example',
    requested_at: '2026-05-21T15:40:00.000000+00:00',
    expires_at: '2026-05-22T15:40:00.000000+00:00',
    decided_by: 'iam.lead@acme.example',
    decided_at: '2026-05-21T15:40:00.000000+00:00',
    external_ref: 'CHG-1',
    break_glass: false,
    evidence_refs: [`approval://${id}`, ...decision.evidence_refs],
  });
  const other = await app.request(
    `/api/approvals/${id}/attach-decision`,
    postJson({ decision_id: 'dec_other' }),
  );
  expect(other.status).toBe(400);
});

test('deliver without configured providers is a 400 naming the setting', async () => {
  const { app } = await setup();
  const { id } = await requestApproval(app);
  const response = await app.request(`/api/approvals/${id}/deliver`, post({}, as('iam.lead@acme.example')));
  expect(response.status).toBe(400);
  expect((await json<ErrorBody>(response)).error.message).toContain('CAVRA_APPROVAL_PROVIDER_CONFIG');
});

test('every transition is on the evidence chain, which verifies; the OpenAPI document lists the routes', async () => {
  const { app } = await setup();
  const { id } = await requestApproval(app);
  await app.request(`/api/approvals/${id}/approve`, post({ reason: 'ok' }, as('iam.lead@acme.example')));
  await app.request('/api/evidence/checkpoints', { method: 'POST' });
  const report = await json<LogVerification>(await app.request('/api/evidence/verify'));
  expect(report.errors).toEqual([]);
  expect(report.checked).toMatchObject({ entries: 3 });
  const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
    await app.request('/api/openapi.json'),
  );
  for (const path of [
    '/approvals',
    '/approvals/break-glass',
    '/approvals/{approval_id}',
    '/approvals/{approval_id}/approve',
    '/approvals/{approval_id}/deny',
    '/approvals/{approval_id}/expire',
    '/approvals/{approval_id}/review',
    '/approvals/{approval_id}/attach-decision',
    '/approvals/{approval_id}/deliver',
    '/approvals/{approval_id}/deliveries',
  ]) {
    expect(doc.paths[path], path).toBeDefined();
  }
});
