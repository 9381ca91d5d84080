/**
 * `cavra mcp gateway` end to end: the SDK's client spawns the real CLI, which spawns fixture downstream MCP
 * servers (fixtures/mcp/downstream-server.mjs). The downstream servers log every call they receive, so the
 * tests prove that refused calls never arrive, not just that the gateway says so.
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { ApprovalRecord, Store } from '../../../src/store';
import { openTestApp, postJson } from '../../api-support';
import { openSqliteStore } from '../../../src/store/drivers/better-sqlite3';
import { call, cavra, connect, downstreamCalls, downstreamServer, textOf, type Session } from './support';

const TIMEOUT = 90_000;

type Dir = { dir: string; db: string; callLog: string };

function tempDir(): Dir {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-mcp-gateway-'));
  return { dir, db: join(dir, 'evidence.db'), callLog: join(dir, 'downstream-calls.jsonl') };
}

/** A fixture downstream server entry. */
function downstream(
  name: string,
  callLog: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    command: process.execPath,
    args: [downstreamServer()],
    env: { DOWNSTREAM_NAME: name, DOWNSTREAM_CALL_LOG: callLog },
    ...extra,
  };
}

/** Four servers: trusted files (reads checked against the file policy), experimental db, scoped repo, blocked evil. */
function writeConfig(dirs: Dir, approvals: Record<string, unknown> = { mode: 'pending' }): string {
  const config = {
    servers: [
      downstream('files', dirs.callLog, {
        capability: 'filesystem',
        trust: { trust_tier: 'trusted' },
        tools: { read_file: { checks: [{ action_type: 'read_file', argument: 'path' }] } },
      }),
      downstream('db', dirs.callLog, { capability: 'database', trust: { trust_tier: 'experimental' } }),
      downstream('repo', dirs.callLog, {
        capability: 'repository',
        trust: { trust_tier: 'trusted', allowed_tools: ['list_branches'] },
      }),
      downstream('evil', dirs.callLog, { trust: { trust_tier: 'blocked' } }),
    ],
    approvals,
    evidence: { db: 'evidence.db' },
    session_id: 'gw-session',
  };
  const file = join(dirs.dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

type GatewayMeta = { outcome: string; rule_id?: string; approval_id?: string; decision?: string };

function gatewayMeta(result: { _meta?: Record<string, unknown> }): GatewayMeta | undefined {
  return result._meta?.['cavra/gateway'] as GatewayMeta | undefined;
}

/** Approves (or denies) a pending approval in the store, as the console or API would. */
async function decideApproval(db: string, approvalId: string, state: 'approved' | 'denied'): Promise<void> {
  const store = await openSqliteStore({ path: db });
  try {
    const approval = await store.approvals.get(approvalId);
    if (approval === null) throw new Error(`no approval ${approvalId}`);
    const at = new Date().toISOString();
    const updated: ApprovalRecord = {
      ...approval,
      state,
      decided_by: 'alice',
      decided_at: at,
      decision_reason: 'reviewed in the test',
    };
    expect(await store.approvals.update(updated, 'pending')).toBe(true);
  } finally {
    await store.close();
  }
}

async function pendingApprovals(db: string): Promise<ApprovalRecord[]> {
  const store: Store = await openSqliteStore({ path: db });
  try {
    return (await store.approvals.list({ state: 'pending' })).items;
  } finally {
    await store.close();
  }
}

describe('cavra mcp gateway (approvals: pending)', () => {
  const dirs = tempDir();
  let session: Session;
  beforeAll(async () => {
    session = await connect(['mcp', 'gateway', '--config', writeConfig(dirs)], dirs.dir);
  }, TIMEOUT);
  afterAll(async () => {
    await session.close();
  });

  test('lists every downstream tool as <server>__<tool>', async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const server of ['files', 'db', 'repo', 'evil']) {
      for (const tool of ['read_file', 'run_query', 'delete_branch', 'list_branches', 'crash']) {
        expect(names).toContain(`${server}__${tool}`);
      }
    }
    const query = tools.find((tool) => tool.name === 'db__run_query');
    expect(query?.description).toBe('[db] Run a SQL query (canned rows).');
    expect(query?.inputSchema.required).toEqual(['sql']);
  });

  test(
    'an allowed call is forwarded and the downstream result returned',
    async () => {
      const result = await call(session.client, 'files__read_file', { path: 'README.md' });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toBe('contents of README.md');
      expect(gatewayMeta(result)).toMatchObject({ outcome: 'forwarded', decision: 'allow' });
      expect(downstreamCalls(dirs.callLog)).toContainEqual({
        server: 'files',
        tool: 'read_file',
        arguments: { path: 'README.md' },
      });
    },
    TIMEOUT,
  );

  test(
    'blocked calls are error results with the rule and never reach the downstream server',
    async () => {
      const secret = await call(session.client, 'files__read_file', { path: '.env' });
      expect(secret.isError).toBe(true);
      expect(textOf(secret)).toContain('rule filesystem.read.block');
      expect(gatewayMeta(secret)).toMatchObject({ outcome: 'blocked', rule_id: 'filesystem.read.block' });

      const evil = await call(session.client, 'evil__read_file', { path: 'README.md' });
      expect(evil.isError).toBe(true);
      expect(gatewayMeta(evil)).toMatchObject({ outcome: 'blocked', rule_id: 'mcp.registry.blocked' });

      const calls = downstreamCalls(dirs.callLog);
      expect(calls.filter((c) => c.arguments['path'] === '.env')).toEqual([]);
      expect(calls.filter((c) => c.server === 'evil')).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'an unknown tool is refused',
    async () => {
      for (const name of ['nope__read_file', 'files__nope', 'read_file']) {
        const result = await call(session.client, name, {});
        expect(result.isError).toBe(true);
        expect(gatewayMeta(result)).toMatchObject({ outcome: 'refused' });
      }
      const missing = await call(session.client, 'files__read_file', {});
      expect(textOf(missing)).toContain("argument 'path' must be a non-empty string");
    },
    TIMEOUT,
  );

  test(
    'a call needing approval is pending until approved, then the same call is forwarded once',
    async () => {
      const args = { sql: 'select * from customers' };
      const first = await call(session.client, 'db__run_query', args);
      expect(first.isError).toBe(true);
      const meta = gatewayMeta(first);
      expect(meta).toMatchObject({ outcome: 'approval_pending', rule_id: 'mcp.registry.requires_approval' });
      const approvalId = meta?.approval_id ?? '';
      expect(approvalId).toMatch(/^apr_[0-9a-f]{12}$/);
      expect(textOf(first)).toContain(`Approval ${approvalId} is pending with AI Governance`);

      // Asking again while pending reuses the approval: no second request for the same call.
      const again = await call(session.client, 'db__run_query', args);
      expect(gatewayMeta(again)).toMatchObject({ outcome: 'approval_pending', approval_id: approvalId });
      expect((await pendingApprovals(dirs.db)).map((a) => a.approval_id)).toEqual([approvalId]);
      // A different call is a different approval.
      const other = await call(session.client, 'db__run_query', { sql: 'drop table customers' });
      expect(gatewayMeta(other)?.approval_id).not.toBe(approvalId);
      expect(downstreamCalls(dirs.callLog).filter((c) => c.server === 'db')).toEqual([]);

      await decideApproval(dirs.db, approvalId, 'approved');
      const approved = await call(session.client, 'db__run_query', args);
      expect(approved.isError).toBeFalsy();
      expect(approved.structuredContent).toEqual({ rows: [{ id: 1, sql: args.sql }], row_count: 1 });
      expect(gatewayMeta(approved)).toMatchObject({ outcome: 'forwarded', approval_id: approvalId });
      expect(downstreamCalls(dirs.callLog).filter((c) => c.server === 'db')).toHaveLength(1);

      // The approval was used: the next identical call asks anew.
      const next = await call(session.client, 'db__run_query', args);
      expect(gatewayMeta(next)).toMatchObject({ outcome: 'approval_pending' });
      expect(gatewayMeta(next)?.approval_id).not.toBe(approvalId);
    },
    TIMEOUT,
  );

  test(
    'a denied approval is reported and the call is not made',
    async () => {
      const first = await call(session.client, 'repo__delete_branch', { branch: 'main' });
      const meta = gatewayMeta(first);
      expect(meta).toMatchObject({ outcome: 'approval_pending', rule_id: 'mcp.registry.tool_scope' });
      await decideApproval(dirs.db, meta?.approval_id ?? '', 'denied');
      const denied = await call(session.client, 'repo__delete_branch', { branch: 'main' });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toContain('was denied by alice: reviewed in the test');
      expect(downstreamCalls(dirs.callLog).filter((c) => c.tool === 'delete_branch')).toEqual([]);
      const listed = await call(session.client, 'repo__list_branches', {});
      expect(textOf(listed)).toBe('main\nfeature/x');
    },
    TIMEOUT,
  );

  test(
    'a downstream crash is an error result; later calls to it fail closed',
    async () => {
      const crashed = await call(session.client, 'files__crash', {});
      expect(crashed.isError).toBe(true);
      expect(gatewayMeta(crashed)).toMatchObject({ outcome: 'downstream_error', decision: 'allow' });
      const after = await call(session.client, 'files__read_file', { path: 'README.md' });
      expect(after.isError).toBe(true);
      expect(textOf(after)).toMatch(/downstream 'files' is not available/);
      // The other servers keep working.
      const listed = await call(session.client, 'repo__list_branches', {});
      expect(listed.isError).toBeFalsy();
    },
    TIMEOUT,
  );

  test(
    'every call is evidence, and the log verifies',
    async () => {
      await session.close();
      const store = await openSqliteStore({ path: dirs.db });
      let outcomes: string[];
      let kinds: string[];
      try {
        const entries = await store.evidence.range(0, await store.evidence.count());
        kinds = entries.map((entry) => entry.kind);
        outcomes = entries.filter((e) => e.kind === 'operations').map((e) => e.payload['outcome'] as string);
        const decisions = entries.filter((e) => e.kind === 'decision').map((e) => e.payload);
        expect(decisions.every((d) => d['session_id'] === 'gw-session')).toBe(true);
        expect(decisions.some((d) => d['agent_id'] === 'cavra-test-client')).toBe(true);
      } finally {
        await store.close();
      }
      expect(new Set(outcomes)).toEqual(
        new Set([
          'forwarded',
          'blocked',
          'refused',
          'approval_pending',
          'approval_denied',
          'downstream_error',
        ]),
      );
      expect(kinds).toContain('approval');
      const verified = cavra(['evidence', 'verify', '--db', dirs.db, '--json'], dirs.dir);
      expect(verified.status).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, errors: [] });
    },
    TIMEOUT,
  );
});

