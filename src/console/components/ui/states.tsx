/**
 * Loading, empty and error states. An error always says what failed and offers a retry; an API that is down
 * says so plainly. Nothing ever falls back to sample data (issue 5).
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../../lib/api-client';
import { Button } from './button';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 p-4 text-sm text-slate-600 dark:text-slate-400"
    >
      <span aria-hidden="true" className="size-3 animate-pulse rounded-full bg-teal-600" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
      <p className="font-medium text-slate-800 dark:text-slate-200">{title}</p>
      {children ? <div className="mt-1">{children}</div> : null}
    </div>
  );
}

function errorTitle(error: unknown, what: string): string {
  if (error instanceof ApiError) {
    if (error.isUnreachable) return 'The CAVRA API is unreachable';
    if (error.isNotServed) return `This server does not serve ${what} yet`;
    if (error.status === 401) return 'Sign-in required';
    if (error.status === 403) return 'Not permitted';
  }
  return `Could not load ${what}`;
}

export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const status =
    error instanceof ApiError && error.status > 0 ? ` (HTTP ${error.status}, ${error.code})` : '';
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{errorTitle(error, what)}</p>
      <p className="mt-1 break-words">
        {errorMessage(error)}
        {status}
      </p>
      {error instanceof ApiError && error.isNotServed ? (
        <p className="mt-1">The endpoint {error.path} answered 404. No sample data is shown in its place.</p>
      ) : null}
      {onRetry ? (
        <Button className="mt-3" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

/** Renders a query's loading, error or data state. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState label={`Loading ${what}…`} />;
  if (query.isError)
    return <ErrorState error={query.error} what={what} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
