import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readAuthSettings } from './auth-config';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-auth-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const JWKS = JSON.stringify({
  keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'l7c0yRyf0CMXKbWvNqjHN4zmPQ2RVmSCR1hW0GQ6kFQ', kid: 'k1' }],
});

test('no variables: demo mode', () => {
  expect(readAuthSettings({}, '/')).toEqual({ ok: true, value: undefined });
});

test("a YAML OIDC config with upstream's jwks_path (relative to the file) and an RBAC file", () => {
  const dir = folder({
    'oidc.yaml':
      'issuer: https://login.example\naudience: cavra-approvals\njwks_path: keys/jwks.json\nleeway_seconds: 30\n',
    'rbac.json': JSON.stringify({
      approval_rbac: {
        group_mappings: { 'github-team:payments-owners': 'Payments Owners' },
        repository_permissions: [
          {
            repository: 'payments/api',
            approver_group: 'IAM',
            groups: ['Payments Owners'],
            actions: ['approve', 'deny'],
          },
        ],
      },
    }),
  });
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys', 'jwks.json'), JWKS);
  const read = readAuthSettings(
    { CAVRA_APPROVAL_OIDC_CONFIG: 'oidc.yaml', CAVRA_APPROVAL_RBAC_FILE: 'rbac.json' },
    dir,
  );
  expect(read.ok).toBe(true);
  if (!read.ok || read.value === undefined) return;
  expect(read.value.oidc).toMatchObject({
    issuer: 'https://login.example',
    audiences: ['cavra-approvals'],
    leewaySeconds: 30,
    keys: { kind: 'static', jwks: JSON.parse(JWKS) as unknown },
    algorithms: ['RS256', 'ES256', 'EdDSA'],
  });
  expect(read.value.rbac?.repositoryPermissions).toEqual([
    {
      repository: 'payments/api',
      approver_group: 'IAM',
      groups: ['Payments Owners'],
      actions: ['approved', 'denied'],
    },
  ]);
});

test.each([
  [{ CAVRA_APPROVAL_OIDC_CONFIG: '{"issuer":"x","audience":"a"}' }, /give exactly one key source/],
  [
    {
      CAVRA_APPROVAL_OIDC_CONFIG: '{"issuer":"x","audience":"a","jwks_uri":"ftp://x","algorithms":["HS256"]}',
    },
    /field 'jwks_uri' must be an absolute http\(s\) URL; field 'algorithms.0'/,
  ],
  [{ CAVRA_APPROVAL_OIDC_CONFIG: '{"issuer":' }, /is not valid JSON/],
  [
    {
      CAVRA_APPROVAL_OIDC_CONFIG: '{"issuer":"x","audience":"a","discovery":true}',
      CAVRA_APPROVAL_RBAC_FILE: 'bad.json',
    },
    /CAVRA_APPROVAL_RBAC_FILE \(.*bad.json\) is invalid: field 'repository_permissions.0.groups' must name at least one group; field 'repository_permissions.0.actions.0' must be approved/,
  ],
])('refuses %j with a message naming the field', (env, message) => {
  const dir = folder({
    'bad.json': JSON.stringify({ repository_permissions: [{ groups: [], actions: ['merge'] }] }),
  });
  const read = readAuthSettings(env, dir);
  expect(read.ok).toBe(false);
  if (!read.ok) expect(read.message).toMatch(message);
});
