/** Shareable view state lives in the URL (STYLE.md §6): helpers over react-router's search params. */
import type { SortingState } from '@tanstack/react-table';
import { useSearchParams } from 'react-router';

/** Reads a set of string filters from the URL and writes them back (empty values are removed). */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>;
  const setFilter = (key: K, value: string) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };
  const setParam = (key: string, value: string | null) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: false },
    );
  };
  return { filters, setFilter, params, setParam };
}

/** `sort=timestamp.desc` ⇄ TanStack's sorting state. */
export function parseSort(value: string | null): SortingState {
  if (!value) return [];
  const [id, direction] = value.split('.');
  return id ? [{ id, desc: direction === 'desc' }] : [];
}

export function formatSort(sorting: SortingState): string | null {
  const first = sorting[0];
  return first ? `${first.id}.${first.desc ? 'desc' : 'asc'}` : null;
}
