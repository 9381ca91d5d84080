import { expect, test } from 'vitest';
import { describeDatabase, readServerConfig } from './config';

const flags = { seed: true };

test('defaults: port 8787 on loopback, SQLite in .cavra/, checkpoints every 100 entries or 60 s', () => {
  const read = readServerConfig(flags, {}, '/srv/app');
  expect(read).toEqual({
    ok: true,
    config: {
      port: 8787,
      host: '127.0.0.1',
      database: { driver: 'sqlite', path: '/srv/app/.cavra/cavra.db' },
      seed: true,
      corsOrigins: [],
      publicApiBaseUrl: undefined,
      keyFile: undefined,
      keysDir: '/srv/app/.cavra/keys',
      trustRootsFile: undefined,
      logId: undefined,
      checkpointPolicy: { everyEntries: 100, everySeconds: 60 },
      ignored: [],
      approvals: { sweepSeconds: 60 },
    },
  });
});

test('flags win over the environment; upstream variable names are read', () => {
  const read = readServerConfig(
    { port: '9000', host: '0.0.0.0', db: 'postgres://cavra:pw@db/cavra', seed: false },
    {
      PORT: '1234',
      CAVRA_DATABASE_URL: 'other.db',
      CAVRA_CORS_ORIGINS: 'https://a.example, https://b.example,',
      CAVRA_PUBLIC_API_BASE_URL: 'https://api.example/api',
      CAVRA_EVIDENCE_SIGNING_KEY_FILE: 'keys/k.pem',
      CAVRA_EVIDENCE_LOG_ID: 'acme-prod',
      CAVRA_EVIDENCE_CHECKPOINT_ENTRIES: '500',
      CAVRA_APPROVAL_SWEEP_SECONDS: '30',
    },
    '/srv',
  );
  expect(read).toMatchObject({
    ok: true,
    config: {
      port: 9000,
      host: '0.0.0.0',
      database: { driver: 'postgres', url: 'postgres://cavra:pw@db/cavra' },
      seed: false,
      corsOrigins: ['https://a.example', 'https://b.example'],
      publicApiBaseUrl: 'https://api.example/api',
      keyFile: '/srv/keys/k.pem',
      logId: 'acme-prod',
      checkpointPolicy: { everyEntries: 500, everySeconds: 60 },
      ignored: [],
      approvals: { sweepSeconds: 30 },
    },
  });
});

test.each([
  [
    { CAVRA_APPROVAL_OIDC_CONFIG: 'oidc.yaml' },
    /CAVRA_APPROVAL_OIDC_CONFIG: cannot read \/oidc.yaml \(ENOENT\)/,
  ],
  [
    { CAVRA_APPROVAL_OIDC_CONFIG: '{"issuer":"https://login.example","jwks_uri":"https://login.example/k"}' },
    /CAVRA_APPROVAL_OIDC_CONFIG \(inline JSON\) is invalid: field 'audience'/,
  ],
  [
    { CAVRA_APPROVAL_RBAC_FILE: 'rbac.yaml' },
    /CAVRA_APPROVAL_RBAC_FILE is set without CAVRA_APPROVAL_OIDC_CONFIG/,
  ],
  [
    { CAVRA_CONSOLE_OIDC_CLIENT_ID: 'console' },
    /CAVRA_CONSOLE_OIDC_CLIENT_ID is set without CAVRA_APPROVAL_OIDC_CONFIG/,
  ],
  [
    {
      CAVRA_APPROVAL_OIDC_CONFIG:
        '{"issuer":"https://login.example","audience":"cavra","jwks_uri":"https://login.example/k"}',
      CAVRA_CONSOLE_OIDC_SCOPES: 'profile',
    },
    /CAVRA_CONSOLE_OIDC_SCOPES set without CAVRA_CONSOLE_OIDC_CLIENT_ID/,
  ],
  [
    {
      CAVRA_APPROVAL_OIDC_CONFIG:
        '{"issuer":"https://login.example","audience":"cavra","jwks_uri":"https://login.example/k"}',
      CAVRA_CONSOLE_OIDC_CLIENT_ID: 'console',
      CAVRA_CONSOLE_OIDC_SCOPES: 'profile email',
    },
    /must include 'openid'/,
  ],
  [
    {
      CAVRA_APPROVAL_OIDC_CONFIG:
        '{"issuer":"https://login.example","audience":"cavra","jwks_uri":"https://login.example/k"}',
      CAVRA_CONSOLE_OIDC_CLIENT_ID: 'console',
      CAVRA_CONSOLE_OIDC_EXTRA_PARAMS: 'redirect_uri=https://evil.example',
    },
    /may not set 'redirect_uri'/,
  ],
  [
    { CAVRA_APPROVAL_ROUTING_FILE: 'routing.yaml' },
    /CAVRA_APPROVAL_ROUTING_FILE names \/routing.yaml, which cannot be read/,
  ],
  [{ PORT: 'http' }, /--port \(or PORT\) must be a whole number from 0 to 65535, got 'http'/],
  [{ PORT: '70000' }, /must be a whole number from 0 to 65535/],
  [
    { CAVRA_EVIDENCE_CHECKPOINT_SECONDS: '0' },
    /CAVRA_EVIDENCE_CHECKPOINT_SECONDS must be a whole number from 1/,
  ],
  [{ CAVRA_EVIDENCE_LOG_ID: 'a/b' }, /CAVRA_EVIDENCE_LOG_ID 'a\/b' must be/],
])('refuses %j', (env, message) => {
  const read = readServerConfig(flags, env, '/');
  expect(read.ok).toBe(false);
  if (!read.ok) expect(read.message).toMatch(message);
});

test('database descriptions never show a password', () => {
  expect(describeDatabase({ driver: 'postgres', url: 'postgres://cavra:s3cret@db:5432/cavra' })).toBe(
    'PostgreSQL postgres://cavra:***@db:5432/cavra',
  );
  expect(describeDatabase({ driver: 'postgres', url: 'postgres://db/cavra' })).toBe(
    'PostgreSQL postgres://db/cavra',
  );
  expect(describeDatabase({ driver: 'sqlite', path: '/srv/.cavra/cavra.db' })).toBe(
    'SQLite /srv/.cavra/cavra.db',
  );
});

test('the console sign-in client: issuer from the OIDC config, scopes and extra authorization parameters', () => {
  const read = readServerConfig(
    flags,
    {
      CAVRA_APPROVAL_OIDC_CONFIG:
        '{"issuer":"https://login.example","audience":"cavra","jwks_uri":"https://login.example/k"}',
      CAVRA_CONSOLE_OIDC_CLIENT_ID: 'cavra-console',
      CAVRA_CONSOLE_OIDC_SCOPES: 'openid, profile groups',
      CAVRA_CONSOLE_OIDC_EXTRA_PARAMS: '?resource=urn:cavra:api',
    },
    '/',
  );
  expect(read.ok && read.config.auth?.console).toEqual({
    issuer: 'https://login.example',
    client_id: 'cavra-console',
    scopes: ['openid', 'profile', 'groups'],
    extra_query_params: { resource: 'urn:cavra:api' },
  });
});
