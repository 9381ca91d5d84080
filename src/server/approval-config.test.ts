import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { approvalLine, readApprovalSettings } from './approval-config';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-approval-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('nothing set: default routing, no notifications, a sweep every 60 s', () => {
  const read = readApprovalSettings({}, '/');
  expect(read).toEqual({ ok: true, value: { sweepSeconds: 60 } });
  if (read.ok)
    expect(approvalLine(read.value)).toBe(
      '  approvals default routing rules; no notifications; expiry sweep every 60 s',
    );
});

test('a routing file and a provider file are loaded, env references resolved', () => {
  const dir = folder({
    'routing.yaml':
      'approval_routing:\n  - { repository: "acme/*", approver_group: Acme Owners, required_approvals: 2 }\n',
    'providers.json': JSON.stringify({ approval_providers: { webhook: { url_env: 'HOOK' } } }),
  });
  const read = readApprovalSettings(
    {
      CAVRA_APPROVAL_ROUTING_FILE: 'routing.yaml',
      CAVRA_APPROVAL_PROVIDER_CONFIG: 'providers.json',
      CAVRA_APPROVAL_SWEEP_SECONDS: '15',
      HOOK: 'https://hooks.example/x',
    },
    dir,
  );
  expect(read.ok).toBe(true);
  if (!read.ok) return;
  expect(read.value.routing?.rules[0]).toEqual({
    repository: 'acme/*',
    approver_group: 'Acme Owners',
    required_approvals: 2,
  });
  expect(read.value.notifications?.providers[0]).toMatchObject({
    provider: 'webhook',
    url: 'https://hooks.example/x',
  });
  expect(approvalLine(read.value)).toMatch(
    /routing .*routing\.yaml \(6 rules incl\. defaults\); notifications to webhook; expiry sweep every 15 s/,
  );
});

test('the server refuses bad files with every problem listed, naming the field', () => {
  const dir = folder({
    'routing.yaml': '- { approver_group: IAM, min_severity: severe }\n- { rule_id_prefix: x }\n',
    'providers.yaml': 'approval_providers:\n  jira: { url: "https://jira.example" }\n',
  });
  const routing = readApprovalSettings({ CAVRA_APPROVAL_ROUTING_FILE: 'routing.yaml' }, dir);
  expect(routing.ok).toBe(false);
  if (!routing.ok) {
    expect(routing.message).toContain(
      `CAVRA_APPROVAL_ROUTING_FILE (${join(dir, 'routing.yaml')}) is invalid:`,
    );
    expect(routing.message).toMatch(/- \[0\]\.min_severity: /);
    expect(routing.message).toContain('- [1].approver_group: is required');
  }
  const providers = readApprovalSettings({ CAVRA_APPROVAL_PROVIDER_CONFIG: 'providers.yaml' }, dir);
  expect(providers.ok ? '' : providers.message).toContain('approval_providers.jira: needs a credential');
  const missing = readApprovalSettings({ CAVRA_APPROVAL_PROVIDER_CONFIG: 'nope.yaml' }, dir);
  expect(missing.ok ? '' : missing.message).toMatch(
    /CAVRA_APPROVAL_PROVIDER_CONFIG names .*nope\.yaml, which cannot be read/,
  );
  const sweep = readApprovalSettings({ CAVRA_APPROVAL_SWEEP_SECONDS: '0' }, dir);
  expect(sweep.ok ? '' : sweep.message).toMatch(/CAVRA_APPROVAL_SWEEP_SECONDS must be a whole number from 1/);
});
