/**
 * The sandbox's identity adapter: the API's {@link AuthAdapter} port, vouching for the persona the request names
 * in `Authorization: Persona <id>` (the sandbox transport adds it from the top bar's choice). It stands where an
 * OIDC adapter stands live: one principal per request, groups and repository grants from that principal, so
 * every permission check in the API runs unchanged.
 */
import type { AuthAdapter, AuthOutcome } from '../../src/api';
import { PERSONAS, findPersona } from './personas';

/** The credential scheme of the sandbox (never accepted by a live server, which knows only Bearer). */
export const PERSONA_SCHEME = 'Persona';

/** The `authorization` header value that selects a persona. */
export function personaCredential(personaId: string): string {
  return `${PERSONA_SCHEME} ${personaId}`;
}

/** Builds the sandbox adapter. No credential: nobody (as a live OIDC deployment answers `auth_required`). */
export function createPersonaAuth(): AuthAdapter {
  return {
    mode: 'oidc',
    isOidcConfigured: false,
    isRbacConfigured: true,
    tokenValidation: { supportedAlgorithms: [], validatedClaims: [] },
    authenticate: (request) => Promise.resolve(outcomeOf(request.headers.get('authorization'))),
  };
}

function outcomeOf(authorization: string | null): AuthOutcome {
  if (authorization === null || authorization.trim() === '') return { ok: true, principal: null };
  const match = /^persona\s+(\S+)$/i.exec(authorization.trim());
  if (match === null) {
    return {
      ok: false,
      status: 401,
      code: 'invalid_credentials',
      message: `the sandbox accepts 'Authorization: Persona <id>' only; personas: ${PERSONAS.map((p) => p.id).join(', ')}`,
    };
  }
  const persona = findPersona(match[1] ?? '');
  if (persona === undefined) {
    return {
      ok: false,
      status: 401,
      code: 'unknown_persona',
      message: `no persona '${match[1] ?? ''}': choose one of ${PERSONAS.map((p) => p.id).join(', ')}`,
    };
  }
  return { ok: true, principal: structuredClone(persona.principal) };
}
