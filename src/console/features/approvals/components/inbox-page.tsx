/**
 * The approvals inbox: counts by state (and by group for the loaded rows), filters in the URL, and the
 * keyboard: j/k move, Enter opens, a/d open the approve/deny dialog of the selected request.
 */
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { PageHeader } from '../../../components/ui/layout';
import { ApprovalStatePill, OutcomePill, SeverityPill } from '../../../components/ui/pill';
import { EmptyState, ErrorState, QueryView } from '../../../components/ui/states';
import type { Approval } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { formatDuration, formatRelative } from '../../../lib/format';
import { APPROVAL_STATE_LOOK, APPROVAL_STATES } from '../../../lib/outcomes';
import { useUrlFilters } from '../../../lib/url-state';
import { approvalStateTotalQuery, approvalsQuery } from '../api/get-approvals';
import { useNow } from '../../../lib/use-now';

const FILTER_KEYS = ['state', 'approver_group', 'review_state'] as const;

function StateCounts({ current, onPick }: { current: string; onPick: (state: string) => void }) {
  const api = useApi();
  const states = ['', ...APPROVAL_STATES];
  const totals = useQueries({ queries: states.map((state) => approvalStateTotalQuery(api, state)) });
  const failed = totals.find((q) => q.isError);
  if (failed)
    return (
      <ErrorState
        error={failed.error}
        what="approvals"
        onRetry={() => {
          totals.forEach((q) => void q.refetch());
        }}
      />
    );
  return (
    <div role="group" aria-label="Filter by state" className="mb-3 flex flex-wrap gap-2">
      {states.map((state, i) => (
        <Button
          key={state || 'all'}
          variant={current === state ? 'primary' : 'secondary'}
          aria-pressed={current === state}
          onClick={() => {
            onPick(state);
          }}
        >
          {state ? APPROVAL_STATE_LOOK[state as keyof typeof APPROVAL_STATE_LOOK].label : 'all'}
          <span className="tabular-nums">{totals[i]?.data ?? '…'}</span>
        </Button>
      ))}
    </div>
  );
}

function Row({
  approval,
  isSelected,
  now,
  onSelect,
}: {
  approval: Approval;
  isSelected: boolean;
  now: number;
  onSelect: () => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  // Keyboard selection (j/k) moves through a long list: keep the selected request on screen.
  useEffect(() => {
    if (isSelected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [isSelected]);
  const expires = new Date(approval.expires_at).getTime();
  const isOverdue = approval.state === 'pending' && expires < now;
  return (
    <li
      ref={ref}
      aria-current={isSelected ? 'true' : undefined}
      onClick={onSelect}
      className={`rounded-md border p-3 text-sm ${isSelected ? 'border-teal-600 bg-teal-50 dark:bg-teal-950/40' : 'border-slate-200 dark:border-slate-800'}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <ApprovalStatePill state={approval.state} />
        {approval.decision.decision ? <OutcomePill outcome={approval.decision.decision} /> : null}
        {approval.decision.severity ? <SeverityPill severity={approval.decision.severity} /> : null}
        <Link
          to={`/approvals/${approval.approval_id}`}
          className="font-mono text-xs text-teal-800 underline dark:text-teal-300"
        >
          {approval.approval_id}
        </Link>
        <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">{approval.approver_group}</span>
      </div>
      <p className="mt-1 font-mono text-xs break-all">{approval.decision.target ?? approval.decision_id}</p>
      <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
        requested by {approval.requested_by ?? 'unknown'} {formatRelative(approval.requested_at, now)}
        {approval.state === 'pending'
          ? isOverdue
            ? ` · overdue: expired ${formatRelative(approval.expires_at, now)}`
            : ` · expires in ${formatDuration(expires - now)}`
          : ''}
        {(approval.required_approvals ?? 1) > 1
          ? ` · ${approval.approvals?.length ?? 0} of ${approval.required_approvals} approvals`
          : ''}
        {approval.review_state === 'review_pending' ? ' · review pending' : ''}
      </p>
    </li>
  );
}

export function InboxPage() {
  const api = useApi();
  const navigate = useNavigate();
  const now = useNow(30_000);
  const { filters, setFilter } = useUrlFilters(FILTER_KEYS);
  const query = useInfiniteQuery(approvalsQuery(api, filters));
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  const [selected, setSelected] = useState(0);
  const current = rows[Math.min(selected, rows.length - 1)];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
        document.querySelector('dialog[open]')
      )
        return;
      if (event.key === 'j') setSelected((i) => Math.min(i + 1, rows.length - 1));
      else if (event.key === 'k') setSelected((i) => Math.max(i - 1, 0));
      else if (current && event.key === 'Enter') void navigate(`/approvals/${current.approval_id}`);
      else if (current && (event.key === 'a' || event.key === 'd'))
        void navigate(`/approvals/${current.approval_id}?action=${event.key === 'a' ? 'approve' : 'deny'}`);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, [rows.length, current, navigate]);

  const groups = new Map<string, number>();
  for (const row of rows) groups.set(row.approver_group, (groups.get(row.approver_group) ?? 0) + 1);

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Requests CAVRA routed to people. Keys: j / k move, Enter opens, a approves, d denies."
        actions={
          <Link
            to="/approvals/break-glass"
            className="rounded-md bg-purple-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-purple-800"
          >
            Break glass…
          </Link>
        }
      />
      <StateCounts
        current={filters.state}
        onPick={(state) => {
          setFilter('state', state);
        }}
      />
      <div className="mb-3 grid grid-cols-1 gap-2 sm:grid-cols-2 lg:max-w-xl">
        <div>
          <label htmlFor="group" className={labelClass}>
            Approver group
          </label>
          <select
            id="group"
            className={fieldClass}
            value={filters.approver_group}
            onChange={(e) => {
              setFilter('approver_group', e.target.value);
            }}
          >
            <option value="">any</option>
            {[...new Set([...groups.keys(), filters.approver_group].filter(Boolean))].sort().map((group) => (
              <option key={group} value={group}>
                {group} {groups.has(group) ? `(${groups.get(group)})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="review" className={labelClass}>
            Break-glass review
          </label>
          <select
            id="review"
            className={fieldClass}
            value={filters.review_state}
            onChange={(e) => {
              setFilter('review_state', e.target.value);
            }}
          >
            <option value="">any</option>
            <option value="review_pending">review pending</option>
            <option value="reviewed">reviewed</option>
          </select>
        </div>
      </div>
      <QueryView query={query} what="approvals">
        {() =>
          rows.length === 0 ? (
            <EmptyState title="No approval requests match">
              {filters.state === 'pending'
                ? 'Nothing waits for a person right now.'
                : 'Try another state or group.'}
            </EmptyState>
          ) : (
            <>
              <ul aria-label="Approval requests" className="space-y-2">
                {rows.map((approval, index) => (
                  <Row
                    key={approval.approval_id}
                    approval={approval}
                    now={now}
                    isSelected={approval === current}
                    onSelect={() => {
                      setSelected(index);
                    }}
                  />
                ))}
              </ul>
              {query.hasNextPage ? (
                <Button
                  className="mt-3"
                  onClick={() => void query.fetchNextPage()}
                  disabled={query.isFetchingNextPage}
                >
                  {query.isFetchingNextPage
                    ? 'Loading…'
                    : `Load more (${rows.length} of ${query.data?.pages[0]?.total ?? 0})`}
                </Button>
              ) : null}
            </>
          )
        }
      </QueryView>
    </>
  );
}
