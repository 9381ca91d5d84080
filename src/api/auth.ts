/**
 * Who is calling. The API asks an {@link AuthAdapter}; this build ships the demo adapter only. An OIDC/JWKS
 * adapter (upstream §2.6, §7.3: `CAVRA_APPROVAL_OIDC_CONFIG`, RBAC from `CAVRA_APPROVAL_RBAC_FILE`) implements
 * the same interface, and nothing else in the API changes.
 */

/** `demo`: no identity provider, every caller is the demo operator (said loudly, never silently). */
export type AuthMode = 'demo' | 'oidc';

/** The verified (or demo) actor, in upstream's `cavra.console.session.v1` shape. */
export type Actor = {
  actor: string;
  subject: string | null;
  issuer: string | null;
  groups: string[];
  repository: string | null;
};

/** One repository-scoped grant (upstream RBAC `repository_permissions`). */
export type RepositoryPermission = {
  repository: string;
  approver_group: string;
  actions: string[];
  groups: string[];
};

/** A caller the adapter vouches for. */
export type Principal = { actor: Actor; repositoryPermissions: RepositoryPermission[] };

/** An adapter's answer: a principal, nobody (no credentials; OIDC mode), or a rejected credential. */
export type AuthOutcome =
  { ok: true; principal: Principal | null } | { ok: false; status: 400 | 401; code: string; message: string };

/** The identity port (STYLE.md: interfaces for ports). */
export interface AuthAdapter {
  readonly mode: AuthMode;
  /** Whether an OIDC configuration is active (`/console/security-boundary`). */
  readonly isOidcConfigured: boolean;
  /** Whether repository RBAC is active. */
  readonly isRbacConfigured: boolean;
  /** Token algorithms accepted and claims checked (`/console/security-boundary`); empty without OIDC. */
  readonly tokenValidation: { supportedAlgorithms: readonly string[]; validatedClaims: readonly string[] };
  /** Identifies the caller of one request. Called lazily, only by routes that need an actor. */
  authenticate(request: Request): Promise<AuthOutcome>;
}

/** Approver groups the bundled routing and guards use; the demo operator holds all of them. */
export const DEMO_GROUPS: readonly string[] = [
  'Platform Security',
  'Repository Owners',
  'IAM',
  'Cloud Security',
  'AI Governance',
  'Release Governance',
  'Change Advisory Board',
];

/** Options of {@link createDemoAuth}. */
export type DemoAuthOptions = { actor?: string; groups?: readonly string[] };

/**
 * The demo adapter: no identity provider, every request acts as one demo operator with every group. A bearer
 * token is refused with 400 (as upstream does when OIDC is not configured), so a client that believes it is
 * authenticated learns that it is not.
 */
export function createDemoAuth(options: DemoAuthOptions = {}): AuthAdapter {
  const principal: Principal = {
    actor: {
      actor: options.actor ?? 'demo-operator',
      subject: null,
      issuer: null,
      groups: [...(options.groups ?? DEMO_GROUPS)],
      repository: null,
    },
    repositoryPermissions: [
      { repository: '*', approver_group: '*', actions: ['approved', 'denied', 'expired'], groups: ['*'] },
    ],
  };
  return {
    mode: 'demo',
    isOidcConfigured: false,
    isRbacConfigured: false,
    tokenValidation: { supportedAlgorithms: [], validatedClaims: [] },
    authenticate: (request) => {
      const authorization = request.headers.get('authorization') ?? '';
      if (/^bearer\s/i.test(authorization)) {
        return Promise.resolve({
          ok: false,
          status: 400,
          code: 'oidc_not_configured',
          message:
            'a bearer token was sent but this server runs in demo mode without OIDC: drop the Authorization header, or configure CAVRA_APPROVAL_OIDC_CONFIG',
        });
      }
      return Promise.resolve({ ok: true, principal });
    },
  };
}
