/**
 * Break glass: a Change Advisory Board member overrides a decision for at most 4 hours, with a reason, an
 * external reference and a typed confirmation; a follow-up review is opened automatically.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { PageHeader, Section } from '../../../components/ui/layout';
import { OutcomePill } from '../../../components/ui/pill';
import { ErrorState, QueryView } from '../../../components/ui/states';
import { errorMessage } from '../../../lib/api-client';
import type { ConsoleSession } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { describeAction } from '../../../lib/describe-action';
import { formatTime } from '../../../lib/format';
import { consoleSessionQuery, decisionQuery } from '../../../lib/shared-queries';
import { useUiStore } from '../../../lib/ui-store';
import { useNow } from '../../../lib/use-now';
import { useBreakGlass } from '../api/act-on-approval';
import { BREAK_GLASS_GROUP } from '../api/permissions';

const CONFIRM = 'BREAK GLASS';

function DecisionPreview({ decisionId }: { decisionId: string }) {
  const api = useApi();
  const decision = useQuery({ ...decisionQuery(api, decisionId), enabled: /^dec_[\w-]+$/.test(decisionId) });
  if (!/^dec_[\w-]+$/.test(decisionId))
    return <p className="text-xs text-slate-600 dark:text-slate-400">Enter a decision id (dec_…).</p>;
  return (
    <QueryView query={decision} what="the decision">
      {(data) => (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <OutcomePill outcome={data.decision} />
          {describeAction(data).verb}: <span className="font-mono break-all">{data.target}</span>
        </p>
      )}
    </QueryView>
  );
}

function BreakGlassForm({ session }: { session: ConsoleSession }) {
  const api = useApi();
  const navigate = useNavigate();
  const toast = useUiStore((s) => s.toast);
  const [params] = useSearchParams();
  const [decisionId, setDecisionId] = useState(params.get('decision') ?? '');
  const [reason, setReason] = useState('');
  const [externalRef, setExternalRef] = useState('');
  const [ttlHours, setTtlHours] = useState(4);
  const [confirm, setConfirm] = useState('');
  const mutation = useBreakGlass();
  const decision = useQuery({ ...decisionQuery(api, decisionId), enabled: /^dec_[\w-]+$/.test(decisionId) });
  const mayBreak = session.permissions.create_break_glass;
  const isComplete =
    decision.isSuccess && reason.trim().length >= 10 && externalRef.trim() !== '' && confirm === CONFIRM;
  const now = useNow(30_000);
  const expiresAt = new Date(now + ttlHours * 3_600_000).toISOString();
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (!isComplete) return;
        mutation.mutate(
          {
            decisionId: decision.data.decision_id,
            reason: reason.trim(),
            externalRef: externalRef.trim(),
            ttlHours,
          },
          {
            onSuccess: (approval) => {
              toast(`Break-glass ${approval.approval_id} opened; a review is pending`, 'success');
              void navigate(`/approvals/${approval.approval_id}`);
            },
          },
        );
      }}
    >
      {!mayBreak ? (
        <p
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          Only members of {BREAK_GLASS_GROUP} may break glass; {session.actor?.actor ?? 'you'} (groups:{' '}
          {session.actor?.groups.join(', ') || 'none'}) is not.
        </p>
      ) : null}
      <fieldset disabled={!mayBreak} className="space-y-3">
        <div>
          <label htmlFor="bg-decision" className={labelClass}>
            Decision to override
          </label>
          <input
            id="bg-decision"
            className={fieldClass}
            value={decisionId}
            onChange={(e) => {
              setDecisionId(e.target.value.trim());
            }}
            placeholder="dec_…"
          />
          <div className="mt-1">
            <DecisionPreview decisionId={decisionId} />
          </div>
        </div>
        <div>
          <label htmlFor="bg-reason" className={labelClass}>
            Reason (at least 10 characters)
          </label>
          <textarea
            id="bg-reason"
            rows={3}
            className={fieldClass}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
            }}
          />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor="bg-ref" className={labelClass}>
              Incident or change reference (required)
            </label>
            <input
              id="bg-ref"
              className={fieldClass}
              value={externalRef}
              onChange={(e) => {
                setExternalRef(e.target.value);
              }}
              placeholder="INC-777"
            />
          </div>
          <div>
            <label htmlFor="bg-ttl" className={labelClass}>
              Time to live: {ttlHours} h (until {formatTime(expiresAt)})
            </label>
            <input
              id="bg-ttl"
              type="range"
              min={1}
              max={4}
              step={1}
              value={ttlHours}
              onChange={(e) => {
                setTtlHours(Number(e.target.value));
              }}
              className="w-full accent-purple-700"
            />
          </div>
        </div>
        <div>
          <label htmlFor="bg-confirm" className={labelClass}>
            Type {CONFIRM} to confirm
          </label>
          <input
            id="bg-confirm"
            className={fieldClass}
            value={confirm}
            onChange={(e) => {
              setConfirm(e.target.value);
            }}
            autoComplete="off"
          />
        </div>
        <p className="text-xs text-slate-700 dark:text-slate-300">
          What happens: an approval in state break-glass is recorded for this decision, valid for {ttlHours}{' '}
          h, signed into the evidence log, and a post-incident review by {BREAK_GLASS_GROUP} or Platform
          Security is opened.
        </p>
        {mutation.isError ? (
          <p
            role="alert"
            className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          >
            {errorMessage(mutation.error)}
          </p>
        ) : null}
        <Button type="submit" variant="danger" disabled={!isComplete || mutation.isPending}>
          {mutation.isPending ? 'Opening…' : 'Break glass'}
        </Button>
      </fieldset>
    </form>
  );
}

export function BreakGlassPage() {
  const api = useApi();
  const session = useQuery(consoleSessionQuery(api));
  return (
    <>
      <PageHeader
        title="Break glass"
        description="Emergency override of one decision, Change Advisory Board only, time-boxed and reviewed afterwards."
        actions={
          <Link
            className="text-sm text-teal-800 underline dark:text-teal-300"
            to="/approvals?review_state=review_pending"
          >
            Reviews pending
          </Link>
        }
      />
      <Section title="Override" className="max-w-2xl">
        {session.isError ? (
          <ErrorState error={session.error} what="your session" onRetry={() => void session.refetch()} />
        ) : null}
        {session.data ? <BreakGlassForm session={session.data} /> : null}
      </Section>
    </>
  );
}
