/**
 * The client half of runner authentication: signing a request with a runner's HMAC identity. Kept apart
 * from verification (./runner-auth, which needs jose) so hooks and `evaluate --daemon` load only this.
 */
import { createHash, createHmac } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The `runner_auth` field of a request. */
export type RunnerAuth =
  | { type: 'hmac'; key_id: string; runner_id: string; issued_at: string; signature: string }
  | { type: 'oidc'; token: string };

const HMAC_CONTEXT = 'cavra.runner-auth.v1';

/** sha256 of the request's canonical JSON without `runner_auth`: what an HMAC identity is bound to. */
export function requestDigest(request: Readonly<Record<string, unknown>>): string {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (key !== 'runner_auth' && value !== undefined) rest[key] = value;
  }
  // RFC 8785 (JCS) through the small `canonicalize` package: the evidence layer's canonicalJson would
  // pull its crypto into every hook start.
  return createHash('sha256')
    .update(canonicalize(rest) ?? '')
    .digest('hex');
}

export function hmacMessage(keyId: string, runnerId: string, issuedAt: string, digest: string): string {
  return `${HMAC_CONTEXT}\n${keyId}\n${runnerId}\n${issuedAt}\n${digest}`;
}

/** Signs a request for a runner (the client side: `cavra evaluate --daemon`, hooks, CI). */
export function signRunnerAuth(
  request: Readonly<Record<string, unknown>>,
  key: { keyId: string; secret: Uint8Array; runnerId: string },
  now: Date,
): RunnerAuth {
  const issuedAt = now.toISOString();
  const signature = createHmac('sha256', key.secret)
    .update(hmacMessage(key.keyId, key.runnerId, issuedAt, requestDigest(request)))
    .digest('hex');
  return { type: 'hmac', key_id: key.keyId, runner_id: key.runnerId, issued_at: issuedAt, signature };
}
