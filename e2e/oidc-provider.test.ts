/**
 * The e2e identity provider issues what the API and console rely on: a discovery document, a JWKS, RS256 JWT
 * access tokens for the API audience with groups, and Authorization Code + PKCE for the console's public client.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  API_AUDIENCE,
  CONSOLE_CLIENT_ID,
  startOidcProvider,
  type RunningProvider,
} from './support/oidc-provider';

let provider: RunningProvider;
const REDIRECT = 'http://127.0.0.1:54321/callback';

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT] });
});
afterAll(async () => {
  await provider.close();
});

test('discovery and client credentials: an RS256 JWT access token for the API audience', async () => {
  const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
    code_challenge_methods_supported: string[];
  };
  expect(discovery.issuer).toBe(provider.issuer);
  expect(discovery.code_challenge_methods_supported).toContain('S256');
  const token = await provider.machineToken();
  const { payload, protectedHeader } = await jwtVerify(
    token,
    createRemoteJWKSet(new URL(discovery.jwks_uri)),
    {
      issuer: provider.issuer,
      audience: API_AUDIENCE,
    },
  );
  expect(protectedHeader.alg).toBe('RS256');
  expect(payload.client_id).toBe('cavra-ci');
});

test('authorization code + PKCE through the login form: the access token carries the user groups', async () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${provider.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid profile groups',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    nonce: 'n',
    resource: API_AUDIENCE,
  }).toString();
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const step = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      jar.set(name, value);
    }
    return response;
  };
  let response = await step(authorize.toString());
  let location = new URL(response.headers.get('location') ?? '', provider.issuer).toString();
  response = await step(location);
  const form = await response.text();
  const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
  expect(action).not.toBe('');
  response = await step(new URL(action, provider.issuer).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login: 'alice.approver', password: 'any' }).toString(),
  });
  // Follow redirects until the provider sends the browser back to the client with a code.
  for (let hops = 0; hops < 10; hops++) {
    location = new URL(response.headers.get('location') ?? '', provider.issuer).toString();
    if (location.startsWith(REDIRECT)) break;
    response = await step(location);
    if (response.status === 200) {
      const consent = await response.text();
      const consentAction = /action="([^"]+)"/.exec(consent)?.[1];
      if (consentAction === undefined) throw new Error(consent.slice(0, 500));
      response = await step(new URL(consentAction, provider.issuer).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'consent' }).toString(),
      });
    }
  }
  const code = new URL(location).searchParams.get('code');
  expect(code, location).toBeTruthy();
  const tokenResponse = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: REDIRECT,
      client_id: CONSOLE_CLIENT_ID,
      code_verifier: verifier,
      resource: API_AUDIENCE,
    }),
  });
  const tokens = (await tokenResponse.json()) as { access_token?: string; id_token?: string; error?: string };
  expect(tokens.error).toBeUndefined();
  const { payload } = await jwtVerify(
    tokens.access_token ?? '',
    createRemoteJWKSet(new URL(provider.jwksUri)),
    { issuer: provider.issuer, audience: API_AUDIENCE },
  );
  expect(payload.sub).toBe('alice.approver');
  expect(payload.groups).toEqual(['Platform Security']);
});
