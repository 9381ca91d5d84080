/**
 * The sandbox personas (issue 6): each is a synthetic identity with the groups and repository grants a live
 * deployment's identity provider and RBAC file would give it, so the API's permission checks decide exactly as
 * they would for a real user in that role. Names are fictitious.
 */
import type { Principal } from '../../src/api';

/** A persona's id, as used in the URL and the `authorization: Persona <id>` credential. */
export type PersonaId = 'developer' | 'platform-security' | 'cab' | 'auditor' | 'ciso';

/** One persona: what the top bar shows and the principal the sandbox auth adapter vouches for. */
export type Persona = {
  id: PersonaId;
  label: string;
  /** One line for the persona menu: what this role can do. */
  summary: string;
  principal: Principal;
};

function persona(
  id: PersonaId,
  label: string,
  summary: string,
  actor: string,
  groups: string[],
  grants: Principal['repositoryPermissions'],
): Persona {
  return {
    id,
    label,
    summary,
    principal: {
      actor: {
        actor,
        subject: `sandbox|${id}`,
        issuer: 'https://sandbox.cavra.invalid',
        groups,
        repository: null,
      },
      repositoryPermissions: grants,
    },
  };
}

/** The five personas of the top bar; the first is the default. */
export const PERSONAS: readonly Persona[] = [
  persona(
    'developer',
    'Developer',
    'Runs agents; sees decisions and evidence; cannot approve or break glass.',
    'dev.sam@sandbox.example',
    ['Developers'],
    [],
  ),
  persona(
    'platform-security',
    'Platform Security approver',
    'Approves or denies requests routed to Platform Security, IAM, Cloud Security, AI Governance and repository owners.',
    'priya.sec@sandbox.example',
    ['Platform Security'],
    // The RBAC grants a security team typically holds: its own queue plus IAM, cloud and MCP trust changes.
    ['Platform Security', 'IAM', 'Cloud Security', 'AI Governance', 'Repository Owners'].map((group) => ({
      repository: '*',
      approver_group: group,
      actions: ['approved', 'denied', 'expired'],
      groups: ['Platform Security'],
    })),
  ),
  persona(
    'cab',
    'Change Advisory Board',
    'Opens break-glass overrides (4 h, reason and change reference required).',
    'cab.lee@sandbox.example',
    ['Change Advisory Board'],
    [
      {
        repository: '*',
        approver_group: 'Change Advisory Board',
        actions: ['approved', 'denied', 'expired'],
        groups: ['Change Advisory Board'],
      },
    ],
  ),
  persona(
    'auditor',
    'Auditor',
    'Reads and verifies evidence; no approval rights.',
    'audit.kim@sandbox.example',
    ['Auditors'],
    [],
  ),
  persona(
    'ciso',
    'CISO',
    'Oversees posture and approvals across groups; no break-glass.',
    'ciso.ada@sandbox.example',
    ['Security Leadership'],
    [],
  ),
];

/** The persona with this id, or undefined. */
export function findPersona(id: string): Persona | undefined {
  return PERSONAS.find((candidate) => candidate.id === id);
}
