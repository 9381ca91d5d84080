import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expect, test } from 'vitest';
import { redactRunnerAuth, signRunnerAuth, verifyRunnerAuth, type RunnerAuthConfig } from './runner-auth';

const SECRET = new TextEncoder().encode('runner-secret-0123456789');
const HMAC_CONFIG: RunnerAuthConfig = { hmacKeys: new Map([['ci-1', SECRET]]) };
const NOW = new Date('2026-11-25T12:00:00Z');
const REQUEST = { action_type: 'execute_command', target: 'terraform plan', session_id: 'ci-42' };

test('an HMAC runner identity verifies for the request it signed, and only for it', async () => {
  const auth = signRunnerAuth(REQUEST, { keyId: 'ci-1', secret: SECRET, runnerId: 'gh-runner-7' }, NOW);
  expect(await verifyRunnerAuth({ ...REQUEST, runner_auth: auth }, HMAC_CONFIG, NOW)).toEqual({
    ok: true,
    identity: { method: 'hmac', runner_id: 'gh-runner-7', key_id: 'ci-1' },
  });
  const replayed = { ...REQUEST, target: 'terraform apply -auto-approve', runner_auth: auth };
  expect(await verifyRunnerAuth(replayed, HMAC_CONFIG, NOW)).toEqual({
    ok: false,
    message: 'runner_auth signature does not match this request',
  });
  const late = new Date(NOW.getTime() + 301_000);
  expect(await verifyRunnerAuth({ ...REQUEST, runner_auth: auth }, HMAC_CONFIG, late)).toMatchObject({
    ok: false,
  });
  const unknownKey = { ...auth, key_id: 'ci-2' };
  expect(await verifyRunnerAuth({ ...REQUEST, runner_auth: unknownKey }, HMAC_CONFIG, NOW)).toMatchObject({
    ok: false,
    message: "runner_auth key_id 'ci-2' is not known to this daemon",
  });
});

test('a daemon that requires runner auth refuses a request without it; one that does not accepts it', async () => {
  expect(await verifyRunnerAuth(REQUEST, HMAC_CONFIG, NOW)).toMatchObject({ ok: false });
  expect(await verifyRunnerAuth(REQUEST, {}, NOW)).toEqual({ ok: true, identity: null });
});

test('a CI OIDC token is verified against the JWKS: issuer, audience, signature; the token is redacted in evidence', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const config: RunnerAuthConfig = {
    oidc: {
      issuer: 'https://token.actions.example.com',
      audience: 'cavra',
      jwks: createLocalJWKSet({ keys: [jwk] }),
    },
  };
  const token = (audience: string) =>
    new SignJWT({ repository: 'acme/shop', workflow: 'deploy', ref: 'refs/heads/main' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://token.actions.example.com')
      .setSubject('repo:acme/shop:ref:refs/heads/main')
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const good = { ...REQUEST, runner_auth: { type: 'oidc', token: await token('cavra') } };
  expect(await verifyRunnerAuth(good, config, new Date())).toEqual({
    ok: true,
    identity: {
      method: 'oidc',
      subject: 'repo:acme/shop:ref:refs/heads/main',
      issuer: 'https://token.actions.example.com',
      repository: 'acme/shop',
      workflow: 'deploy',
      ref: 'refs/heads/main',
    },
  });
  const wrongAudience = { ...REQUEST, runner_auth: { type: 'oidc', token: await token('other') } };
  expect(await verifyRunnerAuth(wrongAudience, config, new Date())).toMatchObject({
    ok: false,
    message: expect.stringMatching(/runner OIDC token rejected: .*aud/) as unknown,
  });
  expect(redactRunnerAuth(good)).toEqual({
    ...REQUEST,
    runner_auth: { type: 'oidc', token: '<redacted-oidc-jwt>' },
  });
});
