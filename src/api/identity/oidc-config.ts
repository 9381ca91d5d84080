/**
 * The OIDC configuration (`CAVRA_APPROVAL_OIDC_CONFIG`, upstream §2.6): upstream's fields (`issuer`, `audience`,
 * `jwks`, `leeway_seconds`) plus where keys come from over HTTP (`jwks_uri`, `discovery_url`, `discovery`),
 * which claims carry groups, group mappings, and the accepted algorithms. `jwks_path` is resolved by the
 * server (it reads files); this module never does I/O.
 */
import { z } from 'zod';
import type { FieldIssue } from '../errors';

/** Signature algorithms a token may use. Never `none`, never an HMAC (a public key is not a secret). */
export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** One of {@link OIDC_ALGORITHMS}. */
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/** Where the verification keys come from. */
export type OidcKeySource =
  | { kind: 'static'; jwks: { keys: Record<string, unknown>[] } }
  | { kind: 'jwks_uri'; url: string }
  | { kind: 'discovery'; url: string };

/** A validated OIDC configuration. */
export type OidcConfig = {
  issuer: string;
  audiences: string[];
  keys: OidcKeySource;
  leewaySeconds: number;
  algorithms: OidcAlgorithm[];
  /** Claim holding the groups (default `groups`); `roles_claim` is read when it is missing or empty. */
  groupsClaim: string;
  rolesClaim: string;
  /** IdP group → CAVRA group, added to the actor's groups (the RBAC file may add more). */
  groupMappings: Record<string, string>;
  /** Claim binding a client-credentials token to a registered agent (default `agent_id`). */
  agentIdClaim: string;
};

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+\S*$/, 'must be an absolute http(s) URL');

const JwksSchema = z.object({
  keys: z.array(z.record(z.string(), z.unknown())).min(1, 'must include at least one key'),
});

const claimName = z.string().min(1, 'must not be empty');

const OidcConfigSchema = z.strictObject({
  issuer: z.string().min(1, 'is required'),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'must be a string or a non-empty list of strings',
  }),
  jwks: JwksSchema.optional(),
  jwks_path: z.string().optional(),
  jwks_uri: httpUrl.optional(),
  discovery_url: httpUrl.optional(),
  discovery: z.boolean().optional(),
  leeway_seconds: z.number().int().min(0).max(600).optional(),
  algorithms: z.array(z.enum(OIDC_ALGORITHMS)).min(1).optional(),
  groups_claim: claimName.optional(),
  roles_claim: claimName.optional(),
  group_mappings: z.record(z.string(), z.string().min(1)).optional(),
  agent_id_claim: claimName.optional(),
});

/** Default leeway for `exp` and `nbf` (upstream: 60 s). */
export const DEFAULT_LEEWAY_SECONDS = 60;

/**
 * Validates an OIDC configuration document (JSON already parsed). Errors name the field, e.g.
 * `audience: is required`.
 */
export function parseOidcConfig(
  input: unknown,
): { ok: true; config: OidcConfig } | { ok: false; issues: FieldIssue[] } {
  const parsed = OidcConfigSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: issue.path.length === 0 ? 'config' : issue.path.map(String).join('.'),
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
            : issue.message,
      })),
    };
  }
  const value = parsed.data;
  if (value.jwks_path !== undefined) {
    return {
      ok: false,
      issues: [{ field: 'jwks_path', message: 'must be read by the server and passed as jwks' }],
    };
  }
  const sources = [
    value.jwks && 'jwks',
    value.jwks_uri && 'jwks_uri',
    value.discovery_url && 'discovery_url',
    value.discovery === true && 'discovery',
  ].filter((name): name is string => typeof name === 'string');
  if (sources.length !== 1) {
    return {
      ok: false,
      issues: [
        {
          field: sources[1] ?? 'jwks',
          message:
            sources.length === 0
              ? 'give exactly one key source: jwks, jwks_path, jwks_uri, discovery_url, or discovery: true'
              : `give exactly one key source, not ${sources.join(' and ')}`,
        },
      ],
    };
  }
  const issuer = value.issuer;
  const keys: OidcKeySource = value.jwks
    ? { kind: 'static', jwks: value.jwks }
    : value.jwks_uri !== undefined
      ? { kind: 'jwks_uri', url: value.jwks_uri }
      : {
          kind: 'discovery',
          url: value.discovery_url ?? `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
        };
  return {
    ok: true,
    config: {
      issuer,
      audiences: typeof value.audience === 'string' ? [value.audience] : value.audience,
      keys,
      leewaySeconds: value.leeway_seconds ?? DEFAULT_LEEWAY_SECONDS,
      algorithms: value.algorithms ?? [...OIDC_ALGORITHMS],
      groupsClaim: value.groups_claim ?? 'groups',
      rolesClaim: value.roles_claim ?? 'roles',
      groupMappings: value.group_mappings ?? {},
      agentIdClaim: value.agent_id_claim ?? 'agent_id',
    },
  };
}
