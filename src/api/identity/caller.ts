/**
 * Who is acting, for the routes: authenticate, require a permission, and bind a decision's `agent_id` and
 * `actor` to the authenticated identity (issue 4 §4: identity is authenticated, not claimed). Failures are
 * values `{ status, code, message }` the route turns into its error response.
 */
import type { Context } from 'hono';
import { canBreakGlass } from '../approvals/permissions';
import type { AuthAdapter, Principal } from '../auth';
import { errorResponse } from '../errors';
import { hasGroupPermission } from './permissions';
import type { GroupPermission } from './rbac';

/** A refusal: 400 (a credential this mode cannot take), 401 (no or a bad credential), 403 (not allowed). */
export type CallerFailure = { ok: false; status: 400 | 401 | 403; code: string; message: string };

/** The caller of a request, or nobody. */
export async function identify(
  auth: AuthAdapter,
  request: Request,
): Promise<{ ok: true; principal: Principal | null } | CallerFailure> {
  return auth.authenticate(request);
}

/**
 * A caller for a write that needs no particular group (session state, an on-demand checkpoint): with OIDC on,
 * an anonymous request is refused (401) — every change to what the log records has an accountable author. In
 * demo mode the demo operator stands.
 */
export async function requireCaller(
  auth: AuthAdapter,
  request: Request,
  what: string,
): Promise<{ ok: true; principal: Principal | null } | CallerFailure> {
  const outcome = await identify(auth, request);
  if (!outcome.ok) return outcome;
  if (outcome.principal === null && auth.isOidcConfigured) {
    return {
      ok: false,
      status: 401,
      code: 'authentication_required',
      message: `sign in to ${what}: send 'Authorization: Bearer <OIDC token>' or an agent token`,
    };
  }
  return outcome;
}

const PERMISSION_TEXT: Readonly<Record<GroupPermission, string>> = {
  registry_write: 'change the agent and MCP registry',
  evidence_export: 'export evidence',
};

/** The caller, when it holds `permission`; 401 without credentials, 403 without the permission. */
export async function requirePermission(
  auth: AuthAdapter,
  request: Request,
  permission: GroupPermission,
): Promise<{ ok: true; principal: Principal } | CallerFailure> {
  const outcome = await identify(auth, request);
  if (!outcome.ok) return outcome;
  const { principal } = outcome;
  if (principal === null) {
    return {
      ok: false,
      status: 401,
      code: 'authentication_required',
      message: `sign in to ${PERMISSION_TEXT[permission]}: send 'Authorization: Bearer <OIDC token>'`,
    };
  }
  if (!hasGroupPermission(auth, principal, permission)) {
    const holders = (auth.rbac?.groupPermissions[permission] ?? []).join(', ');
    return {
      ok: false,
      status: 403,
      code: 'permission_denied',
      message: `${principal.actor.actor} may not ${PERMISSION_TEXT[permission]}: it needs one of the groups ${holders}`,
    };
  }
  return { ok: true, principal };
}

/** The identity fields of a decision request. */
export type DecisionIdentityFields = {
  agent_id?: string;
  actor?: string;
  break_glass_actor?: string;
  policy_mode?: string;
};

/**
 * Binds a decision request to its caller. With a credential, `agent_id` (agent tokens, OIDC agent claims) and
 * `actor` come from the identity; body values that disagree are refused with 403 (`agent_mismatch`, `actor_mismatch`). Without
 * one, OIDC mode refuses to store a decision (401) and demo mode keeps the body's labels. The break-glass
 * policy mode needs the Change Advisory Board (403 `break_glass_not_allowed`).
 */
export function bindDecisionIdentity<T extends DecisionIdentityFields>(
  auth: AuthAdapter,
  principal: Principal | null,
  body: T,
  options: { isStored: boolean },
): { ok: true; body: T } | CallerFailure {
  if (principal === null) {
    if (auth.isOidcConfigured && options.isStored) {
      return {
        ok: false,
        status: 401,
        code: 'authentication_required',
        message:
          "recording a decision needs a verified caller: send 'Authorization: Bearer cavra_at_…' (an agent token) or an OIDC token",
      };
    }
    return { ok: true, body };
  }
  // The demo operator is nobody in particular: in demo mode without a token the body's labels stand.
  if (auth.mode === 'demo' && principal.agent === undefined) return { ok: true, body };
  const bound: T = { ...body, actor: principal.actor.actor };
  if (principal.agent !== undefined) bound.agent_id = principal.agent.agent_id;
  for (const field of ['agent_id', 'actor', 'break_glass_actor'] as const) {
    const claimed = body[field];
    const expected = field === 'break_glass_actor' ? bound.actor : bound[field];
    if (claimed !== undefined && expected !== undefined && claimed !== expected) {
      return {
        ok: false,
        status: 403,
        code: field === 'agent_id' ? 'agent_mismatch' : 'actor_mismatch',
        message: `field '${field}' is '${claimed}' but the caller is authenticated as '${expected}': drop the field or use the matching credential`,
      };
    }
  }
  // An authenticated caller may invoke the break-glass mode only as a Change Advisory Board member.
  if (body.policy_mode === 'break_glass' && !canBreakGlass(principal)) {
    return {
      ok: false,
      status: 403,
      code: 'break_glass_not_allowed',
      message: `${principal.actor.actor} may not decide in break_glass mode: it needs the Change Advisory Board group`,
    };
  }
  // The verified caller is the break-glass actor the evidence names.
  if (body.policy_mode === 'break_glass') bound.break_glass_actor = bound.actor;
  return { ok: true, body: bound };
}

/** A refusal as its error response (one typed branch per status, so routes declare each of them). */
export function failureResponse(c: Context, failure: Omit<CallerFailure, 'ok'>) {
  const { code, message } = failure;
  switch (failure.status) {
    case 400:
      return errorResponse(c, 400, code, message);
    case 401:
      return errorResponse(c, 401, code, message);
    case 403:
      return errorResponse(c, 403, code, message);
  }
}

/** The OpenAPI security scheme of authenticated routes (`components.securitySchemes.bearer`). */
export const BEARER_SCHEME = {
  type: 'http',
  scheme: 'bearer',
  description:
    'An OIDC access token (JWT) from the configured issuer, or an agent API token (`cavra_at_…`). Not needed in demo mode.',
} as const;

/** `security` of a route that needs a verified caller outside demo mode. */
export const BEARER_SECURITY = [{ bearer: [] }];
