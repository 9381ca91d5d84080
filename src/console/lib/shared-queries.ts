/**
 * Queries more than one feature reads (features never import each other): one key factory and one
 * `queryOptions` per resource, so caches are shared and invalidation is exact.
 */
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './api-client';
import type {
  Approval,
  ConsoleSession,
  Decision,
  EvidenceStatus,
  Health,
  InclusionProofs,
  Page,
  PolicyPackSummary,
  TrustRoot,
} from './api-types';

export const sharedKeys = {
  health: () => ['health'] as const,
  consoleSession: () => ['console', 'session'] as const,
  decision: (id: string) => ['decisions', 'detail', id] as const,
  proof: (decisionId: string) => ['evidence', 'proof', decisionId] as const,
  evidenceStatus: () => ['evidence', 'status'] as const,
  trustRoots: () => ['evidence', 'trust-roots'] as const,
  approvalsForDecision: (decisionId: string) => ['approvals', 'for-decision', decisionId] as const,
};

export const healthQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: sharedKeys.health(),
    queryFn: ({ signal }) => api.get<Health>('/health', {}, signal),
  });

export const consoleSessionQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: sharedKeys.consoleSession(),
    queryFn: ({ signal }) => api.get<ConsoleSession>('/console/session', {}, signal),
    staleTime: 60_000,
  });

export const decisionQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: sharedKeys.decision(id),
    queryFn: ({ signal }) => api.get<Decision>(`/decisions/${encodeURIComponent(id)}`, {}, signal),
    staleTime: Infinity,
  });

export const proofQuery = (api: ApiClient, decisionId: string) =>
  queryOptions({
    queryKey: sharedKeys.proof(decisionId),
    queryFn: ({ signal }) =>
      api.get<InclusionProofs>(`/evidence/proof/${encodeURIComponent(decisionId)}`, {}, signal),
  });

export const evidenceStatusQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: sharedKeys.evidenceStatus(),
    queryFn: ({ signal }) => api.get<EvidenceStatus>('/evidence', { limit: 1 }, signal),
  });

export const trustRootsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: sharedKeys.trustRoots(),
    queryFn: ({ signal }) => api.get<Page<TrustRoot>>('/evidence/trust-roots', {}, signal),
    staleTime: 5 * 60_000,
  });

/**
 * The approvals that belong to a decision. Sent as a `decision_id` filter and checked again here, so a server
 * that ignores the filter still gives the right answer.
 */
export const approvalsForDecisionQuery = (api: ApiClient, decisionId: string) =>
  queryOptions({
    queryKey: sharedKeys.approvalsForDecision(decisionId),
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<Approval>>(
        '/approvals',
        { decision_id: decisionId, limit: 500 },
        signal,
      );
      return page.items.filter((approval) => approval.decision_id === decisionId);
    },
  });

export const policyPacksQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['policy-packs', 'list'] as const,
    queryFn: ({ signal }) => api.get<Page<PolicyPackSummary>>('/policy-packs', {}, signal),
    staleTime: 5 * 60_000,
  });

/** Pending approvals (the nav badge and the overview). */
export const pendingApprovalsQuery = (api: ApiClient, limit = 1) =>
  queryOptions({
    queryKey: ['approvals', 'list', { state: 'pending', approver_group: '', limit }] as const,
    queryFn: ({ signal }) => api.get<Page<Approval>>('/approvals', { state: 'pending', limit }, signal),
    refetchInterval: 30_000,
  });
