/** What needs attention now: counts, the trend, top rules, approvals waiting, and the log's health. */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Facts, Mono, PageHeader, Section, Stat } from '../../../components/ui/layout';
import { ApprovalStatePill, YesNo } from '../../../components/ui/pill';
import { EmptyState, ErrorState, QueryView } from '../../../components/ui/states';
import type { Decision } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { formatCount, formatRelative, formatTime, shortHash } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import {
  consoleSessionQuery,
  evidenceStatusQuery,
  healthQuery,
  pendingApprovalsQuery,
} from '../../../lib/shared-queries';
import { outcomeTotalQuery, RECENT_LIMIT, recentDecisionsQuery } from '../api/get-overview';
import { OutcomeChart } from './outcome-chart';

const COUNTED = ['all', 'block', 'require_approval', 'allow'] as const;
const COUNT_LABELS: Record<(typeof COUNTED)[number], string> = {
  all: 'Decisions',
  block: 'Blocked',
  require_approval: 'Approval required',
  allow: 'Allowed',
};

function Counts() {
  const api = useApi();
  const totals = useQueries({ queries: COUNTED.map((outcome) => outcomeTotalQuery(api, outcome)) });
  const failed = totals.find((q) => q.isError);
  if (failed)
    return (
      <ErrorState
        error={failed.error}
        what="decision counts"
        onRetry={() => {
          totals.forEach((q) => void q.refetch());
        }}
      />
    );
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {COUNTED.map((outcome, i) => (
        <Link
          key={outcome}
          to={outcome === 'all' ? '/activity/decisions' : `/activity/decisions?decision=${outcome}`}
          className="block rounded-lg focus-visible:outline-2 focus-visible:outline-teal-600"
        >
          <Stat
            label={COUNT_LABELS[outcome]}
            value={totals[i]?.data === undefined ? '…' : formatCount(totals[i].data)}
          />
        </Link>
      ))}
    </div>
  );
}

function topRules(decisions: readonly Decision[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of decisions)
    if (d.decision !== 'allow') counts.set(d.rule_id, (counts.get(d.rule_id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
}

function Trend() {
  const api = useApi();
  const recent = useQuery(recentDecisionsQuery(api));
  return (
    <div className="grid gap-3 lg:grid-cols-3">
      <Section title={`Decisions over time (latest ${RECENT_LIMIT})`} className="lg:col-span-2">
        <QueryView query={recent} what="recent decisions">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title="No decisions yet" />
            ) : (
              <OutcomeChart decisions={page.items} />
            )
          }
        </QueryView>
      </Section>
      <Section title="Top rules that fired (not allow)">
        <QueryView query={recent} what="recent decisions">
          {(page) => {
            const rules = topRules(page.items);
            if (rules.length === 0) return <EmptyState title="No rule blocked or gated anything" />;
            return (
              <ol className="space-y-1 text-sm">
                {rules.map(([rule, count]) => (
                  <li key={rule} className="flex items-center justify-between gap-2">
                    <span className="truncate font-mono text-xs">{rule}</span>
                    <span className="tabular-nums">{count}</span>
                  </li>
                ))}
              </ol>
            );
          }}
        </QueryView>
      </Section>
    </div>
  );
}

function PendingApprovals() {
  const api = useApi();
  const pending = useQuery(pendingApprovalsQuery(api, 100));
  const session = useQuery(consoleSessionQuery(api));
  const groups = session.data?.permissions.approve_groups ?? session.data?.actor?.groups ?? [];
  const isMine = (group: string) => groups.includes('*') || groups.includes(group);
  return (
    <Section
      title="Approvals waiting for you"
      actions={
        <Link className="text-sm text-teal-800 underline dark:text-teal-300" to="/approvals?state=pending">
          Inbox
        </Link>
      }
    >
      <QueryView query={pending} what="pending approvals">
        {(page) => {
          const mine = page.items.filter((approval) => isMine(approval.approver_group));
          if (mine.length === 0) {
            return (
              <EmptyState title="Nothing is waiting for you">
                {page.total > 0 ? `${page.total} pending in groups you do not decide for.` : null}
              </EmptyState>
            );
          }
          return (
            <ul className="space-y-1.5 text-sm">
              {mine.slice(0, 5).map((approval) => (
                <li key={approval.approval_id} className="flex flex-wrap items-center gap-2">
                  <ApprovalStatePill state={approval.state} />
                  <Link
                    className="font-mono text-xs text-teal-800 underline dark:text-teal-300"
                    to={`/approvals/${approval.approval_id}`}
                  >
                    {approval.decision.target ?? approval.approval_id}
                  </Link>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {approval.approver_group}
                  </span>
                </li>
              ))}
              {mine.length > 5 ? <li className="text-xs">and {mine.length - 5} more for you</li> : null}
            </ul>
          );
        }}
      </QueryView>
    </Section>
  );
}

function LogHealth() {
  const api = useApi();
  const status = useQuery(evidenceStatusQuery(api));
  const health = useQuery(healthQuery(api));
  const now = useNow(30_000);
  return (
    <Section
      title="Evidence log and readiness"
      actions={
        <Link className="text-sm text-teal-800 underline dark:text-teal-300" to="/evidence">
          Evidence
        </Link>
      }
    >
      <QueryView query={status} what="the evidence log">
        {(log) => (
          <Facts
            rows={[
              ['Entries', formatCount(log.size)],
              [
                'Head',
                log.head ? (
                  <Mono key="h" title={log.head.entry_hash}>
                    {shortHash(log.head.entry_hash)}
                  </Mono>
                ) : (
                  'empty'
                ),
              ],
              [
                'Last checkpoint',
                log.latest_checkpoint
                  ? `tree of ${formatCount(log.latest_checkpoint.tree_size)}, ${formatRelative(log.latest_checkpoint.timestamp, now)} (${formatTime(log.latest_checkpoint.timestamp)})`
                  : 'none signed yet',
              ],
              ['Unsigned entries', formatCount(log.unsigned_entries)],
              ['Signing key', <Mono key="k">{log.signing_key.key_id}</Mono>],
              [
                'Database',
                health.data ? (
                  <YesNo key="d" value={health.data.status === 'ok'} yes="ok" no={health.data.status} />
                ) : health.isError ? (
                  'unreachable'
                ) : (
                  '…'
                ),
              ],
            ]}
          />
        )}
      </QueryView>
    </Section>
  );
}

export function OverviewPage() {
  return (
    <>
      <PageHeader
        title="Overview"
        description="What agents tried, what CAVRA decided, and what waits for a person."
      />
      <div className="space-y-3">
        <Counts />
        <Trend />
        <div className="grid gap-3 lg:grid-cols-2">
          <PendingApprovals />
          <LogHealth />
        </div>
      </div>
    </>
  );
}
