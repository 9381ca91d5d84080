/**
 * Approve, deny, expire, review a break-glass, and break glass: each a POST with a reason, then the inbox,
 * the totals, the detail and the decision's linked approvals are refetched.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Approval } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { approvalKeys } from './keys';

export type ApprovalAction = 'approve' | 'deny' | 'expire' | 'review';

export type ActInput = { approvalId: string; action: ApprovalAction; reason: string; externalRef: string };

function useInvalidateApprovals() {
  const queryClient = useQueryClient();
  return (approval: Approval) => {
    queryClient.setQueryData(approvalKeys.detail(approval.approval_id), approval);
    void queryClient.invalidateQueries({ queryKey: approvalKeys.all });
  };
}

export function useActOnApproval() {
  const api = useApi();
  const invalidate = useInvalidateApprovals();
  return useMutation({
    mutationFn: ({ approvalId, action, reason, externalRef }: ActInput) =>
      api.post<Approval>(`/approvals/${encodeURIComponent(approvalId)}/${action}`, {
        reason,
        ...(externalRef ? { external_ref: externalRef } : {}),
      }),
    onSuccess: invalidate,
  });
}

/** The decision is named by id: the server reads the stored decision rather than trusting a copy. */
export type BreakGlassInput = { decisionId: string; reason: string; externalRef: string; ttlHours: number };

export function useBreakGlass() {
  const api = useApi();
  const invalidate = useInvalidateApprovals();
  return useMutation({
    mutationFn: ({ decisionId, reason, externalRef, ttlHours }: BreakGlassInput) =>
      api.post<Approval>('/approvals/break-glass', {
        decision_id: decisionId,
        reason,
        external_ref: externalRef,
        ttl_hours: ttlHours,
      }),
    onSuccess: invalidate,
  });
}
