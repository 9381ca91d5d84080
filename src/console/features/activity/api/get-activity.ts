/** Decisions and sessions, paged from the server (500 at a time, the API's maximum) as the table scrolls. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Decision, Page, SessionSummary } from '../../../lib/api-types';
import { activityKeys, type DecisionFilters, type SessionFilters } from './keys';

export const PAGE_SIZE = 500;

function nextOffset<T>(last: Page<T>, pages: Page<T>[]): number | undefined {
  const loaded = pages.reduce((sum, page) => sum + page.items.length, 0);
  return loaded < last.total && last.items.length > 0 ? loaded : undefined;
}

export const decisionsQuery = (api: ApiClient, filters: DecisionFilters) =>
  infiniteQueryOptions({
    queryKey: activityKeys.decisions(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Decision>>('/decisions', { ...filters, limit: PAGE_SIZE, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
  });

export const sessionsQuery = (api: ApiClient, filters: SessionFilters) =>
  infiniteQueryOptions({
    queryKey: activityKeys.sessions(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<SessionSummary>>('/sessions', { ...filters, limit: PAGE_SIZE, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
  });

export const sessionQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: activityKeys.session(id),
    queryFn: ({ signal }) => api.get<SessionSummary>(`/sessions/${encodeURIComponent(id)}`, {}, signal),
  });
