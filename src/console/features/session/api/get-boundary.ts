import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { SecurityBoundary } from '../../../lib/api-types';

export const boundaryQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['console', 'security-boundary'] as const,
    queryFn: ({ signal }) => api.get<SecurityBoundary>('/console/security-boundary', {}, signal),
    staleTime: 60_000,
  });

/** Production readiness, when the server serves it (its path comes from /console/config). */
export const readinessQuery = (api: ApiClient, path: string) =>
  queryOptions({
    queryKey: ['deployment', 'readiness', path] as const,
    queryFn: ({ signal }) => api.get<{ status?: string; checks?: unknown }>(path, {}, signal),
  });
