/**
 * Repository RBAC (`CAVRA_APPROVAL_RBAC_FILE`, upstream §2.5): group mappings and repository-scoped approval
 * grants, plus CAVRA's `group_permissions` (which groups may write the registry or export evidence). Parsed
 * from an already-read document; the server reads the file and refuses to start when this rejects it.
 */
import { z } from 'zod';
import type { RepositoryPermission } from '../auth';
import type { FieldIssue } from '../errors';

/** Approval actions a repository grant can allow (upstream's aliases are accepted on input). */
export const RBAC_ACTIONS = ['approved', 'denied', 'expired'] as const;

const ACTION_ALIASES: Readonly<Record<string, (typeof RBAC_ACTIONS)[number]>> = {
  approved: 'approved',
  approve: 'approved',
  denied: 'denied',
  deny: 'denied',
  expired: 'expired',
  expire: 'expired',
};

/** Console permissions a group list can grant (CAVRA extension of the RBAC file). */
export const GROUP_PERMISSIONS = ['registry_write', 'evidence_export'] as const;

/** One of {@link GROUP_PERMISSIONS}. */
export type GroupPermission = (typeof GROUP_PERMISSIONS)[number];

/**
 * Groups holding each permission when the RBAC file does not say: the registry belongs to Platform Security
 * and AI Governance (upstream routes `mcp.` approvals to AI Governance); exporting evidence also to auditors.
 */
export const DEFAULT_GROUP_PERMISSIONS: Readonly<Record<GroupPermission, readonly string[]>> = {
  registry_write: ['Platform Security', 'AI Governance'],
  evidence_export: ['Platform Security', 'AI Governance', 'CAVRA-Auditors', 'Auditors'],
};

/** A validated RBAC file. */
export type RbacConfig = {
  groupMappings: Record<string, string>;
  repositoryPermissions: RepositoryPermission[];
  groupPermissions: Record<GroupPermission, readonly string[]>;
};

const groupList = z.array(z.string().min(1, 'must not be empty')).min(1, 'must name at least one group');

const PermissionRule = z.strictObject({
  repository: z.string().min(1).optional(),
  approver_group: z.string().min(1).optional(),
  groups: groupList,
  actions: z
    .array(
      z.string().refine((action) => action in ACTION_ALIASES, {
        message: 'must be approved, denied or expired (or approve, deny, expire)',
      }),
    )
    .min(1)
    .optional(),
});

const RbacSchema = z.strictObject({
  group_mappings: z.record(z.string(), z.string().min(1)).optional(),
  repository_permissions: z.array(PermissionRule).optional(),
  repositories: z.array(PermissionRule).optional(),
  group_permissions: z.partialRecord(z.enum(GROUP_PERMISSIONS), groupList).optional(),
});

/** Validates an RBAC document (optionally wrapped in `approval_rbac`). Errors name the field. */
export function parseRbacConfig(
  input: unknown,
): { ok: true; config: RbacConfig } | { ok: false; issues: FieldIssue[] } {
  const isWrapped =
    typeof input === 'object' && input !== null && !Array.isArray(input) && 'approval_rbac' in input;
  const document = isWrapped ? input.approval_rbac : input;
  const prefix = isWrapped ? 'approval_rbac.' : '';
  const parsed = RbacSchema.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: prefix + (issue.path.length === 0 ? 'rbac' : issue.path.map(String).join('.')),
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
            : issue.message,
      })),
    };
  }
  const value = parsed.data;
  if (value.repository_permissions !== undefined && value.repositories !== undefined) {
    return {
      ok: false,
      issues: [
        {
          field: `${prefix}repositories`,
          message: 'is an alias of repository_permissions: give one of them',
        },
      ],
    };
  }
  const rules = value.repository_permissions ?? value.repositories ?? [];
  return {
    ok: true,
    config: {
      groupMappings: value.group_mappings ?? {},
      repositoryPermissions: rules.map((rule) => ({
        repository: rule.repository ?? '*',
        approver_group: rule.approver_group ?? '*',
        actions: [
          ...new Set(
            (rule.actions ?? ['approved', 'denied']).map((action) => ACTION_ALIASES[action] ?? action),
          ),
        ],
        groups: [...rule.groups],
      })),
      groupPermissions: { ...DEFAULT_GROUP_PERMISSIONS, ...value.group_permissions },
    },
  };
}

/** Default RBAC when no file is configured: no repository grants, the default group permissions. */
export const NO_RBAC: RbacConfig = {
  groupMappings: {},
  repositoryPermissions: [],
  groupPermissions: { ...DEFAULT_GROUP_PERMISSIONS },
};

/** The groups after mappings (upstream: mapped targets are added, sources kept), sorted and unique. */
export function mapGroups(groups: readonly string[], ...mappings: Record<string, string>[]): string[] {
  const result = new Set(groups);
  for (const mapping of mappings) {
    for (const group of groups) {
      const target = mapping[group];
      if (target !== undefined) result.add(target);
    }
  }
  return [...result].sort();
}

/** The repository grants whose groups intersect the actor's (what `/console/session` reports). */
export function grantsFor(rbac: RbacConfig, groups: readonly string[]): RepositoryPermission[] {
  return rbac.repositoryPermissions.filter((rule) => rule.groups.some((group) => groups.includes(group)));
}
