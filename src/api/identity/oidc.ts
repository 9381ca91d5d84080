/**
 * Verifies OIDC bearer tokens with `jose` (upstream §2.6, hardened): RS256, ES256 or EdDSA only; `iss`, `aud`,
 * `exp` (required) and `nbf` checked with the configured leeway against the API's clock; keys from a static
 * JWKS, a JWKS URL or a discovery document, fetched through an injected `fetch` (Web-standard: the same code
 * runs in the sandbox).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { OidcConfig } from './oidc-config';

/** How keys are fetched: the global `fetch`, or a stub in tests. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A rejected token: a status, a stable code, a message a person can act on. */
export type TokenRejection = { status: 401 | 503; code: string; message: string };

/** A verification's answer: the verified claims, or why not. */
export type TokenVerification = { ok: true; claims: JWTPayload } | ({ ok: false } & TokenRejection);

/** A verifier bound to one configuration. */
export type OidcVerifier = { verify(token: string, now: Date): Promise<TokenVerification> };

/** Options of {@link createOidcVerifier}. */
export type OidcVerifierOptions = {
  fetch: FetchLike;
  /** Timeout of one key or discovery fetch (default 5 s). */
  timeoutMs?: number;
};

class DiscoveryError extends Error {}

/** A verifier for `config`. Keys are fetched lazily, on the first token, and cached by `jose`. */
export function createOidcVerifier(config: OidcConfig, options: OidcVerifierOptions): OidcVerifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchJson: FetchLike = (input, init) =>
    options.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const remote = (url: string): JWTVerifyGetKey =>
    createRemoteJWKSet(new URL(url), {
      timeoutDuration: timeoutMs,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      [customFetch]: (input, init) => options.fetch(input, init),
    });
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const keys = (): Promise<JWTVerifyGetKey> => {
    const source = config.keys;
    switch (source.kind) {
      case 'static':
        keySet ??= Promise.resolve(createLocalJWKSet(source.jwks as { keys: never[] }));
        break;
      case 'jwks_uri':
        keySet ??= Promise.resolve(remote(source.url));
        break;
      case 'discovery':
        keySet ??= discoverJwksUri(source.url, config.issuer, fetchJson).then(remote, (error: unknown) => {
          keySet = undefined; // the next token retries discovery
          throw error;
        });
        break;
    }
    return keySet;
  };
  return {
    verify: async (token, now) => {
      if (token.split('.').length !== 3) {
        return reject(
          401,
          'token_malformed',
          'the bearer token must be a compact JWT (three dot-separated parts)',
        );
      }
      try {
        const { payload } = await jwtVerify(token, await keys(), {
          issuer: config.issuer,
          audience: config.audiences,
          algorithms: config.algorithms,
          clockTolerance: config.leewaySeconds,
          currentDate: now,
          requiredClaims: ['exp'],
        });
        return { ok: true, claims: payload };
      } catch (error) {
        return { ok: false, ...rejection(error) };
      }
    },
  };
}

async function discoverJwksUri(url: string, issuer: string, fetchJson: FetchLike): Promise<string> {
  let document: unknown;
  try {
    const response = await fetchJson(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new DiscoveryError(`the discovery document ${url} answered ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (error instanceof DiscoveryError) throw error;
    throw new DiscoveryError(`the discovery document ${url} could not be read (${String(error)})`);
  }
  const fields =
    typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
  // OpenID Connect Discovery §4.3: the document's issuer must be the configured one.
  if (fields['issuer'] !== issuer) {
    throw new DiscoveryError(
      `the discovery document ${url} names issuer ${String(fields['issuer'])}, not ${issuer}`,
    );
  }
  const jwksUri = fields['jwks_uri'];
  if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) {
    throw new DiscoveryError(`the discovery document ${url} has no http(s) jwks_uri`);
  }
  return jwksUri;
}

function reject(status: 401 | 503, code: string, message: string): { ok: false } & TokenRejection {
  return { ok: false, status, code, message };
}

/** A `jose` (or fetch) failure as a rejection. Unknown failures are 401 too: never accept on error. */
function rejection(error: unknown): TokenRejection {
  if (error instanceof DiscoveryError) {
    return { status: 503, code: 'identity_provider_unavailable', message: error.message };
  }
  if (error instanceof errors.JWTExpired) {
    return { status: 401, code: 'token_expired', message: 'the bearer token is expired: sign in again' };
  }
  if (error instanceof errors.JWTClaimValidationFailed) return claimRejection(error.claim);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return {
      status: 401,
      code: 'token_algorithm_not_allowed',
      message: 'the bearer token must be signed with RS256, ES256 or EdDSA',
    };
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return {
      status: 401,
      code: 'token_key_not_found',
      message: "the bearer token's signing key (kid) is not in the identity provider's key set",
    };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { status: 401, code: 'token_signature_invalid', message: 'the bearer token signature is invalid' };
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || isFetchFailure(error)) {
    return {
      status: 503,
      code: 'identity_provider_unavailable',
      message: "the identity provider's key set could not be fetched; try again shortly",
    };
  }
  return { status: 401, code: 'token_invalid', message: 'the bearer token is not a valid signed JWT' };
}

function claimRejection(claim: string): TokenRejection {
  switch (claim) {
    case 'iss':
      return {
        status: 401,
        code: 'token_issuer_untrusted',
        message: 'the bearer token issuer is not trusted',
      };
    case 'aud':
      return {
        status: 401,
        code: 'token_audience_untrusted',
        message: 'the bearer token audience is not trusted',
      };
    case 'nbf':
      return { status: 401, code: 'token_not_yet_valid', message: 'the bearer token is not valid yet (nbf)' };
    case 'exp':
      return { status: 401, code: 'token_expired', message: 'the bearer token has no valid exp claim' };
    default:
      return { status: 401, code: 'token_invalid', message: `the bearer token claim '${claim}' is invalid` };
  }
}

function isFetchFailure(error: unknown): boolean {
  // jose reports a non-200 JWKS response as a generic JOSEError; fetch reports network failures as TypeError.
  return (
    error instanceof TypeError ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}
