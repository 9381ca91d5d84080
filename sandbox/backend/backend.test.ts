import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiClient } from '../../src/console/lib/api-client';
import type { ConsoleSession, Decision, LogVerification, Page } from '../../src/console/lib/api-types';
import { noLoginAuth } from '../../src/console/lib/auth';
import {
  BEFORE_THE_AGENT_ACTS,
  FINAL_CLOSEOUT_TRIAL,
  type Scenario,
} from '../../src/console/features/scenarios/model/catalogue';
import { runScenario, tallyDecisions } from '../../src/console/features/scenarios/model/run-scenario';
import type { PolicyMode } from '../../src/engine';
import { FIXTURE_DIR, ROOT, openNodeSandbox } from '../node/open-node-sandbox';
import type { SandboxRuntime } from './runtime';
import type { PersonaId } from './personas';

let sandbox: SandboxRuntime;
let api: ApiClient;
let runs = 0;

beforeAll(async () => {
  sandbox = await openNodeSandbox();
  api = new ApiClient({ fetch: sandbox.fetch, baseUrl: '/api' }, noLoginAuth('test', 'sandbox'));
}, 120_000);

afterAll(async () => {
  await sandbox.backend().close();
});

async function play(scenario: Scenario, mode: PolicyMode, persona: PersonaId = 'developer') {
  sandbox.setPersona(persona);
  const session = await api.get<ConsoleSession>('/console/session');
  const sessionId = `sess_scn_test_${++runs}`;
  const decisions = await runScenario({
    api,
    scenario,
    mode,
    sessionId,
    runner: {
      actor: session.actor?.actor ?? 'nobody',
      canBreakGlass: session.permissions.create_break_glass,
    },
  });
  return { sessionId, decisions, tally: tallyDecisions(decisions) };
}

test('Before the Agent Acts in Enforce mode: 4 blocked, 1 approval (Platform Security), 2 allowed, 1 attested', async () => {
  const { decisions, tally } = await play(BEFORE_THE_AGENT_ACTS, 'enforce');
  expect(tally).toMatchObject({ decisions: 7, blocked: 4, approval_required: 1, allowed: 2, attested: 1 });
  expect(decisions.map((d) => d.rule_id)).toEqual([
    'filesystem.read.block',
    'filesystem.write.require_approval',
    'commands.allow',
    'commands.block',
    // With a trust registry (the seed has one) an unregistered server is the registry's verdict.
    'mcp.registry.unknown',
    'git.protected_branch.block_direct_push',
    'git.pull_request.allow_with_attestation',
  ]);
  expect(decisions[1]?.approver_group).toBe('Platform Security');
  expect(decisions[3]?.severity).toBe('critical');
  expect(decisions.every((d) => d.evidence_refs.length > 0 && d.actor === 'dev.sam@sandbox.example')).toBe(
    true,
  );
});

test('the policy mode changes the decisions: audit-only records, strict gates the plan', async () => {
  expect((await play(BEFORE_THE_AGENT_ACTS, 'audit_only')).tally.audit_only).toBe(7);
  const strict = await play(BEFORE_THE_AGENT_ACTS, 'strict');
  expect(strict.decisions[2]?.decision).toBe('require_approval');
  expect(strict.tally).toMatchObject({ blocked: 4, approval_required: 2, allowed: 1 });
});

test('break-glass depends on the persona: refused for a developer, attested for the Change Advisory Board', async () => {
  await expect(play(BEFORE_THE_AGENT_ACTS, 'break_glass', 'developer')).rejects.toMatchObject({
    status: 403,
    message: expect.stringMatching(/Change Advisory Board/) as unknown,
  });
  const cab = await play(BEFORE_THE_AGENT_ACTS, 'break_glass', 'cab');
  expect(cab.tally.attested).toBe(7);
  expect(cab.decisions[0]?.actor).toBe('cab.lee@sandbox.example');
});

test('Final Closeout Trial: the failed delivery is blocked and its retry waits for approval', async () => {
  const { decisions, tally } = await play(FINAL_CLOSEOUT_TRIAL, 'enforce');
  expect(tally.decisions).toBe(9);
  expect(decisions[7]).toMatchObject({ decision: 'block', rule_id: 'release_governance.delivery.failed' });
  expect(decisions[8]).toMatchObject({ decision: 'require_approval', approver_group: 'Release Governance' });
  expect(tally).toMatchObject({ blocked: 1, approval_required: 1, allowed: 7 });
});

