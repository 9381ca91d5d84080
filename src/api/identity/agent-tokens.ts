/**
 * Agent API tokens: how machine clients (hooks, the MCP gateway, CI runners) authenticate. A token is
 * `cavra_at_` + 43 base64url characters (32 random bytes), shown once at creation; the store keeps only its
 * SHA-256 (hex), bound to one registered agent. Presented as `Authorization: Bearer cavra_at_…`: the prefix
 * tells it apart from an OIDC JWT, so it works in demo and OIDC mode alike.
 */
import type { AgentToken, Store } from '../../store';
import { AGENT_TOKEN_PREFIX, type AuthAdapter, type AuthOutcome, type Principal } from '../auth';

const TOKEN_PATTERN = /^cavra_at_[A-Za-z0-9_-]{43}$/;

/** How long a looked-up token is reused before the store is asked again (revocations here clear it at once). */
const TOKEN_CACHE_MS = 2000;
/** `last_used_at` is written at most this often per token, to keep the decision path free of extra writes. */
const MARK_USED_EVERY_MS = 60_000;

/** The lowercase hex SHA-256 of a token (Web Crypto: the sandbox has it too). */
export async function hashAgentToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A new random token. */
export function generateAgentToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return AGENT_TOKEN_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token as listed: never the secret, never the hash. */
export type AgentTokenView = Omit<AgentToken, 'token_hash'> & { state: 'active' | 'revoked' | 'expired' };

/** The listing view of a stored token at `now`. */
export function tokenView(token: AgentToken, now: Date): AgentTokenView {
  const { token_hash: _hash, ...rest } = token;
  const state =
    token.revoked_at !== null
      ? 'revoked'
      : token.expires_at !== null && Date.parse(token.expires_at) <= now.getTime()
        ? 'expired'
        : 'active';
  return { ...rest, state };
}

/** Looks tokens up by hash with a short cache, and records their use sparingly. */
export class AgentTokenService {
  private readonly cache = new Map<string, { token: AgentToken | null; at: number }>();
  private readonly lastMarked = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
  ) {}

  /** A new token for `agentId`: the secret (shown once) and the record to store (hash only). */
  async issue(
    agentId: string,
    fields: { label: string | null; expires_at: string | null; token_id: string },
  ): Promise<{ token: string; record: AgentToken }> {
    const token = generateAgentToken();
    const record: AgentToken = {
      token_id: fields.token_id,
      agent_id: agentId,
      token_hash: await hashAgentToken(token),
      label: fields.label,
      scopes: ['decisions:write'],
      created_at: this.clock().toISOString(),
      expires_at: fields.expires_at,
      last_used_at: null,
      revoked_at: null,
    };
    return { token, record };
  }

  /** Forgets cached lookups (after a revocation). INVARIANT: a revocation here takes effect at once. */
  forget(): void {
    this.cache.clear();
  }

  /** Authenticates a presented token: an agent principal, or a 401. */
  async authenticate(presented: string): Promise<AuthOutcome> {
    if (!TOKEN_PATTERN.test(presented)) {
      return fail('agent_token_malformed', 'the agent token is malformed: copy it exactly as it was shown');
    }
    const hash = await hashAgentToken(presented);
    const token = await this.lookup(hash);
    if (token === null) return fail('agent_token_invalid', 'the agent token is not known to this server');
    const now = this.clock();
    if (token.revoked_at !== null) return fail('agent_token_revoked', 'the agent token was revoked');
    if (token.expires_at !== null && Date.parse(token.expires_at) <= now.getTime()) {
      return fail('agent_token_expired', 'the agent token is expired: create a new one');
    }
    await this.markUsed(token, now);
    const principal: Principal = {
      actor: {
        actor: token.agent_id,
        subject: token.token_id,
        issuer: 'cavra-agent-token',
        groups: [],
        repository: null,
      },
      repositoryPermissions: [],
      agent: { agent_id: token.agent_id, token_id: token.token_id, via: 'agent_token' },
    };
    return { ok: true, principal };
  }

  private async lookup(hash: string): Promise<AgentToken | null> {
    const cached = this.cache.get(hash);
    if (cached !== undefined && Date.now() - cached.at < TOKEN_CACHE_MS) return cached.token;
    const token = await this.store.registry.tokens.findByHash(hash);
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(hash, { token, at: Date.now() });
    return token;
  }

  private async markUsed(token: AgentToken, now: Date): Promise<void> {
    const last = this.lastMarked.get(token.token_id);
    if (last !== undefined && Date.now() - last < MARK_USED_EVERY_MS) return;
    this.lastMarked.set(token.token_id, Date.now());
    await this.store.registry.tokens.markUsed(token.token_id, now.toISOString());
  }
}

function fail(code: string, message: string): AuthOutcome {
  return { ok: false, status: 401, code, message };
}

/**
 * `adapter` with agent tokens in front: `Bearer cavra_at_…` is checked against the store; anything else goes
 * to the adapter (the demo adapter refuses other bearer tokens; the OIDC adapter verifies JWTs).
 */
export function withAgentTokens(adapter: AuthAdapter, tokens: AgentTokenService): AuthAdapter {
  return {
    mode: adapter.mode,
    isOidcConfigured: adapter.isOidcConfigured,
    isRbacConfigured: adapter.isRbacConfigured,
    tokenValidation: adapter.tokenValidation,
    ...(adapter.rbac !== undefined && { rbac: adapter.rbac }),
    authenticate: (request) => {
      const authorization = request.headers.get('authorization');
      const match = authorization === null ? null : /^bearer[ ]+(cavra_at_\S*)\s*$/i.exec(authorization);
      return match?.[1] === undefined ? adapter.authenticate(request) : tokens.authenticate(match[1]);
    },
  };
}
