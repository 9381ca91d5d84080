/**
 * What the console reads before anything else (upstream §7.3): deployment config, the caller's session and
 * permissions, and the security boundary. Demo mode is reported here and in every response's
 * `x-cavra-auth-mode` header.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AuthAdapter, Principal } from '../auth';
import { errorResponse } from '../errors';
import { consolePermissions } from '../identity/permissions';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonResponse } from '../schemas/common';

/** Paths (under `api_base_url`) of the endpoints this server actually serves. */
const ENDPOINTS = {
  health: '/health',
  version: '/version',
  openapi: '/openapi.json',
  decisions: '/decisions',
  evaluate: '/evaluate',
  sessions: '/sessions',
  evidence: '/evidence',
  evidence_checkpoints: '/evidence/checkpoints',
  evidence_verify: '/evidence/verify',
  evidence_proof: '/evidence/proof/{decision_id}',
  evidence_session_bundle: '/evidence/sessions/{session_id}/bundle',
  evidence_session_export: '/evidence/sessions/{session_id}/export',
  evidence_session_attestation: '/evidence/sessions/{session_id}/attestation',
  evidence_attestation_verify: '/evidence/sessions/{session_id}/attestation/verify',
  evidence_trust_roots: '/evidence/trust-roots',
  policy_packs: '/policy-packs',
  policy_pack_catalog: '/policy-pack-catalog',
  approvals: '/approvals',
  approval: '/approvals/{approval_id}',
  approval_approve: '/approvals/{approval_id}/approve',
  approval_deny: '/approvals/{approval_id}/deny',
  approval_break_glass: '/approvals/break-glass',
  approval_review: '/approvals/{approval_id}/review',
  agents: '/agents',
  agent_profiles: '/agents/profiles',
  agent_tokens: '/agents/{agent_id}/tokens',
  mcp_servers: '/mcp/servers',
  mcp_tool_classifications: '/mcp/tool-classifications',
  mcp_trust: '/mcp/trust',
  console_session: '/console/session',
  console_security_boundary: '/console/security-boundary',
} as const;

const AuthModeSchema = z.enum(['demo', 'oidc']).openapi({
  description: '`demo`: no identity provider; every caller acts as the demo operator',
});
const Configured = z.enum(['configured', 'disabled']);

const ConfigSchema = z
  .object({
    product: z.literal('CAVRA'),
    version: z.string(),
    api_base_url: z.string().openapi({ example: '/api' }),
    auth_mode: AuthModeSchema,
    demo_mode: z.boolean(),
    activity_mode: z.string().openapi({ description: 'Where decisions and sessions are stored' }),
    approval_oidc: Configured,
    approval_rbac: Configured,
    cors_origins: z.array(z.string()),
    evidence: z.object({
      origin: z.string(),
      key_id: z.string(),
      checkpoint_policy: z.object({ every_entries: z.number().int(), every_seconds: z.number() }),
    }),
    endpoints: z.record(z.string(), z.string()),
    oidc: z
      .object({
        issuer: z.string(),
        client_id: z.string(),
        scopes: z.array(z.string()),
        extra_query_params: z.record(z.string(), z.string()),
      })
      .nullable()
      .openapi({
        description:
          "The console's sign-in (Authorization Code + PKCE, public client); null in demo mode or when no console client is configured",
      }),
  })
  .openapi('ConsoleConfig');

