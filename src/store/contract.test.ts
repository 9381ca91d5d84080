/**
 * The store contract: one suite, run against every driver (sql.js, better-sqlite3, PostgreSQL). A driver passes
 * only if it behaves exactly like the others. PostgreSQL runs when CAVRA_TEST_DATABASE_URL is set (.ci/run sets it).
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Decision } from '../engine';
import type { CheckpointRecord, EvidenceEntry } from '../evidence';
import type { TestDatabase, TestDriver } from './contract/harness';
import {
  betterSqliteDriver,
  betterSqliteWriterDriver,
  makeDecision,
  postgresDriver,
  sqlJsDriver,
} from './contract/harness';
import { chainProblems, testNextEntry } from './contract/test-entry';
import type { ApprovalRecord, DeliveryRecord, McpServerRecord, Store } from './index';
import { MIGRATIONS } from './index';

const postgres = postgresDriver();
const drivers: TestDriver[] = [sqlJsDriver, betterSqliteDriver, betterSqliteWriterDriver, postgres];
afterAll(() => postgres.disposeAll());

const T = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

for (const driver of drivers) {
  const title = driver.skip === undefined ? driver.name : `${driver.name} (skipped: ${driver.skip})`;
  describe.skipIf(driver.skip !== undefined)(title, () => {
    let database: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await driver.createDatabase();
      store = await database.open();
    });
    afterEach(async () => {
      await store.close();
      await database.dispose();
    });

    describe('migrations', () => {
      test('a new database gets every migration; reopening applies none', async () => {
        expect(store.migrations).toEqual({ applied: MIGRATIONS.map((m) => m.id), alreadyApplied: [] });
        await store.evidence.append('session', { session_id: 's' }, T(0));
        await store.close();
        store = await database.open();
        expect(store.migrations).toEqual({ applied: [], alreadyApplied: MIGRATIONS.map((m) => m.id) });
        expect(await store.evidence.count()).toBe(1);
      });

      test('a database with a migration this build does not know is refused', async () => {
        await store.close();
        const future = [...MIGRATIONS, { id: '9999-future', up: () => Promise.resolve() }];
        store = await database.open({ migrations: future });
        expect(store.migrations.applied).toEqual(['9999-future']);
        await store.close();
        await expect(database.open()).rejects.toThrow(/9999-future/);
        store = await database.open({ migrations: future });
      });

      test('migrations out of order are a bug', async () => {
        const reversed = [{ id: '0002-b', up: () => Promise.resolve() }, ...MIGRATIONS];
        await expect(database.open({ migrations: reversed })).rejects.toThrow(/out of order/);
      });
    });

    describe('decisions and sessions', () => {
      test('insert, get, and an idempotent second insert', async () => {
        const decision = makeDecision();
        expect(await store.decisions.insert(decision)).toBe(true);
        expect(await store.decisions.insert({ ...decision, reason: 'changed' })).toBe(false);
        expect(await store.decisions.get(decision.decision_id)).toEqual(decision);
        expect(await store.decisions.get('dec_missing')).toBeNull();
        expect((await store.sessions.get('session-1'))?.decision_count).toBe(1);
      });

      test('list: newest first, every upstream filter, paging envelope', async () => {
        const decisions = [
          makeDecision({ timestamp: T(1), decision: 'block', severity: 'high' }),
          makeDecision({
            timestamp: T(3),
            session_id: 'session-2',
            agent_id: 'cursor',
            repository: 'acme/web',
          }),
          makeDecision({ timestamp: T(2), policy_pack: 'strict', action_type: 'write_file' }),
        ];
        for (const d of decisions) await store.decisions.insert(d);
        const ids = (page: { items: Decision[] }): string[] => page.items.map((d) => d.decision_id);
        const [d1, d2, d3] = decisions.map((d) => d.decision_id);
        expect(ids(await store.decisions.list())).toEqual([d2, d3, d1]);
        expect(ids(await store.decisions.list({ session_id: 'session-2' }))).toEqual([d2]);
        expect(ids(await store.decisions.list({ agent_id: 'cursor' }))).toEqual([d2]);
        expect(ids(await store.decisions.list({ repository: 'acme/web' }))).toEqual([d2]);
        expect(ids(await store.decisions.list({ policy_pack: 'strict' }))).toEqual([d3]);
        expect(ids(await store.decisions.list({ decision: 'block' }))).toEqual([d1]);
        expect(ids(await store.decisions.list({ severity: 'high' }))).toEqual([d1]);
        expect(ids(await store.decisions.list({ action_type: 'write_file' }))).toEqual([d3]);
        expect(ids(await store.decisions.list({ decision: 'allow', session_id: 'session-1' }))).toEqual([d3]);
        const page = await store.decisions.list({}, { limit: 1, offset: 1 });
        expect({ ...page, items: ids(page) }).toEqual({ items: [d3], total: 3, limit: 1, offset: 1 });
      });

      test('paging is clamped: limit 1..500 (default 50), offset ≥ 0', async () => {
        await store.decisions.insert(makeDecision());
        const envelope = async (request: { limit?: number; offset?: number }): Promise<[number, number]> => {
          const page = await store.decisions.list({}, request);
          return [page.limit, page.offset];
        };
        expect(await envelope({})).toEqual([50, 0]);
        expect(await envelope({ limit: 0, offset: -3 })).toEqual([1, 0]);
        expect(await envelope({ limit: 10_000, offset: 2.7 })).toEqual([500, 2]);
        expect(await envelope({ limit: Number.NaN, offset: Number.POSITIVE_INFINITY })).toEqual([50, 0]);
        expect((await store.decisions.list({}, { offset: 5 })).items).toEqual([]);
      });

      test('a session summary is derived from its decisions, in any arrival order', async () => {
        await store.decisions.insert(makeDecision({ timestamp: T(5), evidence_refs: ['a', 'b'] }));
        await store.decisions.insert(
          makeDecision({ timestamp: T(2), decision: 'block', evidence_refs: ['b', 'c'] }),
        );
        await store.decisions.insert(
          makeDecision({ timestamp: T(9), decision: 'require_approval', evidence_refs: [] }),
        );
        expect(await store.sessions.get('session-1')).toEqual({
          session_id: 'session-1',
          agent_id: 'claude-code',
          actor: 'dev@example.com',
          repository: 'acme/payments',
          policy_pack: 'default',
          state: 'active',
          started_at: T(2),
          updated_at: T(9),
          decision_count: 3,
          blocked_count: 1,
          approval_required_count: 1,
          // The union of the decisions' refs in decision-time order (T2 before T5), whatever the arrival order.
          evidence_refs: ['b', 'c', 'a'],
          decision_counts: { allow: 1, block: 1, require_approval: 1 },
        });
      });

      test('upsert: a posted summary keeps its fields; decisions then take over counts and times', async () => {
        const now = new Date(T(30));
        await store.close();
        store = await database.open({ now: () => now });
        const posted = await store.sessions.upsert({
          session_id: 'session-1',
          state: 'completed',
          agent_id: 'codex',
        });
        expect(posted).toMatchObject({
          state: 'completed',
          agent_id: 'codex',
          started_at: T(30),
          decision_count: 0,
        });
        const decision = makeDecision({ timestamp: T(4) });
        await store.decisions.insert(decision);
        expect(await store.sessions.get('session-1')).toMatchObject({
          state: 'completed',
          agent_id: 'codex',
          started_at: T(4),
          updated_at: T(4),
          decision_count: 1,
        });
        const reposted = await store.sessions.upsert({
          session_id: 'session-1',
          decision_count: 99,
          evidence_refs: ['x'],
        });
        // Once there are decisions, counts, times and refs are theirs, never the caller's.
        expect(reposted).toMatchObject({ decision_count: 1, decision_counts: { allow: 1 } });
        expect(reposted.evidence_refs).toEqual(decision.evidence_refs);
      });

      test('sessions list: filters and most recently updated first', async () => {
        await store.decisions.insert(makeDecision({ session_id: 'a', timestamp: T(1), agent_id: 'cursor' }));
        await store.decisions.insert(
          makeDecision({ session_id: 'b', timestamp: T(3), repository: 'acme/web' }),
        );
        await store.decisions.insert(
          makeDecision({ session_id: 'c', timestamp: T(2), policy_pack: 'strict' }),
        );
        await store.sessions.upsert({ session_id: 'c', state: 'archived' });
        const ids = async (filter: Parameters<Store['sessions']['list']>[0]): Promise<string[]> =>
          (await store.sessions.list(filter)).items.map((s) => s.session_id);
        expect(await ids({})).toEqual(['b', 'c', 'a']);
        expect(await ids({ agent_id: 'cursor' })).toEqual(['a']);
        expect(await ids({ repository: 'acme/web' })).toEqual(['b']);
        expect(await ids({ policy_pack: 'strict' })).toEqual(['c']);
        expect(await ids({ state: 'archived' })).toEqual(['c']);
        expect(await store.sessions.list({}, { limit: 2 })).toMatchObject({ total: 3, limit: 2, offset: 0 });
      });
    });

    describe('evidence log', () => {
      test('append chains entries and reads them back exactly', async () => {
        expect(await store.evidence.head()).toBeNull();
        const first = await store.evidence.append(
          'decision',
          { session_id: 's1', n: 1, nested: { a: [1, 'x'] } },
          T(0),
        );
        const second = await store.evidence.append('approval', { approval_id: 'apr_1' }, T(1));
        expect(first.sequence).toBe(0);
        expect(second).toMatchObject({ sequence: 1, previous_hash: first.entry_hash });
        expect(await store.evidence.head()).toEqual({ sequence: 1, entry_hash: second.entry_hash });
        expect(await store.evidence.count()).toBe(2);
        expect(await store.evidence.range(0, 10)).toEqual([first, second]);
        expect(await store.evidence.range(1, 2)).toEqual([second]);
        expect(await store.evidence.forSession('s1')).toEqual([first]);
      });

      test('appendMany appends in order under one lock, beyond one INSERT chunk', async () => {
        await store.evidence.append('session', { session_id: 's' }, T(0));
        const batch = Array.from({ length: 1203 }, (_, i) => ({
          kind: 'decision' as const,
          payload: { i },
          recordedAt: T(1),
        }));
        const appended = await store.evidence.appendMany(batch);
        expect(appended.map((e) => e.sequence)).toEqual(batch.map((_, i) => i + 1));
        expect(await store.evidence.count()).toBe(1204);
        expect(chainProblems(await store.evidence.range(0, 2000))).toEqual([]);
        expect(await store.evidence.appendMany([])).toEqual([]);
      });

      test('concurrent appends through one store never fork the chain', async () => {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.evidence.append('decision', { i }, T(0))),
        );
        const entries = await store.evidence.range(0, 100);
        expect(entries).toHaveLength(40);
        expect(chainProblems(entries)).toEqual([]);
      });

      test('an entry that does not extend the head is refused and nothing is stored', async () => {
        await store.close();
        const forking = (...args: Parameters<typeof testNextEntry>): EvidenceEntry => ({
          ...testNextEntry(...args),
          sequence: 7,
        });
        store = await database.open({ nextEntry: forking });
        await expect(store.evidence.append('decision', {}, T(0))).rejects.toThrow(/expected sequence 0/);
        expect(await store.evidence.count()).toBe(0);
      });

      test('one failing append among concurrent ones fails alone', async () => {
        await store.close();
        const picky = (...args: Parameters<typeof testNextEntry>): EvidenceEntry => {
          if (args[2].bad === true) throw new TypeError('bad payload');
          return testNextEntry(...args);
        };
        store = await database.open({ nextEntry: picky });
        const results = await Promise.allSettled([
          store.evidence.append('decision', { n: 0 }, T(0)),
          store.evidence.append('decision', { n: 1 }, T(0)),
          store.evidence.append('decision', { bad: true }, T(0)),
          store.evidence.append('decision', { n: 2 }, T(0)),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        const entries = await store.evidence.range(0, 10);
        expect(entries.map((e) => e.payload.n)).toEqual([0, 1, 2]);
        expect(chainProblems(entries)).toEqual([]);
      });

      test('checkpoints: one per (origin, tree size), latest, list', async () => {
        const checkpoint = (tree_size: number, origin = 'cavra.dev/evidence/a'): CheckpointRecord => ({
          schema_version: 'cavra.evidence.checkpoint.v1',
          origin,
          tree_size,
          root_hash: String(tree_size).repeat(64).slice(0, 64),
          timestamp: T(tree_size),
          note: `${origin}\n${tree_size}\nroot\n\n— signature\n`,
        });
        expect(await store.evidence.checkpoints.latest()).toBeNull();
        expect(await store.evidence.checkpoints.insert(checkpoint(2))).toBe(true);
        expect(await store.evidence.checkpoints.insert({ ...checkpoint(2), timestamp: T(9) })).toBe(false);
        expect(await store.evidence.checkpoints.insert(checkpoint(5))).toBe(true);
        expect(await store.evidence.checkpoints.insert(checkpoint(7, 'cavra.dev/evidence/b'))).toBe(true);
        expect(await store.evidence.checkpoints.latest('cavra.dev/evidence/a')).toEqual(checkpoint(5));
        expect(await store.evidence.checkpoints.latest()).toEqual(checkpoint(7, 'cavra.dev/evidence/b'));
        const page = await store.evidence.checkpoints.list({ origin: 'cavra.dev/evidence/a' }, { limit: 1 });
        expect(page).toEqual({ items: [checkpoint(5)], total: 2, limit: 1, offset: 0 });
        expect((await store.evidence.checkpoints.list()).total).toBe(3);
      });

      test('a decision with its approval and follow-up entry: all three commit together, or none', async () => {
        const pending = (id: string, decision: Decision): ApprovalRecord => ({
          approval_id: id,
          decision_id: decision.decision_id,
          session_id: decision.session_id,
          state: 'pending',
          approver_group: 'Platform Security',
          requested_by: decision.actor,
          requested_at: T(1),
          expires_at: T(59),
          history: [{ event: 'requested', actor: decision.actor, timestamp: T(1), reason: null }],
          decision,
        });
        const first = makeDecision({ session_id: 's' });
        const follow = (id: string, decision: Decision) => ({
          kind: 'approval' as const,
          payload: { approval_id: id, decision_id: decision.decision_id, session_id: decision.session_id },
          recordedAt: T(2),
          approval: pending(id, decision),
        });
        // Concurrent with plain appends: group-committed, yet the pair stays adjacent and atomic.
        const [plain, pair, again] = await Promise.all([
          store.evidence.append('operations', { n: 1 }, T(1)),
          store.evidence.appendDecisionWith(first, T(1), follow('apr_a', first)),
          store.evidence.appendDecisionWith(first, T(1), follow('apr_b', first)),
        ]);
        expect(plain.sequence).toBe(0);
        expect(pair?.map((e) => [e.sequence, e.kind])).toEqual([
          [1, 'decision'],
          [2, 'approval'],
        ]);
        expect(pair?.[1].previous_hash).toBe(pair?.[0].entry_hash);
        // A decision already stored: nothing of the second pair is stored or logged.
        expect(again).toBeNull();
        expect(await store.approvals.get('apr_a')).toEqual(pending('apr_a', first));
        expect(await store.approvals.get('apr_b')).toBeNull();
        // An approval that cannot be stored (its id is taken): neither is its decision nor either entry.
        const second = makeDecision({ session_id: 's' });
        await expect(
          store.evidence.appendDecisionWith(second, T(3), follow('apr_a', second)),
        ).rejects.toThrow();
        expect(await store.decisions.get(second.decision_id)).toBeNull();
        expect((await store.sessions.get('s'))?.decision_count).toBe(1);
        const entries = await store.evidence.range(0, 10);
        expect(entries).toHaveLength(3);
        expect(chainProblems(entries)).toEqual([]);
        expect(entries[1]?.payload).toEqual(first);
      });

      test('a unit of work commits a decision and its evidence together, or neither', async () => {
        const kept = makeDecision();
        await store.transaction(async (tx) => {
          await tx.decisions.insert(kept);
          await tx.evidence.append('decision', { decision_id: kept.decision_id }, T(0));
        });
        const dropped = makeDecision();
        await expect(
          store.transaction(async (tx) => {
            await tx.decisions.insert(dropped);
            await tx.evidence.append('decision', { decision_id: dropped.decision_id }, T(1));
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await store.decisions.get(kept.decision_id)).toEqual(kept);
        expect(await store.decisions.get(dropped.decision_id)).toBeNull();
        expect(await store.evidence.count()).toBe(1);
        expect((await store.sessions.get('session-1'))?.decision_count).toBe(1);
      });
    });

    describe.skipIf(driver.appendsOnly === true)('evidence metadata', () => {
      test('upsert, get, and the column filters', async () => {
        const meta = (session_id: string, extra: Record<string, unknown>) => ({
          session_id,
          created_at: T(0),
          ...extra,
        });
        await store.evidenceMetadata.upsert(meta('Run_100%', { signer: 'ci', blocked_count: 2 }));
        await store.evidenceMetadata.upsert(meta('run-2', { created_at: T(5), approval_required_count: 1 }));
        await store.evidenceMetadata.upsert(meta('other', { metadata_kind: 'rollout', created_at: T(1) }));
        await store.evidenceMetadata.upsert(meta('other', { metadata_kind: 'rollout', created_at: T(2) }));
        const ids = async (filter: Parameters<Store['evidenceMetadata']['list']>[0]): Promise<string[]> =>
          (await store.evidenceMetadata.list(filter)).items.map((m) => m.session_id);
        expect(await ids({})).toEqual(['run-2', 'other', 'Run_100%']);
        expect(await ids({ session_id: 'RUN' })).toEqual(['run-2', 'Run_100%']);
        expect(await ids({ session_id: '_100%' })).toEqual(['Run_100%']);
        expect(await ids({ session_id: 'n_' })).toEqual(['Run_100%']);
        expect(await ids({ signer: 'ci' })).toEqual(['Run_100%']);
        expect(await ids({ min_blocked: 1 })).toEqual(['Run_100%']);
        expect(await ids({ has_approvals: true })).toEqual(['run-2']);
        expect(await ids({ has_approvals: false })).toEqual(['other', 'Run_100%']);
        expect(await ids({ metadata_kind: 'rollout' })).toEqual(['other']);
        expect(await store.evidenceMetadata.get('other')).toEqual(
          meta('other', { metadata_kind: 'rollout', created_at: T(2) }),
        );
        expect(await store.evidenceMetadata.get('missing')).toBeNull();
      });
    });

    describe.skipIf(driver.appendsOnly === true)('approvals', () => {
      const decision = makeDecision();
      const approval = (id: string, extra: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
        approval_id: id,
        decision_id: `dec_${id}`,
        session_id: 'session-1',
        state: 'pending',
        approver_group: 'Platform Security',
        requested_by: 'ai-agent',
        requested_at: T(1),
        expires_at: T(59),
        history: [{ event: 'requested', actor: 'ai-agent', timestamp: T(1), reason: 'needs review' }],
        decision,
        ...extra,
      });

      test('create, get, list (newest request first) with filters', async () => {
        expect(await store.approvals.create(approval('apr_1'))).toBe(true);
        expect(await store.approvals.create(approval('apr_1', { state: 'denied' }))).toBe(false);
        await store.approvals.create(approval('apr_2', { requested_at: T(3), approver_group: 'IAM' }));
        await store.approvals.create(
          approval('apr_3', { state: 'break_glass', break_glass: true, session_id: null }),
        );
        expect(await store.approvals.get('apr_1')).toEqual(approval('apr_1'));
        expect(await store.approvals.get('apr_missing')).toBeNull();
        const ids = async (filter: Parameters<Store['approvals']['list']>[0]): Promise<string[]> =>
          (await store.approvals.list(filter)).items.map((a) => a.approval_id);
        expect(await ids({})).toEqual(['apr_2', 'apr_1', 'apr_3']);
        expect(await ids({ state: 'pending' })).toEqual(['apr_2', 'apr_1']);
        expect(await ids({ approver_group: 'IAM' })).toEqual(['apr_2']);
        expect(await ids({ decision_id: 'dec_apr_3' })).toEqual(['apr_3']);
        expect(await ids({ session_id: 'session-1', state: 'pending' })).toEqual(['apr_2', 'apr_1']);
        expect(await store.approvals.list({}, { limit: 1, offset: 2 })).toMatchObject({
          total: 3,
          limit: 1,
          offset: 2,
        });
      });

      test('update is a compare-and-set on the state: one of two racing approvers wins', async () => {
        await store.approvals.create(approval('apr_1'));
        const approved = approval('apr_1', { state: 'approved', decided_by: 'alice', decided_at: T(2) });
        const denied = approval('apr_1', { state: 'denied', decided_by: 'bob', decided_at: T(2) });
        const results = await Promise.all([
          store.approvals.update(approved, 'pending'),
          store.approvals.update(denied, 'pending'),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.approvals.get('apr_1')).toEqual(results[0] ? approved : denied);
        expect(await store.approvals.update(approval('apr_missing'), 'pending')).toBe(false);
      });

      test('repository and review filters; listExpired returns pending approvals past their deadline', async () => {
        await store.approvals.create(approval('apr_1', { repository: 'acme/api', expires_at: T(5) }));
        await store.approvals.create(approval('apr_2', { expires_at: T(3) }));
        await store.approvals.create(approval('apr_3', { expires_at: T(9) }));
        await store.approvals.create(
          approval('apr_4', { state: 'break_glass', expires_at: T(1), review_state: 'review_pending' }),
        );
        const ids = async (filter: Parameters<Store['approvals']['list']>[0]): Promise<string[]> =>
          (await store.approvals.list(filter)).items.map((a) => a.approval_id);
        expect(await ids({ repository: 'acme/api' })).toEqual(['apr_1']);
        expect(await ids({ review_state: 'review_pending' })).toEqual(['apr_4']);
        const expired = await store.approvals.listExpired(T(5));
        expect(expired.map((a) => a.approval_id)).toEqual(['apr_2', 'apr_1']);
        expect((await store.approvals.listExpired(T(5), 1)).map((a) => a.approval_id)).toEqual(['apr_2']);
      });

      test('an unknown state is refused', async () => {
        const bad = { ...approval('apr_1'), state: 'rejected' } as unknown as ApprovalRecord;
        await expect(store.approvals.create(bad)).rejects.toThrow('unsupported approval state: rejected');
      });
    });

    describe.skipIf(driver.appendsOnly === true)('registry', () => {
      const server = (server_id: string, extra: Partial<McpServerRecord> = {}): McpServerRecord => ({
        server_id,
        name: server_id,
        trust_tier: 'trusted',
        approval_state: 'approved',
        capabilities: ['repository'],
        allowed_tools: [],
        updated_at: T(0),
        evidence_refs: [],
        ...extra,
      });

      test('agents: upsert replaces, list filters and sorts by id', async () => {
        const agent = {
          agent_id: 'b-agent',
          status: 'active' as const,
          owner: 'team-a',
          updated_at: T(0),
          scopes: ['repo'],
        };
        await store.registry.agents.upsert(agent);
        await store.registry.agents.upsert({ ...agent, agent_id: 'a-agent', owner: 'team-b' });
        await store.registry.agents.upsert({ ...agent, status: 'retired' });
        expect(await store.registry.agents.get('b-agent')).toEqual({ ...agent, status: 'retired' });
        expect(await store.registry.agents.get('missing')).toBeNull();
        const ids = async (filter: Parameters<Store['registry']['agents']['list']>[0]): Promise<string[]> =>
          (await store.registry.agents.list(filter)).items.map((a) => a.agent_id);
        expect(await ids({})).toEqual(['a-agent', 'b-agent']);
        expect(await ids({ status: 'active' })).toEqual(['a-agent']);
        expect(await ids({ owner: 'team-a' })).toEqual(['b-agent']);
        expect((await store.registry.agents.list()).total).toBe(2);
      });

      test('MCP servers: lookup by id or name, filters incl. capability membership', async () => {
        await store.registry.mcpServers.upsert(server('github', { name: 'GitHub MCP' }));
        await store.registry.mcpServers.upsert(
          server('shell', {
            trust_tier: 'experimental',
            approval_state: 'pending',
            capabilities: ['shell', 'network'],
          }),
        );
        expect((await store.registry.mcpServers.get('GitHub MCP'))?.server_id).toBe('github');
        expect((await store.registry.mcpServers.get('shell'))?.server_id).toBe('shell');
        expect(await store.registry.mcpServers.get('nope')).toBeNull();
        const ids = async (
          filter: Parameters<Store['registry']['mcpServers']['list']>[0],
        ): Promise<string[]> => (await store.registry.mcpServers.list(filter)).items.map((s) => s.server_id);
        expect(await ids({})).toEqual(['github', 'shell']);
        expect(await ids({ trust_tier: 'experimental' })).toEqual(['shell']);
        expect(await ids({ approval_state: 'approved' })).toEqual(['github']);
        expect(await ids({ capability: 'network' })).toEqual(['shell']);
        expect(await store.registry.mcpServers.list({ capability: 'cloud' })).toEqual({
          items: [],
          total: 0,
        });
      });

      test('agent tokens are stored hashed, found by hash, revoked once', async () => {
        await store.registry.agents.upsert({ agent_id: 'codex', status: 'active', updated_at: T(0) });
        const token = {
          token_id: 'tok_1',
          agent_id: 'codex',
          token_hash: 'a'.repeat(64),
          label: 'ci',
          scopes: ['decisions:write'],
          created_at: T(0),
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
        };
        await store.registry.tokens.create(token);
        await expect(
          store.registry.tokens.create({ ...token, token_id: 'tok_2', token_hash: 'cavra_secret' }),
        ).rejects.toThrow(/never the token itself/);
        await expect(
          store.registry.tokens.create({
            ...token,
            token_id: 'tok_3',
            agent_id: 'ghost',
            token_hash: 'b'.repeat(64),
          }),
        ).rejects.toThrow();
        expect(await store.registry.tokens.findByHash('a'.repeat(64))).toEqual(token);
        expect(await store.registry.tokens.findByHash('c'.repeat(64))).toBeNull();
        await store.registry.tokens.markUsed('tok_1', T(5));
        expect(await store.registry.tokens.revoke('tok_1', T(6))).toBe(true);
        expect(await store.registry.tokens.revoke('tok_1', T(7))).toBe(false);
        expect(await store.registry.tokens.listForAgent('codex')).toEqual([
          { ...token, last_used_at: T(5), revoked_at: T(6) },
        ]);
      });
    });

    describe.skipIf(driver.appendsOnly === true)('inventory and integrations', () => {
      test('repositories and rollouts: upsert, get (ids with slashes), filters, paging', async () => {
        const repo = (id: string, extra: Record<string, unknown> = {}) => ({
          repository_id: id,
          repository: id,
          status: 'active' as const,
          owner: 'team-a',
          policy_pack: 'default',
          updated_at: T(0),
          required_checks: ['cavra'],
          ...extra,
        });
        await store.inventory.repositories.upsert(repo('acme/web'));
        await store.inventory.repositories.upsert(repo('acme/api', { status: 'archived', owner: 'team-b' }));
        await store.inventory.repositories.upsert(repo('acme/web', { policy_pack: 'strict' }));
        expect(await store.inventory.repositories.get('acme/web')).toEqual(
          repo('acme/web', { policy_pack: 'strict' }),
        );
        const repos = await store.inventory.repositories.list({ status: 'active' });
        expect(repos).toMatchObject({ total: 1, items: [{ repository_id: 'acme/web' }] });
        expect(
          (await store.inventory.repositories.list({}, { limit: 1 })).items.map((r) => r.repository_id),
        ).toEqual(['acme/api']);
        expect((await store.inventory.repositories.list({ owner: 'team-b' })).total).toBe(1);
        expect((await store.inventory.repositories.list({ policy_pack: 'strict' })).total).toBe(1);

        const rollout = {
          rollout_id: 'acme/web:strict',
          repository: 'acme/web',
          policy_pack: 'strict',
          state: 'planned' as const,
          mode: 'audit_only' as const,
          updated_at: T(0),
          coverage_percent: 10,
        };
        await store.inventory.rollouts.upsert(rollout);
        await store.inventory.rollouts.upsert({
          ...rollout,
          rollout_id: 'acme/api:default',
          repository: 'acme/api',
          policy_pack: 'default',
        });
        expect(await store.inventory.rollouts.get('acme/web:strict')).toEqual(rollout);
        expect(
          (await store.inventory.rollouts.list({ repository: 'acme/api' })).items.map((r) => r.rollout_id),
        ).toEqual(['acme/api:default']);
        expect((await store.inventory.rollouts.list({ state: 'planned', policy_pack: 'strict' })).total).toBe(
          1,
        );
      });

      test('integrations: upsert, get, filters', async () => {
        const integration = {
          integration_id: 'slack',
          provider: 'slack',
          category: 'chatops',
          status: 'active' as const,
          updated_at: T(0),
          health_status: 'healthy',
        };
        await store.integrations.upsert(integration);
        await store.integrations.upsert({
          ...integration,
          integration_id: 'jira',
          provider: 'jira',
          category: 'itsm',
          status: 'planned',
        });
        expect(await store.integrations.get('slack')).toEqual(integration);
        expect(await store.integrations.get('missing')).toBeNull();
        expect((await store.integrations.list()).items.map((i) => i.integration_id)).toEqual([
          'jira',
          'slack',
        ]);
        expect((await store.integrations.list({ category: 'itsm' })).total).toBe(1);
        expect((await store.integrations.list({ provider: 'slack', status: 'active' })).total).toBe(1);
      });
    });

    describe.skipIf(driver.appendsOnly === true)('operations', () => {
      test('records: upsert replaces, newest first, filters', async () => {
        const record = {
          record_id: 'drill-1',
          kind: 'rollback_drill',
          subject_id: 'prod',
          state: 'pass',
          created_at: T(1),
          updated_at: T(1),
        };
        await store.operations.records.upsert(record);
        await store.operations.records.upsert({
          ...record,
          record_id: 'ack-1',
          kind: 'acknowledgement',
          created_at: T(3),
          state: 'acknowledged',
        });
        await store.operations.records.upsert({ ...record, state: 'fail', updated_at: T(4) });
        expect(await store.operations.records.get('drill-1')).toEqual({
          ...record,
          state: 'fail',
          updated_at: T(4),
        });
        expect((await store.operations.records.list()).items.map((r) => r.record_id)).toEqual([
          'ack-1',
          'drill-1',
        ]);
        expect((await store.operations.records.list({ kind: 'rollback_drill' })).total).toBe(1);
        expect(
          (await store.operations.records.list({ subject_id: 'prod', state: 'acknowledged' })).total,
        ).toBe(1);
      });

      test('deliveries: filters and the due queue', async () => {
        const delivery = (id: string, extra: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
          delivery_id: id,
          subject_kind: 'approval',
          subject_id: 'apr_1',
          provider: 'slack',
          status: 'pending',
          attempts: 0,
          next_attempt_at: null,
          created_at: T(1),
          updated_at: T(1),
          ...extra,
        });
        await store.operations.deliveries.upsert(delivery('d1'));
        await store.operations.deliveries.upsert(
          delivery('d2', { status: 'retrying', attempts: 1, next_attempt_at: T(10) }),
        );
        await store.operations.deliveries.upsert(
          delivery('d3', { status: 'delivered', provider: 'jira', created_at: T(2) }),
        );
        await store.operations.deliveries.upsert(
          delivery('d4', { status: 'retrying', next_attempt_at: T(0), created_at: T(3) }),
        );
        expect((await store.operations.deliveries.list()).items.map((d) => d.delivery_id)).toEqual([
          'd4',
          'd3',
          'd1',
          'd2',
        ]);
        expect((await store.operations.deliveries.list({ provider: 'jira' })).total).toBe(1);
        expect(
          (
            await store.operations.deliveries.list({
              subject_kind: 'approval',
              subject_id: 'apr_1',
              status: 'retrying',
            })
          ).total,
        ).toBe(2);
        const due = async (now: string): Promise<string[]> =>
          (await store.operations.deliveries.listDue(now)).map((d) => d.delivery_id);
        expect(await due(T(5))).toEqual(['d4', 'd1']);
        expect(await due(T(10))).toEqual(['d4', 'd1', 'd2']);
        expect(await store.operations.deliveries.get('d2')).toEqual(
          delivery('d2', { status: 'retrying', attempts: 1, next_attempt_at: T(10) }),
        );
      });
    });
  });
}
