/** The decisions table: filters, sort and the open decision in the URL; pages load as the table scrolls. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { DataTable } from '../../../components/ui/data-table';
import { OutcomePill, SeverityPill } from '../../../components/ui/pill';
import { EmptyState, QueryView } from '../../../components/ui/states';
import type { Decision } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { describeAction } from '../../../lib/describe-action';
import { formatTime } from '../../../lib/format';
import { OUTCOME_LOOK, OUTCOMES, SEVERITIES } from '../../../lib/outcomes';
import { formatSort, parseSort, useUrlFilters } from '../../../lib/url-state';
import { DECISION_SERVER_SORT, decisionSortParam, decisionsQuery } from '../api/get-activity';
import type { DecisionFilters } from '../api/keys';
import { DecisionDrawer } from './decision-drawer';
import { FilterBar, type FilterField } from './filter-bar';

const FILTER_KEYS = [
  'decision',
  'severity',
  'action_type',
  'session_id',
  'agent_id',
  'repository',
  'policy_pack',
] as const;

const ACTION_TYPES = [
  'read_file',
  'write_file',
  'execute_command',
  'git_operation',
  'mcp_tool_call',
  'pull_request',
  'release_governance_record',
];

const FIELDS: readonly FilterField[] = [
  {
    key: 'decision',
    label: 'Decision',
    kind: 'select',
    options: OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LOOK[o].label })),
  },
  {
    key: 'severity',
    label: 'Severity',
    kind: 'select',
    options: SEVERITIES.map((s) => ({ value: s, label: s })),
  },
  {
    key: 'action_type',
    label: 'Action',
    kind: 'select',
    options: ACTION_TYPES.map((a) => ({ value: a, label: a })),
  },
  { key: 'session_id', label: 'Session', kind: 'text' },
  { key: 'agent_id', label: 'Agent', kind: 'text' },
  { key: 'repository', label: 'Repository', kind: 'text' },
  { key: 'policy_pack', label: 'Policy pack', kind: 'text' },
];

const SERVER_SORTABLE: ReadonlySet<string> = new Set(DECISION_SERVER_SORT.keys());

const column = createColumnHelper<Decision>();
const COLUMNS = [
  column.accessor('timestamp', { header: 'Time', cell: (c) => formatTime(c.getValue()) }),
  column.accessor('decision', {
    header: 'Decision',
    cell: (c) => (
      <button
        type="button"
        className="rounded focus-visible:outline-2 focus-visible:outline-teal-600"
        aria-label={`Open decision ${c.row.original.decision_id}`}
      >
        <OutcomePill outcome={c.getValue()} />
      </button>
    ),
  }),
  column.accessor('severity', { header: 'Severity', cell: (c) => <SeverityPill severity={c.getValue()} /> }),
  column.accessor((d) => describeAction(d).verb, { id: 'action', header: 'Action' }),
  column.accessor('target', {
    header: 'Target',
    cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span>,
  }),
  column.accessor('rule_id', {
    header: 'Rule',
    cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span>,
  }),
  column.accessor('agent_id', { header: 'Agent' }),
  column.accessor((d) => d.repository ?? '', { id: 'repository', header: 'Repository' }),
  column.accessor('session_id', { header: 'Session' }),
];

export function DecisionsView() {
  const api = useApi();
  const { filters, setFilter, params, setParam } = useUrlFilters(FILTER_KEYS);
  const sorting = parseSort(params.get('sort'));
  const query = useInfiniteQuery(
    decisionsQuery(api, filters satisfies DecisionFilters, decisionSortParam(sorting)),
  );
  const openId = params.get('open');
  const activeFilters = FILTER_KEYS.filter((key) => filters[key] !== '');
  return (
    <>
      <FilterBar
        fields={FIELDS}
        values={filters}
        onChange={(key, value) => {
          setFilter(key as (typeof FILTER_KEYS)[number], value);
        }}
      />
      <QueryView query={query} what="decisions">
        {(data) => {
          const rows = data.pages.flatMap((page) => page.items);
          const total = data.pages[0]?.total ?? 0;
          if (rows.length === 0) {
            return (
              <EmptyState
                title={activeFilters.length > 0 ? 'No decision matches these filters' : 'No decisions yet'}
              >
                {activeFilters.length > 0
                  ? `Filtered by ${activeFilters.join(', ')}. Clear a filter to see more.`
                  : 'Decisions appear here when an agent asks CAVRA (POST /api/decisions).'}
              </EmptyState>
            );
          }
          return (
            <DataTable
              caption="Decisions"
              columns={COLUMNS}
              rows={rows}
              total={total}
              getRowId={(row) => row.decision_id}
              sorting={sorting}
              serverSortable={SERVER_SORTABLE}
              onSortingChange={(updater) => {
                const next = typeof updater === 'function' ? updater(sorting) : updater;
                setParam('sort', formatSort(next));
              }}
              onOpen={(row) => {
                setParam('open', row.decision_id);
              }}
              selectedId={openId}
              hasMore={query.hasNextPage}
              isLoadingMore={query.isFetchingNextPage}
              onLoadMore={() => void query.fetchNextPage()}
            />
          );
        }}
      </QueryView>
      <DecisionDrawer
        decisionId={openId}
        onClose={() => {
          setParam('open', null);
        }}
      />
    </>
  );
}