const ActorSchema = z.object({
  actor: z.string(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  groups: z.array(z.string()),
  repository: z.string().nullable(),
});

const PermissionsSchema = z.object({
  read_activity: z.boolean(),
  read_inventory: z.boolean(),
  read_integrations: z.boolean(),
  read_evidence_metadata: z.boolean(),
  decide_approvals: z.boolean(),
  publish_policy_packs: z.boolean(),
  create_break_glass: z.boolean(),
  approve_groups: z.array(z.string()).openapi({
    description:
      'Approver groups whose requests the caller may decide (`*`: any, through a repository grant)',
  }),
  registry_write: z.boolean().openapi({ description: 'Change agents and MCP servers, manage agent tokens' }),
  evidence_export: z.boolean(),
});

const AgentBindingSchema = z
  .object({
    agent_id: z.string(),
    token_id: z.string().nullable(),
    via: z.enum(['agent_token', 'oidc']),
  })
  .openapi({ description: 'Set when the caller is a machine client acting as a registered agent' });

const SessionSchema = z
  .object({
    schema_version: z.literal('cavra.console.session.v1'),
    product: z.literal('CAVRA'),
    mode: z.enum(['authenticated', 'auth_required', 'local_or_demo']),
    auth_mode: AuthModeSchema,
    authenticated: z.boolean(),
    auth_required: z.boolean(),
    actor: ActorSchema.nullable(),
    repository_permissions: z.array(
      z.object({
        repository: z.string(),
        approver_group: z.string(),
        actions: z.array(z.string()),
        groups: z.array(z.string()),
      }),
    ),
    permissions: PermissionsSchema,
    agent: AgentBindingSchema.nullable(),
    operator_notes: z.array(z.string()),
  })
  .openapi('ConsoleSession');

const BoundarySchema = z
  .object({
    schema_version: z.literal('cavra.console.security_boundary.v1'),
    product: z.literal('CAVRA'),
    mode: z.enum(['oidc_rbac_ready', 'local_or_demo']),
    auth_mode: AuthModeSchema,
    oidc: z.object({
      configured: z.boolean(),
      config_env: z.literal('CAVRA_APPROVAL_OIDC_CONFIG'),
      supported_algorithms: z.array(z.string()),
      validated_claims: z.array(z.string()),
    }),
    rbac: z.object({
      configured: z.boolean(),
      config_env: z.literal('CAVRA_APPROVAL_RBAC_FILE'),
      boundaries: z.array(z.string()),
    }),
    cors: z.object({ configured: z.boolean(), origins: z.array(z.string()) }),
    console_permissions: z.array(z.string()),
    operator_notes: z.array(z.string()),
  })
  .openapi('ConsoleSecurityBoundary');

const getConfig = createRoute({
  method: 'get',
  path: '/console/config',
  tags: ['console'],
  summary: 'Deployment facts the console needs first',
  responses: { 200: jsonResponse(ConfigSchema, 'The configuration') },
});

const getSession = createRoute({
  method: 'get',
  path: '/console/session',
  tags: ['console'],
  summary: "The caller's identity and permissions",
  responses: {
    200: jsonResponse(SessionSchema, 'The session (`cavra.console.session.v1`)'),
    ...errorResponses(400, 401, 503),
  },
});

const getBoundary = createRoute({
  method: 'get',
  path: '/console/security-boundary',
  tags: ['console'],
  summary: 'How this deployment authenticates and authorises',
  responses: { 200: jsonResponse(BoundarySchema, 'The boundary (`cavra.console.security_boundary.v1`)') },
});

const DEMO_NOTES = [
  'Demo mode: no OIDC is configured (CAVRA_APPROVAL_OIDC_CONFIG), so every caller acts as the demo operator with every permission.',
  'Do not expose a demo-mode server beyond your machine; configure OIDC and RBAC before production use.',
];

/** The console sub-app. */
export function consoleRoutes({ deps, evidence }: ApiContext) {
  const { auth, config } = deps;
  const isDemo = auth.mode === 'demo';
  return createRouter()
    .openapi(getConfig, (c) => {
      const policy = deps.evidence.checkpointPolicy;
      return c.json(
        {
          product: 'CAVRA' as const,
          version: config.version,
          api_base_url: config.publicApiBaseUrl ?? '/api',
          auth_mode: auth.mode,
          demo_mode: isDemo,
          activity_mode: config.databaseLabel ?? deps.store.dialect,
          approval_oidc: auth.isOidcConfigured ? ('configured' as const) : ('disabled' as const),
          approval_rbac: auth.isRbacConfigured ? ('configured' as const) : ('disabled' as const),
          cors_origins: [...(config.corsOrigins ?? [])],
          evidence: {
            origin: evidence.origin,
            key_id: deps.evidence.key.keyId,
            checkpoint_policy: { every_entries: policy.everyEntries, every_seconds: policy.everySeconds },
          },
          endpoints: { ...ENDPOINTS },
          oidc: auth.isOidcConfigured && config.consoleOidc !== undefined ? config.consoleOidc : null,
        },
        200,
      );
    })
    .openapi(getSession, async (c) => {
      const outcome = await auth.authenticate(c.req.raw);
      if (!outcome.ok) return errorResponse(c, outcome.status, outcome.code, outcome.message);
      return c.json(consoleSession(auth, outcome.principal), 200);
    })
    .openapi(getBoundary, (c) => {
      const origins = [...(config.corsOrigins ?? [])];
      const isReady = auth.isOidcConfigured && auth.isRbacConfigured;
      return c.json(
        {
          schema_version: 'cavra.console.security_boundary.v1' as const,
          product: 'CAVRA' as const,
          mode: isReady ? ('oidc_rbac_ready' as const) : ('local_or_demo' as const),
          auth_mode: auth.mode,
          oidc: {
            configured: auth.isOidcConfigured,
            config_env: 'CAVRA_APPROVAL_OIDC_CONFIG' as const,
            supported_algorithms: [...auth.tokenValidation.supportedAlgorithms],
            validated_claims: [...auth.tokenValidation.validatedClaims],
          },
          rbac: {
            configured: auth.isRbacConfigured,
            config_env: 'CAVRA_APPROVAL_RBAC_FILE' as const,
            boundaries: ['approval_group', 'repository_permissions', 'group_mappings'],
          },
          cors: { configured: origins.length > 0, origins },
          console_permissions: ['read_activity', 'read_evidence_metadata', 'read_console_session'],
          operator_notes: isDemo
            ? DEMO_NOTES
            : ['Host the console behind enterprise identity before production use.'],
        },
        200,
      );
    });
}

/** Upstream's session document for a principal (or nobody). */
function consoleSession(auth: AuthAdapter, principal: Principal | null) {
  const isDemo = auth.mode === 'demo';
  const isAgent = principal?.agent !== undefined;
  const isAuthenticated = principal !== null && (!isDemo || isAgent);
  return {
    schema_version: 'cavra.console.session.v1' as const,
    product: 'CAVRA' as const,
    mode: isAuthenticated
      ? ('authenticated' as const)
      : isDemo
        ? ('local_or_demo' as const)
        : ('auth_required' as const),
    auth_mode: auth.mode,
    authenticated: isAuthenticated,
    auth_required: auth.isOidcConfigured,
    actor: principal?.actor ?? null,
    repository_permissions: principal?.repositoryPermissions ?? [],
    permissions: consolePermissions(auth, principal),
    agent: principal?.agent ?? null,
    operator_notes: isDemo
      ? DEMO_NOTES
      : [
          'Console mutation endpoints require a verified OIDC actor.',
          ...(auth.isRbacConfigured
            ? ['Repository-scoped permissions are evaluated from CAVRA_APPROVAL_RBAC_FILE.']
            : []),
        ],
  };
}
