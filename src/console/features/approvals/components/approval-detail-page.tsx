/**
 * One approval: the decision it is about, N-of-M progress, TTL countdown, the history as a timeline, the
 * evidence refs, and the actions, each disabled with the reason when the session may not take it.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button } from '../../../components/ui/button';
import { Facts, Mono, PageHeader, Section } from '../../../components/ui/layout';
import { ApprovalStatePill, OutcomePill, SeverityPill, Tag } from '../../../components/ui/pill';
import { QueryView } from '../../../components/ui/states';
import type { Approval, ConsoleSession } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { describeAction } from '../../../lib/describe-action';
import { formatDuration, formatTime } from '../../../lib/format';
import { consoleSessionQuery } from '../../../lib/shared-queries';
import type { ApprovalAction } from '../api/act-on-approval';
import { approvalQuery } from '../api/get-approvals';
import { whyNot } from '../api/permissions';
import { DecideDialog } from './decide-dialog';
import { useNow } from '../../../lib/use-now';

const ACTIONS: readonly ApprovalAction[] = ['approve', 'deny', 'expire', 'review'];
const LABELS: Record<ApprovalAction, string> = {
  approve: 'Approve…',
  deny: 'Deny…',
  expire: 'Expire…',
  review: 'Review…',
};

function isAction(value: string | null): value is ApprovalAction {
  return value !== null && (ACTIONS as readonly string[]).includes(value);
}

function Countdown({ approval }: { approval: Approval }) {
  const now = useNow(1000);
  const left = new Date(approval.expires_at).getTime() - now;
  if (approval.state !== 'pending' && approval.state !== 'break_glass')
    return <span>expired at {formatTime(approval.expires_at)} (closed)</span>;
  if (left <= 0)
    return (
      <span className="font-medium text-red-800 dark:text-red-300">
        overdue since {formatTime(approval.expires_at)}
      </span>
    );
  return (
    <span>
      <span className="font-medium tabular-nums" role="timer" aria-live="off">
        {formatDuration(left)}
      </span>{' '}
      left (until {formatTime(approval.expires_at)})
    </span>
  );
}

function Progress({ approval }: { approval: Approval }) {
  const required = approval.required_approvals ?? 1;
  const received = approval.approvals?.length ?? (approval.state === 'approved' ? required : 0);
  return (
    <div>
      <div className="flex items-center gap-2">
        <progress
          className="h-2 w-40 accent-teal-700"
          max={required}
          value={Math.min(received, required)}
          aria-label="Approvals received"
        />
        <span className="text-sm tabular-nums">
          {received} of {required} approval{required === 1 ? '' : 's'}
        </span>
      </div>
      {approval.approvals && approval.approvals.length > 0 ? (
        <ul className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {approval.approvals.map((vote) => (
            <li key={`${vote.actor}-${vote.timestamp}`}>
              {vote.actor} at {formatTime(vote.timestamp)}: {vote.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Timeline({ approval }: { approval: Approval }) {
  return (
    <ol className="relative space-y-3 border-l border-slate-300 pl-4 dark:border-slate-700">
      {approval.history.map((event, index) => (
        <li key={`${index}-${event.event}`} className="text-sm">
          <span
            aria-hidden="true"
            className="absolute -left-1.5 mt-1.5 size-3 rounded-full bg-teal-700 dark:bg-teal-500"
          />
          <p>
            <span className="font-medium">{event.event.replace(/_/g, ' ')}</span> by {event.actor}{' '}
            <span className="text-xs text-slate-600 dark:text-slate-400">
              at {formatTime(event.timestamp)}
            </span>
          </p>
          {event.reason ? <p className="text-slate-700 dark:text-slate-300">“{event.reason}”</p> : null}
          {event.external_ref ? <p className="text-xs">ref {event.external_ref}</p> : null}
        </li>
      ))}
    </ol>
  );
}

function Actions({
  approval,
  session,
  onPick,
}: {
  approval: Approval;
  session: ConsoleSession;
  onPick: (action: ApprovalAction) => void;
}) {
  const shown = approval.break_glass ? (['review'] as const) : (['approve', 'deny', 'expire'] as const);
  const reasons = shown.map((action) => ({ action, why: whyNot(session, approval, action) }));
  return (
    <div>
      <div className="flex flex-wrap gap-2">
        {reasons.map(({ action, why }) => (
          <Button
            key={action}
            variant={
              action === 'approve' || action === 'review'
                ? 'primary'
                : action === 'deny'
                  ? 'danger'
                  : 'secondary'
            }
            disabled={why !== null}
            aria-describedby={why ? `why-${action}` : undefined}
            onClick={() => {
              onPick(action);
            }}
          >
            {LABELS[action]}
          </Button>
        ))}
      </div>
      <ul className="mt-2 space-y-0.5 text-xs text-slate-700 dark:text-slate-300">
        {reasons
          .filter((r) => r.why !== null)
          .map(({ action, why }) => (
            <li key={action} id={`why-${action}`}>
              {LABELS[action].replace('…', '')} is unavailable: {why}.
            </li>
          ))}
      </ul>
    </div>
  );
}

function Detail({ approval }: { approval: Approval }) {
  const api = useApi();
  const session = useQuery(consoleSessionQuery(api));
  const [params, setParams] = useSearchParams();
  const requested = params.get('action');
  const action = isAction(requested) ? requested : null;
  const pick = (next: ApprovalAction | null) => {
    setParams(next ? { action: next } : {}, { replace: true });
  };
  const decision = approval.decision;
  const described = decision.action_type
    ? describeAction({
        action_type: decision.action_type,
        target: decision.target ?? '',
        requested_operation: decision.requested_operation ?? '',
      })
    : null;
  const allowedAction =
    action && session.data && whyNot(session.data, approval, action) === null ? action : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <ApprovalStatePill state={approval.state} />
        {approval.break_glass ? (
          <Tag>break-glass{approval.review_state ? `: ${approval.review_state.replace('_', ' ')}` : ''}</Tag>
        ) : null}
        <span className="text-sm">
          routed to <strong>{approval.approver_group}</strong>
        </span>
      </div>
      <Section title="Decide">
        {session.isError ? (
          <p role="alert" className="text-sm">
            Actions are disabled: your session could not be read ({session.error.message}).
          </p>
        ) : session.data ? (
          <Actions approval={approval} session={session.data} onPick={pick} />
        ) : (
          <p className="text-sm">Reading your permissions…</p>
        )}
      </Section>
      <div className="grid gap-3 lg:grid-cols-2">
        <Section title="What the agent asked">
          {described ? (
            <>
              <p className="text-sm text-slate-600 dark:text-slate-400">{described.verb}</p>
              <p className="font-mono text-sm break-all">{described.object}</p>
            </>
          ) : null}
          <div className="mt-2 flex flex-wrap items-center gap-2">
            {decision.decision ? <OutcomePill outcome={decision.decision} /> : null}
            {decision.severity ? <SeverityPill severity={decision.severity} /> : null}
            {decision.rule_id ? <Mono>{decision.rule_id}</Mono> : null}
          </div>
          {decision.reason ? <p className="mt-2 text-sm">{decision.reason}</p> : null}
          <div className="mt-3">
            <Facts
              rows={[
                [
                  'Decision',
                  <Link
                    key="d"
                    className="font-mono text-teal-800 underline dark:text-teal-300"
                    to={`/activity/decisions?open=${approval.decision_id}`}
                  >
                    {approval.decision_id}
                  </Link>,
                ],
                ['Agent', decision.agent_id ?? '—'],
                ['Repository', approval.repository ?? decision.repository ?? '—'],
                ['Session', approval.session_id ?? decision.session_id ?? '—'],
                ['Policy', decision.policy_pack ?? '—'],
                ['Requested by', approval.requested_by ?? '—'],
                ['Requested', formatTime(approval.requested_at)],
              ]}
            />
          </div>
        </Section>
        <Section title="Status">
          <Facts
            rows={[
              ['Time left', <Countdown key="c" approval={approval} />],
              ['Progress', <Progress key="p" approval={approval} />],
              [
                'Decided by',
                approval.decided_by ? `${approval.decided_by} at ${formatTime(approval.decided_at)}` : '—',
              ],
              ['Reason', approval.decision_reason ?? approval.break_glass_reason ?? '—'],
              ['External ref', approval.external_ref ?? '—'],
              [
                'Routing',
                approval.routing
                  ? `${approval.routing.routed_by}${approval.routing.source ? ` (${approval.routing.source})` : ''}`
                  : '—',
              ],
              [
                'Evidence',
                approval.evidence_refs.length > 0 ? (
                  <ul key="e" className="font-mono text-xs">
                    {approval.evidence_refs.map((ref) => (
                      <li key={ref} className="break-all">
                        {ref}
                      </li>
                    ))}
                  </ul>
                ) : (
                  '—'
                ),
              ],
            ]}
          />
          {approval.review?.state === 'reviewed' ? (
            <p className="mt-2 text-sm">
              Reviewed by {approval.review.reviewed_by} at {formatTime(approval.review.reviewed_at)}: “
              {approval.review.reason}”
            </p>
          ) : null}
        </Section>
      </div>
      <Section title="History">
        <Timeline approval={approval} />
      </Section>
      <DecideDialog
        approval={approval}
        action={allowedAction}
        onClose={() => {
          pick(null);
        }}
      />
    </div>
  );
}

export function ApprovalDetailPage() {
  const { approvalId = '' } = useParams();
  const api = useApi();
  const approval = useQuery(approvalQuery(api, approvalId));
  return (
    <>
      <PageHeader
        title={`Approval ${approvalId}`}
        actions={
          <Link className="text-sm text-teal-800 underline dark:text-teal-300" to="/approvals">
            Back to the inbox
          </Link>
        }
      />
      <QueryView query={approval} what="the approval">
        {(data) => <Detail approval={data} />}
      </QueryView>
    </>
  );
}
