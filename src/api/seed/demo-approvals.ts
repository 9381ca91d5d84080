/**
 * Demo approvals: the seeded `require_approval` decisions get their approvals through the approval service
 * (routing, history, evidence entries), and fictitious approvers take them to every state — approved, denied,
 * expired (by the sweeper), still pending — plus two break-glass approvals, one still awaiting its review and
 * one reviewed. Nothing is sent to notification providers.
 */
import type { Decision } from '../../engine';
import type { Store } from '../../store';
import type { CavraApp } from '../app';
import type { ApprovalService } from '../approvals/approval-service';
import type { Principal } from '../auth';

/** Fictitious approvers, one per approver group the bundled routing uses. */
const APPROVERS: Readonly<Record<string, string>> = {
  IAM: 'ines.alvarez@acme.example',
  'Platform Security': 'sam.keller@acme.example',
  'Repository Owners': 'ravi.shah@acme.example',
  'Cloud Security': 'omar.haddad@acme.example',
  'AI Governance': 'ruth.mensah@acme.example',
  'Release Governance': 'noor.bakr@acme.example',
};
const CAB_MEMBER = 'dana.okafor@acme.example';
const SECURITY_REVIEWER = 'sam.keller@acme.example';

/** What each approval (by its position among the seeded require_approval decisions) ends up as. */
const OUTCOMES = ['approved', 'denied', 'expired', 'pending'] as const;

/** Approvals per state, and break-glass approvals per review state. */
export type ApprovalSeedReport = Record<string, number>;

/** Creates and decides the demo approvals; `anchor` is the end of the seeded timeline. */
export async function seedApprovals(
  app: Pick<CavraApp, 'approvals'>,
  store: Store,
  anchor: Date,
): Promise<ApprovalSeedReport> {
  const { approvals } = app;
  const asked = (
    await store.decisions.list({ decision: 'require_approval' }, { limit: 500 })
  ).items.reverse();
  for (const [index, decision] of asked.entries()) {
    await seedOne(approvals, decision, OUTCOMES[index % OUTCOMES.length] ?? 'pending');
  }
  // The expired ones were asked with a one-hour TTL: the sweeper expires them, as it would on a server.
  await approvals.sweepExpired(anchor, true);
  const blocked = (await store.decisions.list({ decision: 'block' }, { limit: 2 })).items;
  const [recent, earlier] = blocked;
  if (recent !== undefined) {
    await breakGlass(
      approvals,
      recent,
      minutesBefore(anchor, 40),
      'INC-4821',
      'Production outage: hotfix needs this change now',
    );
  }
  if (earlier !== undefined) {
    const glass = await breakGlass(
      approvals,
      earlier,
      minutesBefore(anchor, 150),
      'INC-4790',
      'Failed deploy rollback during the incident window',
    );
    await approvals.review(glass.approval_id, principal(SECURITY_REVIEWER, 'Platform Security'), {
      reason: 'Justified: the incident record confirms the outage; change reverted afterwards',
      externalRef: 'PIR-112',
      now: minutesBefore(anchor, 60),
      isSilent: true,
    });
  }
  const report: ApprovalSeedReport = {};
  for (const state of ['pending', 'approved', 'denied', 'expired', 'break_glass'] as const) {
    report[state] = (await store.approvals.list({ state }, { limit: 1 })).total;
  }
  report['review_pending'] = (
    await store.approvals.list({ review_state: 'review_pending' }, { limit: 1 })
  ).total;
  return report;
}

async function seedOne(
  approvals: ApprovalService,
  decision: Decision,
  outcome: (typeof OUTCOMES)[number],
): Promise<void> {
  const at = Date.parse(decision.timestamp);
  const approval = await approvals.create({
    decision,
    requestedBy: decision.actor,
    now: new Date(at + 5_000),
    ttlHours: outcome === 'expired' ? 1 : 24,
    isSilent: true,
  });
  if (outcome !== 'approved' && outcome !== 'denied') return;
  const group = approval.approver_group;
  const approver = principal(APPROVERS[group] ?? 'sam.keller@acme.example', group);
  await approvals.decide(approval.approval_id, outcome === 'approved' ? 'approve' : 'deny', approver, {
    reason:
      outcome === 'approved'
        ? 'Reviewed the change: scoped to this repository, rollback plan in the ticket'
        : 'Not during the release freeze: open a change request first',
    ...(outcome === 'approved' && { externalRef: 'CHG-2041' }),
    now: new Date(at + 12 * 60_000),
    isSilent: true,
  });
}

function breakGlass(
  approvals: ApprovalService,
  decision: Decision,
  now: Date,
  ticket: string,
  reason: string,
) {
  return approvals.breakGlass(principal(CAB_MEMBER, 'Change Advisory Board'), {
    decision,
    reason,
    externalRef: ticket,
    ttlHours: 4,
    now,
    isSilent: true,
  });
}

function principal(actor: string, group: string): Principal {
  return {
    actor: { actor, subject: null, issuer: 'cavra-demo-seed', groups: [group], repository: null },
    repositoryPermissions: [],
  };
}

function minutesBefore(anchor: Date, minutes: number): Date {
  return new Date(anchor.getTime() - minutes * 60_000);
}