describe('cavra mcp gateway (approvals: wait)', () => {
  const dirs = tempDir();
  let session: Session;
  beforeAll(async () => {
    const config = writeConfig(dirs, { mode: 'wait', timeout_seconds: 2, poll_interval_ms: 100 });
    session = await connect(['mcp', 'gateway', '--config', config], dirs.dir);
  }, TIMEOUT);
  afterAll(async () => {
    await session.close();
  });

  test(
    'waits for the decision and forwards the call once it is approved',
    async () => {
      const pending = call(session.client, 'db__run_query', { sql: 'select 1' });
      let approvals: ApprovalRecord[] = [];
      for (let i = 0; i < 100 && approvals.length === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        approvals = await pendingApprovals(dirs.db);
      }
      expect(approvals).toHaveLength(1);
      await decideApproval(dirs.db, approvals[0]?.approval_id ?? '', 'approved');
      const result = await pending;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ row_count: 1 });
    },
    TIMEOUT,
  );

  test(
    'answers pending when nobody decides in time',
    async () => {
      const result = await call(session.client, 'db__run_query', { sql: 'select 2' });
      expect(result.isError).toBe(true);
      expect(gatewayMeta(result)).toMatchObject({ outcome: 'approval_pending' });
      expect(textOf(result)).toMatch(/still pending after \d+ s/);
      expect(downstreamCalls(dirs.callLog).filter((c) => c.arguments['sql'] === 'select 2')).toEqual([]);
    },
    TIMEOUT,
  );
});

