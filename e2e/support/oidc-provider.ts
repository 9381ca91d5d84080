/**
 * A real OpenID Connect provider for the stack tests (`oidc-provider`, the certified Node implementation), on a
 * free loopback port. It issues what a corporate IdP would: RS256-signed JWT access tokens for the CAVRA API
 * audience carrying the user's `groups`, through Authorization Code + PKCE for the console (a public client)
 * and client credentials for machine clients (CI, gateways).
 *
 * Users log in on the provider's development login form with their id and any password; each user's groups are
 * fixed below, so an e2e test chooses a persona by the login it types.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** The API audience the provider mints access tokens for. */
export const API_AUDIENCE = 'urn:cavra:api';
/** The console's public client (Authorization Code + PKCE, no secret). */
export const CONSOLE_CLIENT_ID = 'cavra-console';
/** A confidential machine client (client credentials), e.g. a CI runner. */
export const MACHINE_CLIENT = { id: 'cavra-ci', secret: 'ci-secret-for-tests-only' } as const;

/** The test users: login id → profile and IdP groups. */
export const USERS = {
  'alice.approver': { name: 'Alice Approver', groups: ['Platform Security'] },
  'carol.cab': { name: 'Carol CAB', groups: ['Change Advisory Board'] },
  'aaron.auditor': { name: 'Aaron Auditor', groups: ['Auditors'] },
  'dev.dana': { name: 'Dana Developer', groups: ['Developers'] },
} as const satisfies Record<string, { name: string; groups: readonly string[] }>;

export type UserId = keyof typeof USERS;

export type RunningProvider = {
  issuer: string;
  jwksUri: string;
  close: () => Promise<void>;
  /** A client-credentials access token for {@link MACHINE_CLIENT} (JWT, audience {@link API_AUDIENCE}). */
  machineToken: () => Promise<string>;
};

export type ProviderOptions = {
  /** Where the console may be redirected back to after login and logout (its origins' callback pages). */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Access-token lifetime in seconds (default 600). */
  accessTokenTtl?: number;
};

function isUser(id: string): id is UserId {
  return Object.hasOwn(USERS, id);
}

/** Starts the provider; `close()` stops it. */
export async function startOidcProvider(options: ProviderOptions): Promise<RunningProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'e2e-rs256', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
      },
      {
        client_id: MACHINE_CLIENT.id,
        client_secret: MACHINE_CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    findAccount: (_ctx, id) => {
      if (!isUser(id)) return undefined;
      const user = USERS[id];
      return {
        accountId: id,
        claims: () => ({ sub: id, name: user.name, email: `${id}@example.test`, groups: [...user.groups] }),
      };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          audience: API_AUDIENCE,
          scope: 'openid profile email groups',
          accessTokenFormat: 'jwt',
          accessTokenTTL: options.accessTokenTtl ?? 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // The API authorises on groups, so the access token carries them (not only the ID token).
    extraTokenClaims: (_ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (typeof accountId !== 'string' || !isUser(accountId)) return undefined;
      return { groups: [...USERS[accountId].groups], name: USERS[accountId].name };
    },
    loadExistingGrant: async (ctx) => {
      // Consent is implicit for the first-party console: grant what it asked for.
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (session?.accountId === undefined || client === undefined) return undefined;
      // `grantIdFor` answers undefined for a client without a grant (its typing says string).
      const grantId = (ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId)) as
        string | undefined;
      if (grantId !== undefined) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email groups offline_access');
      grant.addResourceScope(API_AUDIENCE, 'openid profile email groups');
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: options.accessTokenTtl ?? 600, ClientCredentials: options.accessTokenTtl ?? 600 },
    clientBasedCORS: () => true,
  });
  const handle = provider.callback();
  server.on('request', (request, response) => {
    void handle(request, response);
  });

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
    machineToken: async () => {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${MACHINE_CLIENT.id}:${MACHINE_CLIENT.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: API_AUDIENCE,
          scope: 'groups',
        }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (body.access_token === undefined)
        throw new Error(`client credentials failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}
