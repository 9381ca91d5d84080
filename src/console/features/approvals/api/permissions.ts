/**
 * Why the signed-in person may or may not act on an approval, from `/console/session`. The server decides (and
 * refuses with 403); this mirrors its rules (upstream §2.5) only to disable buttons with an honest reason.
 */
import type { Approval, ConsoleSession } from '../../../lib/api-types';
import type { ApprovalAction } from './act-on-approval';

export const BREAK_GLASS_GROUP = 'Change Advisory Board';
export const REVIEW_GROUPS = ['Change Advisory Board', 'Platform Security'];

const RBAC_ACTION: Record<Exclude<ApprovalAction, 'review'>, string> = {
  approve: 'approved',
  deny: 'denied',
  expire: 'expired',
};

/** `null` when allowed, else the reason it is not. */
export function whyNot(session: ConsoleSession, approval: Approval, action: ApprovalAction): string | null {
  const who = session.actor
    ? `${session.actor.actor} (groups: ${session.actor.groups.join(', ') || 'none'})`
    : 'you are not signed in and';
  const groups = new Set(session.actor?.groups ?? []);
  if (action === 'review') {
    if (!approval.break_glass) return 'only break-glass approvals are reviewed';
    if (approval.review?.state === 'reviewed' || approval.review_state === 'reviewed')
      return 'this break-glass was already reviewed';
    const reviewers = approval.review?.reviewer_groups ?? REVIEW_GROUPS;
    if (!reviewers.some((g) => groups.has(g)))
      return `${who} is in none of the review groups (${reviewers.join(', ')})`;
    return null;
  }
  if (approval.state !== 'pending')
    return `this request is ${approval.state.replace('_', '-')}: only pending requests can change`;
  if (action === 'expire' && groups.has('system')) return null;
  if (!session.permissions.decide_approvals) return `${who} lacks the decide_approvals permission`;
  if (approval.break_glass && !groups.has(BREAK_GLASS_GROUP)) return `${who} is not in ${BREAK_GLASS_GROUP}`;
  const repository = approval.repository ?? approval.decision.repository ?? null;
  const granted = session.repository_permissions.some(
    (p) =>
      (p.repository === '*' || p.repository === repository) &&
      (p.approver_group === '*' || p.approver_group === approval.approver_group) &&
      p.actions.includes(RBAC_ACTION[action]),
  );
  const own = [session.actor?.actor, session.actor?.subject]
    .filter((v): v is string => Boolean(v))
    .map((v) => v.toLowerCase());
  const involved = [approval.requested_by, approval.decision.actor].filter((v): v is string => Boolean(v));
  if (action === 'approve' && involved.some((identity) => own.includes(identity.toLowerCase()))) {
    return `${session.actor?.actor ?? 'you'} requested this action (or acted in it): separation of duties needs another member of ${approval.approver_group}`;
  }
  const approveGroups = session.permissions.approve_groups;
  if (approveGroups && action !== 'expire') {
    if (approveGroups.includes('*') || approveGroups.includes(approval.approver_group)) return null;
    return `${who} may decide for ${approveGroups.join(', ') || 'no group'}, not ${approval.approver_group}`;
  }
  if (granted || groups.has(approval.approver_group)) return null;
  return `${who} is not in ${approval.approver_group} and no repository permission grants it`;
}
