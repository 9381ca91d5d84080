/** The overview's numbers, each from the API (never hard-coded): totals by outcome and the recent decisions. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Decision, Outcome, Page } from '../../../lib/api-types';

export const RECENT_LIMIT = 500;

export const overviewKeys = {
  outcomeTotal: (outcome: Outcome | 'all') => ['decisions', 'total', outcome] as const,
  recent: () => ['decisions', 'recent', RECENT_LIMIT] as const,
};

/** How many decisions have this outcome (the list's `total`, one row fetched). */
export const outcomeTotalQuery = (api: ApiClient, outcome: Outcome | 'all') =>
  queryOptions({
    queryKey: overviewKeys.outcomeTotal(outcome),
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<Decision>>(
        '/decisions',
        { limit: 1, ...(outcome === 'all' ? {} : { decision: outcome }) },
        signal,
      );
      return page.total;
    },
  });

export const recentDecisionsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: overviewKeys.recent(),
    queryFn: ({ signal }) => api.get<Page<Decision>>('/decisions', { limit: RECENT_LIMIT }, signal),
  });
