/**
 * The gateway's fail-closed paths, in process: a real fixture downstream server (a child process) behind an
 * McpGateway whose engine or evidence store fails. Nothing may reach the downstream server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { downstreamCalls, downstreamServer, textOf } from '../../../test/integrations/mcp/support';
import { counterIds, bundledPolicies, steppingClock } from '../../../test/api-support';
import { decide, type Decision, type JsonObject } from '../../engine';
import { McpGateway, type GatewayOptions } from './gateway';
import { fingerprint, sentence, strictest } from './gateway-results';
import type { ApprovalBroker, EvidenceSink } from './ports';

const gateways: McpGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

type Recorded = { decisions: Decision[]; events: JsonObject[] };

function memoryEvidence(recorded: Recorded, failDecisions = false): EvidenceSink {
  return {
    label: 'memory',
    recordDecision: (decision) => {
      if (failDecisions) return Promise.reject(new Error('disk full'));
      recorded.decisions.push(decision);
      return Promise.resolve();
    },
    recordEvent: (payload) => {
      recorded.events.push(payload);
      return Promise.resolve();
    },
    getDecision: () => Promise.resolve(null),
    getSession: () => Promise.resolve(null),
  };
}

const noApprovals: ApprovalBroker = {
  label: 'none',
  request: () => Promise.reject(new Error('approvals are not configured')),
  get: () => Promise.resolve(null),
};

async function startGateway(
  overrides: Partial<GatewayOptions>,
): Promise<{ gateway: McpGateway; callLog: string }> {
  const callLog = join(mkdtempSync(join(tmpdir(), 'cavra-gateway-unit-')), 'calls.jsonl');
  const policies = bundledPolicies();
  const context = { now: steppingClock(), randomHex12: counterIds() };
  const gateway = new McpGateway({
    config: {
      servers: [
        {
          name: 'files',
          command: process.execPath,
          args: [downstreamServer()],
          env: { DOWNSTREAM_NAME: 'files', DOWNSTREAM_CALL_LOG: callLog },
          trust: { trust_tier: 'trusted' },
        },
      ],
    },
    decide: (request, registry) => decide(request, policies, { ...context, ...(registry && { registry }) }),
    registry: () => Promise.resolve({ mcp_servers: [{ server_id: 'files', trust_tier: 'trusted' }] }),
    evidence: memoryEvidence({ decisions: [], events: [] }),
    approvals: noApprovals,
    log: () => undefined,
    now: () => new Date('2026-11-25T12:00:00Z'),
    randomHex12: counterIds(),
    version: 'test',
    ...overrides,
  });
  gateways.push(gateway);
  await gateway.start();
  return { gateway, callLog };
}

test('an engine that throws refuses the call; nothing is forwarded', async () => {
  const recorded: Recorded = { decisions: [], events: [] };
  const { gateway, callLog } = await startGateway({
    decide: () => {
      throw new Error('engine bug');
    },
    evidence: memoryEvidence(recorded),
  });
  const result = await gateway.callTool('files__read_file', { path: 'README.md' });
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain('could not be decided (engine bug)');
  expect(downstreamCalls(callLog)).toEqual([]);
  expect(recorded.events).toMatchObject([{ outcome: 'refused', server: 'files', tool: 'read_file' }]);
}, 30_000);

test('a registry that cannot be read refuses the call', async () => {
  const { gateway, callLog } = await startGateway({ registry: () => Promise.reject(new Error('db locked')) });
  const result = await gateway.callTool('files__read_file', { path: 'README.md' });
  expect(result.isError).toBe(true);
  expect(downstreamCalls(callLog)).toEqual([]);
}, 30_000);

test('a decision that cannot be recorded is not acted on', async () => {
  const recorded: Recorded = { decisions: [], events: [] };
  const { gateway, callLog } = await startGateway({ evidence: memoryEvidence(recorded, true) });
  const result = await gateway.callTool('files__read_file', { path: 'README.md' });
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain('could not be recorded as evidence (disk full)');
  expect(downstreamCalls(callLog)).toEqual([]);
}, 30_000);

test('approvals that cannot be requested refuse the call', async () => {
  const { gateway, callLog } = await startGateway({
    registry: () => Promise.resolve({ mcp_servers: [{ server_id: 'files', trust_tier: 'experimental' }] }),
  });
  const result = await gateway.callTool('files__read_file', { path: 'README.md' });
  expect(result.isError).toBe(true);
  expect(result._meta?.['cavra/gateway']).toMatchObject({ outcome: 'refused' });
  expect(textOf(result)).toContain('approvals are not configured');
  expect(downstreamCalls(callLog)).toEqual([]);
}, 30_000);

test('allowed calls are recorded (decision first, then the outcome) and forwarded', async () => {
  const recorded: Recorded = { decisions: [], events: [] };
  const { gateway, callLog } = await startGateway({ evidence: memoryEvidence(recorded) });
  const result = await gateway.callTool('files__read_file', { path: 'README.md' });
  expect(result.isError).toBeFalsy();
  expect(recorded.decisions).toMatchObject([
    { action_type: 'mcp_tool_call', decision: 'allow', target: 'files:read_file' },
  ]);
  expect(recorded.events).toMatchObject([
    { outcome: 'forwarded', decision_ids: [recorded.decisions[0]?.decision_id], downstream_is_error: false },
  ]);
  expect(downstreamCalls(callLog)).toHaveLength(1);
}, 30_000);

test('fingerprint ignores key order; strictest prefers block, then approval, then the first', () => {
  expect(fingerprint('s', 't', { a: 1, b: [1, 2] })).toBe(fingerprint('s', 't', { b: [1, 2], a: 1 }));
  expect(fingerprint('s', 't', { a: 1 })).not.toBe(fingerprint('s', 't', { a: 2 }));
  expect(fingerprint('s', 't', undefined)).toBe(fingerprint('s', 't', {}));
  expect([sentence('Matched sensitive path policy: .env'), sentence('Approved. ')]).toEqual([
    'Matched sensitive path policy: .env.',
    'Approved.',
  ]);
  const of = (outcome: Decision['decision'], id: string): Decision =>
    ({ decision: outcome, decision_id: id }) as Decision;
  expect(strictest([of('allow', 'a'), of('require_approval', 'b'), of('block', 'c')]).decision_id).toBe('c');
  expect(strictest([of('warn', 'a'), of('require_approval', 'b')]).decision_id).toBe('b');
  expect(strictest([of('allow', 'a'), of('warn', 'b')]).decision_id).toBe('a');
});

test('two identical calls in flight share one approval request', async () => {
  let requests = 0;
  const broker: ApprovalBroker = {
    label: 'memory',
    request: async (decision) => {
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        approval_id: `apr_${String(requests).padStart(12, '0')}`,
        decision_id: decision.decision_id,
        state: 'pending',
        approver_group: 'AI Governance',
        requested_at: '2026-11-25T12:00:00Z',
        expires_at: '2999-01-01T00:00:00Z',
      };
    },
    get: (id) =>
      Promise.resolve({
        approval_id: id,
        decision_id: 'dec',
        state: 'pending',
        approver_group: 'AI Governance',
        requested_at: '2026-11-25T12:00:00Z',
        expires_at: '2999-01-01T00:00:00Z',
      }),
  };
  const { gateway, callLog } = await startGateway({
    approvals: broker,
    registry: () => Promise.resolve({ mcp_servers: [{ server_id: 'files', trust_tier: 'experimental' }] }),
  });
  const results = await Promise.all([
    gateway.callTool('files__read_file', { path: 'a' }),
    gateway.callTool('files__read_file', { path: 'a' }),
  ]);
  expect(requests).toBe(1);
  expect(results.map((r) => (r._meta?.['cavra/gateway'] as { approval_id?: string }).approval_id)).toEqual([
    'apr_000000000001',
    'apr_000000000001',
  ]);
  expect(downstreamCalls(callLog)).toEqual([]);
}, 30_000);
