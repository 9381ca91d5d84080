/** One decision of a run as the presenter narrates it: outcome, rule, reason, severity and evidence ref. */
import { Link } from 'react-router';
import { OutcomePill, SeverityPill } from '../../../components/ui/pill';
import type { Decision } from '../../../lib/api-types';
import type { ScenarioAction } from '../model/catalogue';

const BORDER: Readonly<Record<string, string>> = {
  allow: 'border-l-emerald-500',
  allow_with_attestation: 'border-l-sky-500',
  require_approval: 'border-l-amber-500',
  block: 'border-l-red-600',
  warn: 'border-l-orange-500',
  audit_only: 'border-l-slate-400',
};

export function DecisionCard({
  action,
  decision,
  index,
}: {
  action: ScenarioAction;
  decision: Decision;
  index: number;
}) {
  return (
    <li
      className={`scenario-card rounded-md border border-l-4 border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900 ${BORDER[decision.decision] ?? ''}`}
      aria-label={`${index + 1}. ${action.label}: ${decision.decision}`}
      data-outcome={decision.decision}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-slate-500 tabular-nums">{index + 1}</span>
        <span className="font-medium">{action.label}</span>
        <OutcomePill outcome={decision.decision} />
        <SeverityPill severity={decision.severity} />
      </div>
      <p className="mt-1 font-mono text-xs break-all text-slate-700 dark:text-slate-300">
        {decision.action_type} · {decision.target}
      </p>
      <p className="mt-1">{decision.reason}</p>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-600 dark:text-slate-400">
        <dt>Rule</dt>
        <dd className="font-mono break-all">{decision.rule_id}</dd>
        {decision.approver_group ? (
          <>
            <dt>Routed to</dt>
            <dd>{decision.approver_group}</dd>
          </>
        ) : null}
        <dt>Mode</dt>
        <dd>{decision.mode_reason}</dd>
        <dt>Evidence</dt>
        <dd className="font-mono break-all">
          <Link
            className="underline"
            to={`/activity/decisions?session_id=${encodeURIComponent(decision.session_id)}&open=${encodeURIComponent(decision.decision_id)}`}
          >
            {decision.evidence_refs[0] ?? decision.decision_id}
          </Link>
        </dd>
      </dl>
    </li>
  );
}
