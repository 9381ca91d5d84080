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

/** Table columns the API sorts on (`GET /decisions?sort=`), by column id → API sort key. */
export const DECISION_SERVER_SORT: ReadonlyMap<string, string> = new Map([
  ['timestamp', 'timestamp'],
  ['decision', 'decision'],
  ['severity', 'severity'],
  ['action', 'action_type'],
  ['target', 'target'],
  ['rule_id', 'rule_id'],
  ['agent_id', 'agent_id'],
  ['repository', 'repository'],
  ['session_id', 'session_id'],
]);

/** `sort` for the API from the table's sort state (`severity.desc` → `-severity`), or undefined. */
export function decisionSortParam(sorting: { id: string; desc: boolean }[]): string | undefined {
  const first = sorting[0];
  const key = first === undefined ? undefined : DECISION_SERVER_SORT.get(first.id);
  if (first === undefined || key === undefined) return undefined;
  return first.desc ? `-${key}` : key;
}

export const decisionsQuery = (api: ApiClient, filters: DecisionFilters, sort?: string) =>
  infiniteQueryOptions({
    queryKey: [...activityKeys.decisions(filters), sort ?? ''] as const,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Decision>>(
        '/decisions',
        { ...filters, ...(sort === undefined ? {} : { sort }), limit: PAGE_SIZE, offset: pageParam },
        signal,
      ),
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
