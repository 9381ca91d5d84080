/**
 * Evidence and approvals in the local store (`.cavra/cavra.db`, or any store the CLI opens): the same log
 * `cavra evaluate --record` appends to, so `cavra evidence verify` checks MCP decisions with the rest.
 */
import { routeApproval, type Decision, type JsonObject } from '../../engine';
import type { ApprovalRecord, Store } from '../../store';
import type { ApprovalBroker, ApprovalContext, EvidenceSink } from './ports';

/** The evidence sink over an open store. `now` stamps the entries. */
export function storeEvidence(store: Store, label: string, now: () => Date): EvidenceSink {
  return {
    label,
    recordDecision: async (decision) => {
      await store.evidence.appendDecision(decision, now().toISOString());
    },
    recordEvent: async (payload) => {
      await store.evidence.append('operations', payload, now().toISOString());
    },
    getDecision: (decisionId) => store.decisions.get(decisionId),
    getSession: (sessionId) => store.sessions.get(sessionId),
  };
}

/** How long a local approval stays valid, by default (upstream §2.2: 24 h). */
export const DEFAULT_APPROVAL_TTL_HOURS = 24;

/**
 * Approvals kept in the local store: created `pending` (`cavra.approval.v1`, upstream §2.1) and appended to the
 * evidence log as an `approval` entry in the same unit of work; a human decides them through the API or
 * console running on the same store.
 */
export function storeApprovals(
  store: Store,
  label: string,
  now: () => Date,
  randomHex12: () => string,
): ApprovalBroker {
  return {
    label,
    request: async (decision, context) => {
      const approval = newApproval(decision, context, now(), `apr_${randomHex12()}`);
      await store.transaction(async (tx) => {
        if (!(await tx.approvals.create(approval)))
          throw new Error(`approval ${approval.approval_id} exists`);
        await tx.evidence.append('approval', approval as JsonObject, approval.requested_at);
      });
      return approval;
    },
    get: (approvalId) => store.approvals.get(approvalId),
  };
}

/** A pending approval for `decision`, routed with the built-in rules (upstream §2.3). */
export function newApproval(
  decision: Decision,
  context: ApprovalContext,
  at: Date,
  approvalId: string,
): ApprovalRecord {
  const requestedAt = at.toISOString();
  const expiresAt = new Date(at.getTime() + Math.max(1, context.ttl_hours) * 3_600_000).toISOString();
  return {
    schema_version: 'cavra.approval.v1',
    product: 'cavra',
    approval_id: approvalId,
    decision_id: decision.decision_id,
    session_id: decision.session_id,
    correlation_id: decision.correlation_id,
    state: 'pending',
    approver_group: routeApproval(decision)?.approver_group ?? 'AI Governance',
    requested_by: context.requested_by,
    requested_at: requestedAt,
    expires_at: expiresAt,
    decision,
    history: [
      { event: 'requested', actor: context.requested_by, timestamp: requestedAt, reason: decision.reason },
    ],
    evidence_refs: [`approval://${approvalId}`, ...decision.evidence_refs],
    mcp_call: { server: context.server, tool: context.tool, call_fingerprint: context.call_fingerprint },
  };
}
