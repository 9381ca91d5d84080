/**
 * The gateway's side of approvals: one approval per distinct call (same server, tool and arguments), requested
 * once, then read on every retry; in `wait` mode, polled until a human decides or the time is up.
 */
import type { Decision } from '../../engine';
import type { ApprovalRecord } from '../../store';
import type { ApprovalBroker, ApprovalContext } from './ports';

/** What the gateway does with the call. */
export type ApprovalOutcome =
  | { kind: 'approved'; approvalId: string }
  | { kind: 'pending'; approvalId: string; approverGroup: string; waitedMs?: number }
  | { kind: 'closed'; approvalId: string; state: string; by?: string; reason?: string }
  | { kind: 'failed'; message: string };

export type ApprovalRequest = {
  broker: ApprovalBroker;
  /** Approvals requested earlier, by call fingerprint (updated here). */
  known: Map<string, string>;
  fingerprint: string;
  decision: Decision;
  context: ApprovalContext;
  /** Present in `wait` mode. */
  wait: { timeoutMs: number; pollMs: number; sleep: (ms: number) => Promise<void> } | undefined;
};

/**
 * Finds or requests the approval of this call and says what to do. An approval is used once: after an
 * approved call is forwarded, the same call needs a new approval. A denied or expired approval is reported
 * once; the next identical call requests a new one.
 */
export async function awaitApproval(request: ApprovalRequest): Promise<ApprovalOutcome> {
  const { broker, known, fingerprint, wait } = request;
  let record: ApprovalRecord | null;
  try {
    const knownId = known.get(fingerprint);
    record = knownId === undefined ? null : await broker.get(knownId);
    if (record === null) {
      record = await broker.request(request.decision, request.context);
      known.set(fingerprint, record.approval_id);
    }
    const started = Date.now();
    while (wait !== undefined && record.state === 'pending' && Date.now() - started < wait.timeoutMs) {
      await wait.sleep(Math.min(wait.pollMs, Math.max(0, wait.timeoutMs - (Date.now() - started))));
      record = (await broker.get(record.approval_id)) ?? record;
    }
    return settle(record, known, fingerprint, wait === undefined ? undefined : Date.now() - started);
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

function settle(
  record: ApprovalRecord,
  known: Map<string, string>,
  fingerprint: string,
  waitedMs: number | undefined,
): ApprovalOutcome {
  const approvalId = record.approval_id;
  // A pending approval past its expiry can no longer be granted (the API's sweeper would expire it).
  const isOverdue = record.state === 'pending' && Date.parse(record.expires_at) <= Date.now();
  switch (isOverdue ? 'expired' : record.state) {
    case 'pending':
      return {
        kind: 'pending',
        approvalId,
        approverGroup: record.approver_group,
        ...(waitedMs !== undefined && { waitedMs }),
      };
    case 'approved':
    case 'break_glass':
      known.delete(fingerprint);
      return { kind: 'approved', approvalId };
    default: {
      known.delete(fingerprint);
      const reason = record['decision_reason'];
      return {
        kind: 'closed',
        approvalId,
        state: isOverdue ? 'expired' : record.state,
        ...(typeof record.decided_by === 'string' && { by: record.decided_by }),
        ...(typeof reason === 'string' && { reason }),
      };
    }
  }
}
