/**
 * Test support for approvals: an OIDC-mode auth adapter whose bearer token is simply a person's name, with the
 * groups and repository permissions the test gives them, and a clock the test moves by hand. Node only (tests).
 */
import type { AuthAdapter, Principal, RepositoryPermission } from '../src/api';

/** A person the test adapter knows: their groups and repository permissions. */
export type TestPerson = { groups: string[]; permissions?: RepositoryPermission[] };

/** `Authorization: Bearer <name>` for a person of {@link personAuth}. */
export function as(name: string): { authorization: string } {
  return { authorization: `Bearer ${name}` };
}

/**
 * An adapter in `oidc` mode: `Bearer <name>` authenticates as that person (subject `sub-<name>`); no header
 * is nobody; an unknown name is a 401.
 */
export function personAuth(people: Readonly<Record<string, TestPerson>>): AuthAdapter {
  return {
    mode: 'oidc',
    isOidcConfigured: true,
    isRbacConfigured: true,
    tokenValidation: { supportedAlgorithms: ['RS256'], validatedClaims: ['iss', 'aud', 'exp'] },
    authenticate: (request) => {
      const header = request.headers.get('authorization');
      if (header === null) return Promise.resolve({ ok: true, principal: null });
      const name = header.replace(/^Bearer\s+/i, '');
      const person = people[name];
      if (person === undefined) {
        return Promise.resolve({
          ok: false,
          status: 401,
          code: 'invalid_token',
          message: 'unknown test token',
        });
      }
      const principal: Principal = {
        actor: {
          actor: name,
          subject: `sub-${name}`,
          issuer: 'https://idp.test',
          groups: person.groups,
          repository: null,
        },
        repositoryPermissions: person.permissions ?? [],
      };
      return Promise.resolve({ ok: true, principal });
    },
  };
}

/** A clock that stays where the test puts it. */
export function manualClock(start = '2026-05-21T15:40:00.000Z'): {
  clock: () => Date;
  advanceHours(h: number): void;
  set(iso: string): void;
} {
  let now = Date.parse(start);
  return {
    clock: () => new Date(now),
    advanceHours: (hours) => {
      now += hours * 3_600_000;
    },
    set: (iso) => {
      now = Date.parse(iso);
    },
  };
}

/** JSON POST options with extra headers. */
export function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
