/**
 * A decision request as its authenticated caller, against the registry: identity binding (agent tokens and
 * OIDC), the MCP trust registry and the agent registry. `POST /decisions` and `POST /evaluate` use it.
 */
import type { Context } from 'hono';
import type { Decision } from '../../engine';
import { decideRequest, type DecisionRequestBody } from '../decide';
import { errorBody, type ErrorBody } from '../errors';
import type { ApiContext } from '../router';
import { bindDecisionIdentity } from './caller';
import { enforceAgentRegistry } from './registry-enforcement';

/** A decision, or the error to answer with. */
export type DecidedAs =
  { ok: true; decision: Decision } | { ok: false; status: 400 | 401 | 403; error: ErrorBody };

/**
 * Decides `body` for the caller of `request`. `isStored`: the decision will be recorded (OIDC mode then needs a
 * credential; a dry run does not).
 */
export async function decideAs(
  { deps, identity }: Pick<ApiContext, 'deps' | 'identity'>,
  request: Request,
  body: DecisionRequestBody,
  options: { isStored: boolean },
): Promise<DecidedAs> {
  const hasCredential = request.headers.has('authorization');
  // Fast path: demo mode without credentials needs no authentication round trip.
  let bound = body;
  if (hasCredential || deps.auth.isOidcConfigured) {
    const outcome = await deps.auth.authenticate(request);
    if (!outcome.ok)
      return { ok: false, status: outcome.status, error: errorBody(outcome.code, outcome.message) };
    const binding = bindDecisionIdentity(deps.auth, outcome.principal, body, options);
    if (!binding.ok)
      return { ok: false, status: binding.status, error: errorBody(binding.code, binding.message) };
    bound = binding.body;
  }
  const snapshot = await identity.registry.snapshot();
  const decided = decideRequest(deps, bound, undefined, snapshot.mcp);
  if (!decided.ok) return { ok: false, status: 400, error: decided.error };
  return { ok: true, decision: enforceAgentRegistry(decided.decision, snapshot) };
}

/** A {@link decideAs} failure as its response (one typed branch per status). */
export function decidedAsFailure(c: Context, failure: Extract<DecidedAs, { ok: false }>) {
  switch (failure.status) {
    case 400:
      return c.json(failure.error, 400);
    case 401:
      return c.json(failure.error, 401);
    case 403:
      return c.json(failure.error, 403);
  }
}
