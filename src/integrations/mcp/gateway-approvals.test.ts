import { expect, test } from 'vitest';
import type { Decision } from '../../engine';
import type { ApprovalRecord, ApprovalState } from '../../store';
import { awaitApproval, type ApprovalRequest } from './gateway-approvals';
import type { ApprovalBroker } from './ports';

/** A broker over a map; `script` changes states as the gateway polls. */
function memoryBroker(): ApprovalBroker & { records: Map<string, ApprovalRecord>; requests: number } {
  const records = new Map<string, ApprovalRecord>();
  const broker = {
    label: 'memory',
    records,
    requests: 0,
    request: (decision: Decision) => {
      broker.requests += 1;
      const record: ApprovalRecord = {
        approval_id: `apr_${String(broker.requests).padStart(12, '0')}`,
        decision_id: decision.decision_id,
        state: 'pending',
        approver_group: 'AI Governance',
        requested_at: '2026-11-25T12:00:00Z',
        expires_at: '2999-01-01T00:00:00Z',
      };
      records.set(record.approval_id, record);
      return Promise.resolve(record);
    },
    get: (id: string) => Promise.resolve(records.get(id) ?? null),
  };
  return broker;
}

function setState(
  broker: ReturnType<typeof memoryBroker>,
  id: string,
  state: ApprovalState,
  by?: string,
): void {
  const record = broker.records.get(id);
  if (record !== undefined)
    broker.records.set(id, { ...record, state, decided_by: by ?? null, decision_reason: 'why' });
}

function request(
  broker: ApprovalBroker,
  known: Map<string, string>,
  wait?: ApprovalRequest['wait'],
): ApprovalRequest {
  return {
    broker,
    known,
    fingerprint: 'fp',
    decision: { decision_id: 'dec_1' } as Decision,
    context: { server: 's', tool: 't', call_fingerprint: 'fp', requested_by: 'agent', ttl_hours: 24 },
    wait,
  };
}

test('pending mode: one approval per call until it is decided; an approval is used once', async () => {
  const broker = memoryBroker();
  const known = new Map<string, string>();
  const first = await awaitApproval(request(broker, known));
  expect(first).toEqual({ kind: 'pending', approvalId: 'apr_000000000001', approverGroup: 'AI Governance' });
  expect(await awaitApproval(request(broker, known))).toMatchObject({
    kind: 'pending',
    approvalId: 'apr_000000000001',
  });
  expect(broker.requests).toBe(1);
  setState(broker, 'apr_000000000001', 'approved', 'alice');
  expect(await awaitApproval(request(broker, known))).toEqual({
    kind: 'approved',
    approvalId: 'apr_000000000001',
  });
  expect(await awaitApproval(request(broker, known))).toMatchObject({
    kind: 'pending',
    approvalId: 'apr_000000000002',
  });
  setState(broker, 'apr_000000000002', 'denied', 'bob');
  expect(await awaitApproval(request(broker, known))).toEqual({
    kind: 'closed',
    approvalId: 'apr_000000000002',
    state: 'denied',
    by: 'bob',
    reason: 'why',
  });
  expect(known.size).toBe(0);
});

test('wait mode polls until a decision, and gives up at the timeout', async () => {
  const broker = memoryBroker();
  let polls = 0;
  const sleep = (): Promise<void> => {
    polls += 1;
    if (polls === 3) setState(broker, 'apr_000000000001', 'approved');
    return Promise.resolve();
  };
  const approved = await awaitApproval(request(broker, new Map(), { timeoutMs: 60_000, pollMs: 10, sleep }));
  expect(approved).toEqual({ kind: 'approved', approvalId: 'apr_000000000001' });
  expect(polls).toBe(3);

  const slow = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const timedOut = await awaitApproval(
    request(memoryBroker(), new Map(), { timeoutMs: 50, pollMs: 10, sleep: slow }),
  );
  expect(timedOut).toMatchObject({ kind: 'pending' });
  expect(timedOut.kind === 'pending' ? timedOut.waitedMs : 0).toBeGreaterThanOrEqual(50);
});

test('a broker failure is an outcome, not an exception', async () => {
  const broker: ApprovalBroker = {
    label: 'down',
    request: () => Promise.reject(new Error('HTTP 503')),
    get: () => Promise.resolve(null),
  };
  expect(await awaitApproval(request(broker, new Map()))).toEqual({ kind: 'failed', message: 'HTTP 503' });
});

test('a pending approval past its expiry counts as expired; the next call asks anew', async () => {
  const broker = memoryBroker();
  const known = new Map<string, string>();
  await awaitApproval(request(broker, known));
  const record = broker.records.get('apr_000000000001');
  if (record !== undefined)
    broker.records.set(record.approval_id, { ...record, expires_at: '2020-01-01T00:00:00Z' });
  expect(await awaitApproval(request(broker, known))).toMatchObject({ kind: 'closed', state: 'expired' });
  expect(await awaitApproval(request(broker, known))).toMatchObject({
    kind: 'pending',
    approvalId: 'apr_000000000002',
  });
});
