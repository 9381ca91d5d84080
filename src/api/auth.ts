/**
 * Who is calling. The API asks an {@link AuthAdapter}: the demo adapter (no identity provider, said loudly),
 * or the OIDC adapter (`CAVRA_APPROVAL_OIDC_CONFIG`, upstream §2.6 and §7.3, verified with `jose`), with
 * repository RBAC from `CAVRA_APPROVAL_RBAC_FILE`. Agent API tokens (`cavra_at_…`) are checked in front of
 * either adapter by `withAgentTokens` (src/api/identity/agent-tokens.ts), which needs the store.
 */
import type { JWTPayload } from 'jose';
import { ApiError } from './errors';
import { createOidcVerifier, type FetchLike } from './identity/oidc';
import type { OidcConfig } from './identity/oidc-config';
import { NO_RBAC, grantsFor, mapGroups, type RbacConfig } from './identity/rbac';

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

/** A machine client bound to a registered agent: by an agent API token, or an OIDC token's agent claim. */
export type AgentBinding = { agent_id: string; token_id: string | null; via: 'agent_token' | 'oidc' };

/** A caller the adapter vouches for. */
export type Principal = {
  actor: Actor;
  repositoryPermissions: RepositoryPermission[];
  /** Present when the caller acts as a registered agent; its decisions carry this agent id. */
  agent?: AgentBinding;
};

/**
 * An adapter's answer: a principal, nobody (no credentials; OIDC mode), or a rejected credential (400 a
 * credential this mode cannot take, 401 an invalid one). An unreachable identity provider is not the caller's
 * fault: the adapter throws an `ApiError` 503 `identity_provider_unavailable` instead.
 */
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
  /** Group mappings, repository grants and group permissions; absent means none (demo). */
  readonly rbac?: RbacConfig;
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
    rbac: NO_RBAC,
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

/** The prefix of agent API tokens; a bearer token with it is never parsed as a JWT. */
export const AGENT_TOKEN_PREFIX = 'cavra_at_';

/** Options of {@link createOidcAuth}. */
export type OidcAuthOptions = {
  /** Fetches JWKS and discovery documents (the global `fetch` on the server, a stub in tests). */
  fetch: FetchLike;
  /** The clock `exp` and `nbf` are checked against (the API's clock). */
  clock: () => Date;
  rbac?: RbacConfig;
};

/** Claims `/console/security-boundary` reports as validated or read. */
const VALIDATED_CLAIMS = [
  'iss',
  'aud',
  'exp',
  'nbf',
  'groups',
  'roles',
  'email',
  'preferred_username',
  'sub',
];

/**
 * The OIDC adapter: `Authorization: Bearer <JWT>` verified against the configured issuer's keys; no header
 * means nobody (routes that need an actor answer 401). Groups come from the groups claim (or roles when it is
 * missing or empty), plus the group mappings of the OIDC config and the RBAC file.
 */
export function createOidcAuth(config: OidcConfig, options: OidcAuthOptions): AuthAdapter {
  const verifier = createOidcVerifier(config, { fetch: options.fetch });
  const rbac = options.rbac ?? NO_RBAC;
  return {
    mode: 'oidc',
    isOidcConfigured: true,
    isRbacConfigured: options.rbac !== undefined,
    tokenValidation: { supportedAlgorithms: [...config.algorithms], validatedClaims: VALIDATED_CLAIMS },
    rbac,
    authenticate: async (request) => {
      const authorization = request.headers.get('authorization');
      if (authorization === null) return { ok: true, principal: null };
      const match = /^bearer[ ]+(\S+)\s*$/i.exec(authorization);
      if (match?.[1] === undefined) {
        return {
          ok: false,
          status: 401,
          code: 'invalid_authorization_header',
          message: "the authorization header must be 'Bearer <token>'",
        };
      }
      const verified = await verifier.verify(match[1], options.clock());
      if (!verified.ok) {
        const { status, code, message } = verified;
        if (status === 503) throw new ApiError(503, code, message);
        return { ok: false, status, code, message };
      }
      return { ok: true, principal: principalOf(verified.claims, config, rbac) };
    },
  };
}

/** Upstream's claims → actor context (§2.5), with the agent binding of client-credentials tokens. */
function principalOf(claims: JWTPayload, config: OidcConfig, rbac: RbacConfig): Principal {
  const groupsClaim = stringList(claims[config.groupsClaim]);
  const groups = mapGroups(
    groupsClaim.length > 0 ? groupsClaim : stringList(claims[config.rolesClaim]),
    config.groupMappings,
    rbac.groupMappings,
  );
  const text = (name: string): string | null => {
    const value = claims[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const principal: Principal = {
    actor: {
      actor: text('email') ?? text('preferred_username') ?? text('sub') ?? 'unknown',
      subject: text('sub'),
      issuer: text('iss'),
      groups,
      repository: text('repository') ?? text('repo'),
    },
    repositoryPermissions: grantsFor(rbac, groups),
  };
  const agentId = text(config.agentIdClaim);
  if (agentId !== null) principal.agent = { agent_id: agentId, token_id: null, via: 'oidc' };
  return principal;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item !== '');
}
