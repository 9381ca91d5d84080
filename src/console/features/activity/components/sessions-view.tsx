/** The sessions table: one row per agent session, its counts, and a link to its decisions. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { DataTable } from '../../../components/ui/data-table';
import { Tag } from '../../../components/ui/pill';
import { EmptyState, QueryView } from '../../../components/ui/states';
import type { SessionSummary } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { formatTime } from '../../../lib/format';
import { formatSort, parseSort, useUrlFilters } from '../../../lib/url-state';
import { sessionsQuery } from '../api/get-activity';
import { FilterBar, type FilterField } from './filter-bar';

const FILTER_KEYS = ['state', 'agent_id', 'repository', 'policy_pack'] as const;
const FIELDS: readonly FilterField[] = [
  {
    key: 'state',
    label: 'State',
    kind: 'select',
    options: ['active', 'completed', 'failed', 'archived'].map((s) => ({ value: s, label: s })),
  },
  { key: 'agent_id', label: 'Agent', kind: 'text' },
  { key: 'repository', label: 'Repository', kind: 'text' },
  { key: 'policy_pack', label: 'Policy pack', kind: 'text' },
];

const column = createColumnHelper<SessionSummary>();
const COLUMNS = [
  column.accessor('session_id', {
    header: 'Session',
    cell: (c) => (
      <button type="button" className="font-mono text-xs text-teal-800 underline dark:text-teal-300">
        {c.getValue()}
      </button>
    ),
  }),
  column.accessor('repository', { header: 'Repository' }),
  column.accessor('agent_id', { header: 'Agent' }),
  column.accessor('state', { header: 'State', cell: (c) => <Tag>{c.getValue()}</Tag> }),
  column.accessor('decision_count', { header: 'Decisions' }),
  column.accessor('blocked_count', { header: 'Blocked' }),
  column.accessor('approval_required_count', { header: 'Approvals' }),
  column.accessor('policy_pack', { header: 'Policy pack' }),
  column.accessor('updated_at', { header: 'Updated', cell: (c) => formatTime(c.getValue()) }),
];

export function SessionsView() {
  const api = useApi();
  const navigate = useNavigate();
  const { filters, setFilter, params, setParam } = useUrlFilters(FILTER_KEYS);
  const query = useInfiniteQuery(sessionsQuery(api, filters));
  const sorting = parseSort(params.get('sort'));
  return (
    <>
      <FilterBar
        fields={FIELDS}
        values={filters}
        onChange={(key, value) => {
          setFilter(key as (typeof FILTER_KEYS)[number], value);
        }}
      />
      <QueryView query={query} what="sessions">
        {(data) => {
          const rows = data.pages.flatMap((page) => page.items);
          if (rows.length === 0)
            return (
              <EmptyState title="No sessions match">Sessions appear when agents make decisions.</EmptyState>
            );
          return (
            <DataTable
              caption="Sessions"
              columns={COLUMNS}
              rows={rows}
              total={data.pages[0]?.total ?? 0}
              getRowId={(row) => row.session_id}
              sorting={sorting}
              onSortingChange={(updater) => {
                setParam('sort', formatSort(typeof updater === 'function' ? updater(sorting) : updater));
              }}
              onOpen={(row) =>
                void navigate(`/activity/decisions?session_id=${encodeURIComponent(row.session_id)}`)
              }
              hasMore={query.hasNextPage}
              isLoadingMore={query.isFetchingNextPage}
              onLoadMore={() => void query.fetchNextPage()}
            />
          );
        }}
      </QueryView>
    </>
  );
}
