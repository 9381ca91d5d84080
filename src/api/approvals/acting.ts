/**
 * Who is acting on an approval: the authenticated principal, never a body claim. Upstream trusted unsigned
 * `actor_claims` and a body `actor`; here `actor_claims`/`actor_token` are always refused, and `actor` only
 * names the demo operator's persona in demo mode (with OIDC it must equal the token's actor).
 */
import type { AuthAdapter, AuthOutcome, Principal } from '../auth';
import { errorBody, type ErrorBody } from '../errors';

/** The identity fields a mutation body may carry. */
export type IdentityFields = { actor?: string | undefined; actor_claims?: unknown; actor_token?: unknown };

/** The principal acting in this request, or the error to answer with. */
export type Acting =
  | { ok: true; principal: Principal }
  | { ok: false; status: Extract<AuthOutcome, { ok: false }>['status'] | 400 | 401 | 403; body: ErrorBody };

/** Authenticates the request and reconciles the body's identity fields with it. */
export async function actingPrincipal(
  auth: AuthAdapter,
  request: Request,
  body: IdentityFields,
): Promise<Acting> {
  for (const field of ['actor_claims', 'actor_token'] as const) {
    if (body[field] !== undefined) {
      return {
        ok: false,
        status: 400,
        body: errorBody(
          'unsigned_identity_refused',
          `${field} is not accepted: identity comes from the Authorization header (a bearer token or agent API token), never from the body`,
          { field },
        ),
      };
    }
  }
  const outcome = await auth.authenticate(request);
  if (!outcome.ok)
    return { ok: false, status: outcome.status, body: errorBody(outcome.code, outcome.message) };
  const principal = outcome.principal;
  if (principal === null) {
    return {
      ok: false,
      status: 401,
      body: errorBody(
        'authentication_required',
        'this action needs a verified actor: send Authorization: Bearer <token>',
      ),
    };
  }
  const named = body.actor;
  if (named === undefined || named === principal.actor.actor) return { ok: true, principal };
  if (auth.mode === 'demo')
    return { ok: true, principal: { ...principal, actor: { ...principal.actor, actor: named } } };
  return {
    ok: false,
    status: 403,
    body: errorBody(
      'actor_mismatch',
      `the body names actor '${named}' but the token is ${principal.actor.actor}'s: drop the actor field`,
      { field: 'actor' },
    ),
  };
}