test('personas map to groups: only the Change Advisory Board may break glass', async () => {
  const permissions: Record<string, boolean> = {};
  for (const persona of sandbox.personas) {
    sandbox.setPersona(persona.id);
    const session = await api.get<ConsoleSession>('/console/session');
    expect(session.actor?.groups).toEqual(persona.principal.actor.groups);
    permissions[persona.id] = session.permissions.create_break_glass;
  }
  expect(permissions).toEqual({
    developer: false,
    'platform-security': false,
    cab: true,
    auditor: false,
    ciso: false,
  });
});

test('a run is evidence: the log verifies, and the session bundle verifies with the CLI', async () => {
  const { sessionId } = await play(BEFORE_THE_AGENT_ACTS, 'enforce', 'auditor');
  await api.post('/evidence/checkpoints', {});
  const verification = await api.get<LogVerification>('/evidence/verify');
  expect(verification).toMatchObject({ valid: true, errors: [], warnings: [] });
  expect(verification.checked.checkpoints_verified).toBeGreaterThan(10);
  const { blob } = await api.download(`/evidence/sessions/${sessionId}/bundle`);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const dir = mkdtempSync(join(tmpdir(), 'cavra-sandbox-'));
  try {
    const zip = join(dir, `${sessionId}.zip`);
    writeFileSync(zip, bytes);
    const trustRoot = join(FIXTURE_DIR, 'sandbox-trust-root.json');
    const verify = (file: string) =>
      execFileSync(
        process.execPath,
        [join(ROOT, 'bin', 'cavra.mjs'), 'evidence', 'verify', file, '--trust-root', trustRoot],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    expect(verify(zip)).toMatch(/valid|verified|ok/i);
    const tampered = bytes.slice();
    const middle = Math.floor(tampered.length / 2);
    tampered[middle] = (tampered[middle] ?? 0) ^ 0xff;
    writeFileSync(join(dir, 'tampered.zip'), tampered);
    expect(() => verify(join(dir, 'tampered.zip'))).toThrow();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('reset restores the seed', async () => {
  const count = async () => (await api.get<Page<Decision>>('/decisions', { limit: 1 })).total;
  const before = await count();
  await play(BEFORE_THE_AGENT_ACTS, 'enforce');
  expect(await count()).toBe(before + 7);
  await sandbox.reset();
  expect(sandbox.origin()).toBe('seed');
  expect(await count()).toBeGreaterThan(1900);
  expect(await count()).toBeLessThan(before);
});

test('the seed holds approvals in every state, and Platform Security (not a developer) approves a pending IAM change', async () => {
  await sandbox.reset();
  type Approval = {
    approval_id: string;
    state: string;
    approver_group: string;
    review_state?: string | null;
  };
  const states = new Set<string>();
  for (const state of ['pending', 'approved', 'denied', 'expired', 'break_glass']) {
    const page = await api.get<Page<Approval>>('/approvals', { state, limit: 5 });
    if (page.total > 0) states.add(state);
  }
  expect([...states].sort()).toEqual(['approved', 'break_glass', 'denied', 'expired', 'pending']);
  const { decisions } = await play(BEFORE_THE_AGENT_ACTS, 'enforce');
  const iam = await api.get<Page<Approval>>('/approvals', {
    decision_id: decisions[1]?.decision_id,
    limit: 1,
  });
  const approval = iam.items[0];
  expect(approval?.state).toBe('pending');
  sandbox.setPersona('developer');
  await expect(
    api.post(`/approvals/${approval?.approval_id ?? ''}/approve`, { reason: 'looks fine to me' }),
  ).rejects.toMatchObject({ status: 403 });
  sandbox.setPersona('platform-security');
  const approved = await api.post<Approval>(`/approvals/${approval?.approval_id ?? ''}/approve`, {
    reason: 'reviewed the role diff: least privilege kept',
  });
  expect(approved.state).toBe('approved');
});
