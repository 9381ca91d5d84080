/**
 * What a caller may do, computed once from its groups, its repository grants and the RBAC file's group
 * permissions, so `/console/session` shows exactly what the routes enforce. Approval rules themselves live in
 * src/api/approvals/permissions.ts (`canDecideApproval`, `canBreakGlass`); this module reuses them.
 */
import { canBreakGlass } from '../approvals/permissions';
import type { AuthAdapter, Principal } from '../auth';
import { NO_RBAC, type GroupPermission } from './rbac';

/** The permissions `/console/session` reports (upstream's seven, then CAVRA's). */
export type ConsolePermissions = {
  read_activity: boolean;
  read_inventory: boolean;
  read_integrations: boolean;
  read_evidence_metadata: boolean;
  decide_approvals: boolean;
  publish_policy_packs: boolean;
  create_break_glass: boolean;
  /** Approver groups whose requests the caller may approve or deny (`*`: any, through a repository grant). */
  approve_groups: string[];
  /** Register and change agents and MCP servers, and manage agent tokens. */
  registry_write: boolean;
  /** Download evidence bundles and exports. */
  evidence_export: boolean;
};

/** Whether `principal` holds a group permission (`registry_write`, `evidence_export`). */
export function hasGroupPermission(
  auth: AuthAdapter,
  principal: Principal | null,
  permission: GroupPermission,
): boolean {
  if (principal === null || isMachine(principal)) return false;
  const holders = (auth.rbac ?? NO_RBAC).groupPermissions[permission];
  return principal.actor.groups.some((group) => holders.includes(group));
}

/** The console permissions of a caller (or of nobody). Machine clients (agent tokens) get none. */
export function consolePermissions(auth: AuthAdapter, principal: Principal | null): ConsolePermissions {
  const isHuman = principal !== null && !isMachine(principal);
  const groups = isHuman ? principal.actor.groups : [];
  const grants = isHuman ? principal.repositoryPermissions : [];
  const grantGroups = grants
    .filter((grant) => grant.actions.some((action) => action === 'approved' || action === 'denied'))
    .map((grant) => (grant.approver_group === '' ? '*' : grant.approver_group));
  const mayDecide = groups.length > 0 || grants.length > 0;
  return {
    read_activity: true,
    read_inventory: true,
    read_integrations: true,
    read_evidence_metadata: true,
    decide_approvals: mayDecide,
    publish_policy_packs: mayDecide,
    create_break_glass: isHuman && canBreakGlass(principal),
    approve_groups: [...new Set([...groups, ...grantGroups])].sort(),
    registry_write: hasGroupPermission(auth, principal, 'registry_write'),
    evidence_export: hasGroupPermission(auth, principal, 'evidence_export'),
  };
}

/** An agent-token caller: a machine, never an approver or an administrator. */
export function isMachine(principal: Principal): boolean {
  return principal.agent?.via === 'agent_token';
}
