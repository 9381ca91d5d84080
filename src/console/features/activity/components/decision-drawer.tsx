/** The decision drawer: the action as a person reads it, the verdict and why, who and where, and its evidence. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ProofView } from '../../../components/proof-view';
import { Button } from '../../../components/ui/button';
import { Modal } from '../../../components/ui/dialog';
import { Facts, Mono, Section } from '../../../components/ui/layout';
import { ApprovalStatePill, OutcomePill, SeverityPill } from '../../../components/ui/pill';
import { ErrorState, QueryView } from '../../../components/ui/states';
import type { Decision } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { describeAction } from '../../../lib/describe-action';
import { formatTime, shortHash } from '../../../lib/format';
import {
  approvalsForDecisionQuery,
  decisionQuery,
  proofQuery,
  trustRootsQuery,
} from '../../../lib/shared-queries';

export function DecisionDrawer({ decisionId, onClose }: { decisionId: string | null; onClose: () => void }) {
  const api = useApi();
  const decision = useQuery({ ...decisionQuery(api, decisionId ?? ''), enabled: decisionId !== null });
  return (
    <Modal
      isOpen={decisionId !== null}
      onClose={onClose}
      title={`Decision ${decisionId ?? ''}`}
      variant="drawer"
    >
      <QueryView query={decision} what="the decision">
        {(data) => <DecisionDetail decision={data} />}
      </QueryView>
    </Modal>
  );
}

function DecisionDetail({ decision }: { decision: Decision }) {
  const [isRaw, setRaw] = useState(false);
  const action = describeAction(decision);
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-600 dark:text-slate-400">{action.verb}</p>
        <p className="mt-0.5 font-mono text-base break-all">{action.object || '(no target)'}</p>
        {action.detail ? <p className="text-xs text-slate-600 dark:text-slate-400">{action.detail}</p> : null}
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <OutcomePill outcome={decision.decision} />
          <SeverityPill severity={decision.severity} />
          <Mono>{decision.rule_id}</Mono>
        </div>
        <p className="mt-2 text-sm">{decision.reason}</p>
        {decision.base_decision !== decision.decision ? (
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            The policy said <OutcomePill outcome={decision.base_decision} />; mode {decision.mode}:{' '}
            {decision.mode_reason}
          </p>
        ) : null}
      </div>

      <Explanation decision={decision} />

      <Section title="Context">
        <Facts
          rows={[
            ['Agent', decision.agent_id],
            ['Actor', decision.actor],
            ['Repository', decision.repository ?? '—'],
            [
              'Session',
              <Link
                key="s"
                className="text-teal-800 underline dark:text-teal-300"
                to={`/activity/decisions?session_id=${encodeURIComponent(decision.session_id)}`}
              >
                {decision.session_id}
              </Link>,
            ],
            [
              'Policy',
              <Link
                key="p"
                className="text-teal-800 underline dark:text-teal-300"
                to={`/policies/${encodeURIComponent(decision.policy_pack)}`}
              >
                {decision.policy_pack}
              </Link>,
            ],
            [
              'Revision',
              <Mono key="r" title={decision.policy_revision}>
                {shortHash(decision.policy_revision)}
              </Mono>,
            ],
            ['Mode', decision.mode],
            ['Time', formatTime(decision.timestamp)],
            ['Decision id', <Mono key="d">{decision.decision_id}</Mono>],
            ['Evidence refs', decision.evidence_refs.join(', ') || '—'],
          ]}
        />
      </Section>

      <EvidenceSection decisionId={decision.decision_id} />
      <LinkedApproval decision={decision} />

      <div>
        <Button
          variant="ghost"
          aria-expanded={isRaw}
          onClick={() => {
            setRaw(!isRaw);
          }}
        >
          {isRaw ? 'Hide raw JSON' : 'Show raw JSON'}
        </Button>
        {isRaw ? (
          <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            {JSON.stringify(decision, null, 2)}
          </pre>
        ) : null}
      </div>
    </div>
  );
}

function Explanation({ decision }: { decision: Decision }) {
  const segments = decision.segments ?? [];
  return (
    <Section title="Why">
      {segments.length > 0 ? (
        <div className="mb-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Command segments and their verdicts</caption>
            <thead className="text-xs text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 pr-3">
                  Segment
                </th>
                <th scope="col" className="py-1 pr-3">
                  Where
                </th>
                <th scope="col" className="py-1 pr-3">
                  Verdict
                </th>
                <th scope="col" className="py-1">
                  Rule
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.map((segment, index) => (
                <tr
                  key={`${index}-${segment.command}`}
                  className="border-t border-slate-100 dark:border-slate-800"
                >
                  <td className="py-1 pr-3 font-mono text-xs break-all">{segment.command}</td>
                  <td className="py-1 pr-3 text-xs">{segment.context}</td>
                  <td className="py-1 pr-3">
                    <OutcomePill outcome={segment.decision} />
                  </td>
                  <td className="py-1 font-mono text-xs">{segment.rule_id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {decision.matched_rules.length > 0 ? (
        <ul className="space-y-2">
          {decision.matched_rules.map((rule, index) => (
            <li
              key={`${index}-${rule.rule_id}`}
              className="rounded border border-slate-200 p-2 text-sm dark:border-slate-800"
            >
              <div className="flex flex-wrap items-center gap-2">
                <OutcomePill outcome={rule.decision} />
                <SeverityPill severity={rule.severity} />
                <Mono>{rule.rule_id}</Mono>
                {rule.pattern ? (
                  <span className="text-xs">
                    pattern <Mono>{rule.pattern}</Mono>
                  </span>
                ) : null}
                {rule.pack ? (
                  <span className="text-xs text-slate-600 dark:text-slate-400">from {rule.pack}</span>
                ) : null}
              </div>
              <p className="mt-1">{rule.reason}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No rule matched: the pack's default applied ({decision.rule_id}).
        </p>
      )}
    </Section>
  );
}

function EvidenceSection({ decisionId }: { decisionId: string }) {
  const api = useApi();
  const proof = useQuery(proofQuery(api, decisionId));
  const roots = useQuery(trustRootsQuery(api));
  return (
    <Section title="Evidence">
      <QueryView query={proof} what="the inclusion proof">
        {(document) => <ProofView document={document} trustRoots={roots.data?.items ?? null} />}
      </QueryView>
    </Section>
  );
}

function LinkedApproval({ decision }: { decision: Decision }) {
  const api = useApi();
  const approvals = useQuery(approvalsForDecisionQuery(api, decision.decision_id));
  if (decision.decision !== 'require_approval' && approvals.data?.length === 0) return null;
  return (
    <Section title="Approval">
      {approvals.isError ? (
        <ErrorState error={approvals.error} what="approvals" onRetry={() => void approvals.refetch()} />
      ) : approvals.isPending ? (
        <p className="text-sm">Loading approvals…</p>
      ) : approvals.data.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No approval request is linked to this decision
          {decision.approver_group ? ` (it routes to ${decision.approver_group})` : ''}.
        </p>
      ) : (
        <ul className="space-y-1 text-sm">
          {approvals.data.map((approval) => (
            <li key={approval.approval_id} className="flex flex-wrap items-center gap-2">
              <ApprovalStatePill state={approval.state} />
              <Link
                className="font-mono text-teal-800 underline dark:text-teal-300"
                to={`/approvals/${approval.approval_id}`}
              >
                {approval.approval_id}
              </Link>
              <span>{approval.approver_group}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
