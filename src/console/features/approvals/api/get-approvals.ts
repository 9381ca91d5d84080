/** The inbox (paged list, totals per state) and one approval. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Approval, Page } from '../../../lib/api-types';
import { approvalKeys, type ApprovalFilters } from './keys';

const PAGE_SIZE = 200;

export const approvalsQuery = (api: ApiClient, filters: ApprovalFilters) =>
  infiniteQueryOptions({
    queryKey: approvalKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Approval>>('/approvals', { ...filters, limit: PAGE_SIZE, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.items.length, 0);
      return loaded < last.total && last.items.length > 0 ? loaded : undefined;
    },
    refetchInterval: 30_000,
  });

/** How many approvals are in a state ('' for all): the list's total, one row fetched. */
export const approvalStateTotalQuery = (api: ApiClient, state: string) =>
  queryOptions({
    queryKey: approvalKeys.stateTotal(state),
    queryFn: async ({ signal }) =>
      (await api.get<Page<Approval>>('/approvals', { state, limit: 1 }, signal)).total,
    refetchInterval: 30_000,
  });

export const approvalQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: approvalKeys.detail(id),
    queryFn: ({ signal }) => api.get<Approval>(`/approvals/${encodeURIComponent(id)}`, {}, signal),
  });