test(
  'a registry file judges the servers; ${VAR} in env comes from the environment; an invalid config is a usage error',
  async () => {
    const dirs = tempDir();
    writeFileSync(
      join(dirs.dir, 'registry.json'),
      JSON.stringify({
        mcp_servers: [{ server_id: 'files', trust_tier: 'approved', allowed_tools: ['read_file'] }],
      }),
    );
    const config = join(dirs.dir, 'gateway.json');
    writeFileSync(
      config,
      JSON.stringify({
        servers: [downstream('files', '${MCP_TEST_CALL_LOG}')],
        registry: { file: 'registry.json' },
      }),
    );
    const session = await connect(['mcp', 'gateway', '--config', config, '--db', dirs.db], dirs.dir, {
      MCP_TEST_CALL_LOG: dirs.callLog,
    });
    try {
      const read = await call(session.client, 'files__read_file', { path: 'x' });
      expect(gatewayMeta(read)).toMatchObject({ outcome: 'forwarded', rule_id: 'mcp.registry.allow' });
      expect(downstreamCalls(dirs.callLog)).toHaveLength(1);
      const scoped = await call(session.client, 'files__delete_branch', { branch: 'x' });
      expect(gatewayMeta(scoped)).toMatchObject({
        outcome: 'approval_pending',
        rule_id: 'mcp.registry.tool_scope',
      });
    } finally {
      await session.close();
    }

    writeFileSync(config, JSON.stringify({ servers: [{ name: 'a__b', command: 'x', url: 'http://x' }] }));
    const invalid = cavra(['mcp', 'gateway', '--config', 'gateway.json'], dirs.dir);
    expect(invalid.status).toBe(2);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain("invalid gateway config 'gateway.json'");
    expect(invalid.stderr).toContain('servers.0.name: use letters, digits');
    expect(invalid.stderr).toContain('give either "command"');
    writeFileSync(
      config,
      JSON.stringify({ servers: [{ name: 'gh', command: 'x', env: { TOKEN: '${MCP_TEST_UNSET_TOKEN}' } }] }),
    );
    const unsetVar = cavra(['mcp', 'gateway', '--config', 'gateway.json'], dirs.dir);
    expect(unsetVar.status).toBe(2);
    expect(unsetVar.stderr).toContain('servers.gh.env.TOKEN uses ${MCP_TEST_UNSET_TOKEN}, which is not set');
    const missing = cavra(['mcp', 'gateway'], dirs.dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing --config');
  },
  TIMEOUT,
);

test(
  'with CAVRA_API_URL, approvals are requested through the API and an approval there releases the call',
  async () => {
    // The API's clock is the real one: the gateway compares approvals' expiry with its own clock.
    const { app, store } = await openTestApp({ clock: () => new Date() });
    const server = await new Promise<ServerType>((resolve) => {
      const started: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
        resolve(started);
      });
    });
    const { port } = server.address() as AddressInfo;
    const dirs = tempDir();
    const session = await connect(['mcp', 'gateway', '--config', writeConfig(dirs)], dirs.dir, {
      CAVRA_API_URL: `http://127.0.0.1:${port}`,
    });
    try {
      const args = { sql: 'select count(*) from orders' };
      const first = await call(session.client, 'db__run_query', args);
      const approvalId = gatewayMeta(first)?.approval_id ?? '';
      expect(gatewayMeta(first)).toMatchObject({ outcome: 'approval_pending' });
      // The approval lives in the API's store, not in the gateway's local one.
      const stored = await store.approvals.get(approvalId);
      expect(stored).toMatchObject({ state: 'pending', approver_group: 'AI Governance' });
      expect(await pendingApprovals(dirs.db)).toEqual([]);
      const approved = await app.request(
        `/api/approvals/${approvalId}/approve`,
        postJson({ reason: 'read-only query', actor: 'alice' }),
      );
      expect(approved.status).toBe(200);
      const released = await call(session.client, 'db__run_query', args);
      expect(gatewayMeta(released)).toMatchObject({ outcome: 'forwarded', approval_id: approvalId });
      expect(downstreamCalls(dirs.callLog)).toEqual([{ server: 'db', tool: 'run_query', arguments: args }]);
    } finally {
      await session.close();
      await new Promise((done) => server.close(done));
      await store.close();
    }
  },
  TIMEOUT,
);

test(
  'a Streamable HTTP downstream server is fronted the same way',
  async () => {
    const received: string[] = [];
    const http = createServer((req, res) => {
      const server = new McpServer({ name: 'http-fixture', version: '1.0.0' });
      server.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text }) => {
        received.push(text);
        return { content: [{ type: 'text', text: `echo ${text}` }] };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      void server.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const dirs = tempDir();
    writeFileSync(
      join(dirs.dir, 'gateway.json'),
      JSON.stringify({
        servers: [
          {
            name: 'web',
            url: `http://127.0.0.1:${port}/mcp`,
            trust: { trust_tier: 'approved', allowed_tools: ['echo'] },
          },
        ],
      }),
    );
    const session = await connect(['mcp', 'gateway', '--config', 'gateway.json', '--db', dirs.db], dirs.dir);
    try {
      expect((await session.client.listTools()).tools.map((tool) => tool.name)).toEqual(['web__echo']);
      const result = await call(session.client, 'web__echo', { text: 'hi' });
      expect(textOf(result)).toBe('echo hi');
      expect(received).toEqual(['hi']);
    } finally {
      await session.close();
      await new Promise((done) => http.close(done));
    }
  },
  TIMEOUT,
);
