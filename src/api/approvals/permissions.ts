/**
 * Who may act on an approval (upstream §2.5 `actor_can_decide`, with its quirks fixed: the `system` expiry
 * shortcut works, and a refusal is a 403, never a 400), plus separation of duties. Pure functions over a
 * `Principal`, so `/console/session` can compute the same permissions the routes enforce.
 */
import type { Principal, RepositoryPermission } from '../auth';

/** The group that may break glass (upstream §2.4, enterprise role `break_glass_approver`). */
export const BREAK_GLASS_GROUP = 'Change Advisory Board';
/** Groups that may review a break-glass afterwards. */
export const BREAK_GLASS_REVIEW_GROUPS: readonly string[] = [BREAK_GLASS_GROUP, 'Platform Security'];
/** The group whose members (the sweeper, operators' automation) may expire any approval. */
export const SYSTEM_GROUP = 'system';

/** What is being done to an approval, in upstream's RBAC vocabulary (`actions` of repository permissions). */
export type ApprovalAction = 'approved' | 'denied' | 'expired';

/** The approval fields permission checks read. */
export type ApprovalSubject = {
  approver_group: string;
  break_glass?: boolean;
  repository?: string | null;
  decision?: unknown;
};

/** Upstream's action aliases (`approve`, `deny`, `expire`) in RBAC files. */
const ACTION_ALIASES: Readonly<Record<string, ApprovalAction>> = {
  approve: 'approved',
  approved: 'approved',
  deny: 'denied',
  denied: 'denied',
  expire: 'expired',
  expired: 'expired',
};

/**
 * Whether `principal` may move `approval` by `action`:
 * 1. expiring, as a member of `system`: yes;
 * 2. a break-glass approval, without Change Advisory Board: no;
 * 3. a repository permission grants the action for this repository and group: yes;
 * 4. otherwise, membership of the approval's `approver_group`.
 */
export function canDecideApproval(
  principal: Principal,
  approval: ApprovalSubject,
  action: ApprovalAction,
): boolean {
  const groups = new Set(principal.actor.groups);
  if (action === 'expired' && groups.has(SYSTEM_GROUP)) return true;
  if (approval.break_glass === true && !groups.has(BREAK_GLASS_GROUP)) return false;
  const repository = approvalRepository(approval);
  if (principal.repositoryPermissions.some((p) => grants(p, groups, repository, approval, action)))
    return true;
  return groups.has(approval.approver_group);
}

/** Whether `principal` may open a break-glass approval (Change Advisory Board only). */
export function canBreakGlass(principal: Principal): boolean {
  return principal.actor.groups.includes(BREAK_GLASS_GROUP);
}

/** Whether `principal` may review a break-glass afterwards (Change Advisory Board or Platform Security). */
export function canReviewBreakGlass(principal: Principal): boolean {
  return principal.actor.groups.some((group) => BREAK_GLASS_REVIEW_GROUPS.includes(group));
}

/**
 * Whether `principal` is one of `identities` (the requester, the decision's actor, the agent's registered
 * owner): by actor name or subject, case-insensitively. Separation of duties refuses such an approver.
 */
export function isSameIdentity(
  principal: Principal,
  identities: readonly (string | null | undefined)[],
): boolean {
  const own = [principal.actor.actor, principal.actor.subject]
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map(normalise);
  return identities.some((identity) => typeof identity === 'string' && own.includes(normalise(identity)));
}

/** The repository an approval is about: its own field, else its decision's (`repository`, then `repo`). */
export function approvalRepository(approval: ApprovalSubject): string | null {
  if (typeof approval.repository === 'string' && approval.repository !== '') return approval.repository;
  const decision = approval.decision;
  if (typeof decision !== 'object' || decision === null) return null;
  const fields = decision as Record<string, unknown>;
  for (const key of ['repository', 'repo']) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function grants(
  permission: RepositoryPermission,
  groups: ReadonlySet<string>,
  repository: string | null,
  approval: ApprovalSubject,
  action: ApprovalAction,
): boolean {
  const isRepository =
    isWildcard(permission.repository) || (repository !== null && permission.repository === repository);
  const isGroup =
    isWildcard(permission.approver_group) || permission.approver_group === approval.approver_group;
  const actions = permission.actions.length === 0 ? ['approved', 'denied'] : permission.actions;
  const isAction = actions.some((name) => ACTION_ALIASES[name] === action);
  const isMember = permission.groups.some((group) => group === '*' || groups.has(group));
  return isRepository && isGroup && isAction && isMember;
}

function isWildcard(value: string | undefined | null): boolean {
  return value === undefined || value === null || value === '' || value === '*';
}

function normalise(value: string): string {
  return value.trim().toLowerCase();
}
