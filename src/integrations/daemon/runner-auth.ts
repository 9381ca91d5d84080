/**
 * Who is asking the daemon: a runner proves its identity with either an HMAC-signed identity (a key shared
 * with the daemon operator) or a CI OIDC token (GitHub Actions, GitLab …) verified against the issuer's
 * JWKS with jose. The HMAC signature covers the request itself, so it cannot be replayed onto another action.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { hmacMessage, requestDigest } from './runner-sign';

export { signRunnerAuth, type RunnerAuth } from './runner-sign';

/** A verified runner. */
export type RunnerIdentity =
  | { method: 'hmac'; runner_id: string; key_id: string }
  | { method: 'oidc'; subject: string; issuer: string; repository?: string; workflow?: string; ref?: string };

/** What the daemon accepts. With neither method configured, runner auth is off. */
export type RunnerAuthConfig = {
  hmacKeys?: ReadonlyMap<string, Uint8Array>;
  oidc?: { issuer: string; audience: string; jwks: JWTVerifyGetKey };
  /** How far `issued_at` may be from the daemon's clock (default 300 s). */
  maxSkewSeconds?: number;
};

/** The text a redacted OIDC token is replaced with in evidence (reference §1.8). */
export const REDACTED_OIDC = '<redacted-oidc-jwt>';

export function isRunnerAuthRequired(config: RunnerAuthConfig): boolean {
  return (config.hmacKeys?.size ?? 0) > 0 || config.oidc !== undefined;
}

/** The request as evidence records it: an OIDC token is replaced by {@link REDACTED_OIDC}. */
export function redactRunnerAuth(request: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const auth = request['runner_auth'];
  if (typeof auth !== 'object' || auth === null || !('token' in auth)) return { ...request };
  return { ...request, runner_auth: { ...auth, token: REDACTED_OIDC } };
}

export type RunnerAuthOutcome =
  { ok: true; identity: RunnerIdentity | null } | { ok: false; message: string };

/**
 * Verifies `runner_auth` when the daemon requires it (identity null when it does not and none is given).
 * Every failure is a message; the daemon answers block.
 */
export async function verifyRunnerAuth(
  request: Readonly<Record<string, unknown>>,
  config: RunnerAuthConfig,
  now: Date,
): Promise<RunnerAuthOutcome> {
  const auth = request['runner_auth'];
  if (auth === undefined || auth === null) {
    return isRunnerAuthRequired(config)
      ? { ok: false, message: 'runner_auth is required by this daemon (an HMAC identity or a CI OIDC token)' }
      : { ok: true, identity: null };
  }
  if (typeof auth !== 'object' || Array.isArray(auth))
    return { ok: false, message: 'runner_auth must be an object' };
  const fields = auth as Record<string, unknown>;
  if (fields['type'] === 'hmac') return verifyHmac(request, fields, config, now);
  if (fields['type'] === 'oidc') return verifyOidc(fields, config);
  return { ok: false, message: `runner_auth.type must be 'hmac' or 'oidc'` };
}

function verifyHmac(
  request: Readonly<Record<string, unknown>>,
  fields: Record<string, unknown>,
  config: RunnerAuthConfig,
  now: Date,
): RunnerAuthOutcome {
  const { key_id: keyId, runner_id: runnerId, issued_at: issuedAt, signature } = fields;
  if (
    typeof keyId !== 'string' ||
    typeof runnerId !== 'string' ||
    typeof issuedAt !== 'string' ||
    typeof signature !== 'string'
  ) {
    return {
      ok: false,
      message: 'runner_auth (hmac) needs key_id, runner_id, issued_at and signature strings',
    };
  }
  const secret = config.hmacKeys?.get(keyId);
  if (secret === undefined)
    return { ok: false, message: `runner_auth key_id '${keyId}' is not known to this daemon` };
  const issued = Date.parse(issuedAt);
  const skew = config.maxSkewSeconds ?? 300;
  if (Number.isNaN(issued) || Math.abs(now.getTime() - issued) > skew * 1000) {
    return {
      ok: false,
      message: `runner_auth issued_at '${issuedAt}' is more than ${skew}s from the daemon's clock`,
    };
  }
  const expected = createHmac('sha256', secret)
    .update(hmacMessage(keyId, runnerId, issuedAt, requestDigest(request)))
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'runner_auth signature does not match this request' };
  }
  return { ok: true, identity: { method: 'hmac', runner_id: runnerId, key_id: keyId } };
}

async function verifyOidc(
  fields: Record<string, unknown>,
  config: RunnerAuthConfig,
): Promise<RunnerAuthOutcome> {
  const token = fields['token'];
  if (typeof token !== 'string' || token === '')
    return { ok: false, message: 'runner_auth (oidc) needs a token' };
  if (config.oidc === undefined)
    return { ok: false, message: 'this daemon does not accept OIDC runner tokens' };
  try {
    const { payload } = await jwtVerify(token, config.oidc.jwks, {
      issuer: config.oidc.issuer,
      audience: config.oidc.audience,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
    });
    if (typeof payload.sub !== 'string') return { ok: false, message: 'runner OIDC token has no subject' };
    const claim = (name: string): string | undefined => {
      const value = payload[name];
      return typeof value === 'string' ? value : undefined;
    };
    const repository = claim('repository') ?? claim('project_path');
    const workflow = claim('workflow') ?? claim('pipeline_source');
    const ref = claim('ref');
    return {
      ok: true,
      identity: {
        method: 'oidc',
        subject: payload.sub,
        issuer: config.oidc.issuer,
        ...(repository !== undefined && { repository }),
        ...(workflow !== undefined && { workflow }),
        ...(ref !== undefined && { ref }),
      },
    };
  } catch (error) {
    return {
      ok: false,
      message: `runner OIDC token rejected: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The actor a verified runner acts as (used when the request names none). */
export function runnerActor(identity: RunnerIdentity): string {
  return identity.method === 'hmac' ? `runner:${identity.runner_id}` : `oidc:${identity.subject}`;
}
