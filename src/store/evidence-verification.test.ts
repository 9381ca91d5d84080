/**
 * The store's side of verifying and checkpointing the evidence log (migration 0002), on every driver: payloads
 * kept as canonical text so `verifyLog` hashes what is stored, paged reads, the persisted writer state (head and
 * Merkle frontier), logs written before 0002, and decisions stored and logged in one group-committed step.
 */
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { JsonObject } from '../engine';
import {
  LogWriter,
  MerkleTree,
  canonicalEntryText,
  canonicalJson,
  entryLeafHash,
  toHex,
  verifyLog,
} from '../evidence';
import type { EvidenceEntry } from '../evidence';
import type { TestDatabase, TestDriver } from './contract/harness';
import { betterSqliteDriver, makeDecision, postgresDriver, sqlJsDriver } from './contract/harness';
import { chainProblems, testNextEntry } from './contract/test-entry';
import { nodeCrypto } from './drivers/node-crypto';
import type { Database, Migration, Store, VerificationPage } from './index';
import { MIGRATIONS } from './index';

const postgres = postgresDriver();
const drivers: TestDriver[] = [sqlJsDriver, betterSqliteDriver, postgres];
afterAll(() => postgres.disposeAll());

const T = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

async function readAll(store: Store, pageSize?: number): Promise<VerificationPage> {
  const all: VerificationPage = { entries: [], texts: [] };
  for await (const page of store.evidence.pages(pageSize === undefined ? {} : { pageSize })) {
    all.entries.push(...page.entries);
    all.texts.push(...page.texts);
  }
  return all;
}

function treeRoot(entries: readonly EvidenceEntry[]): string {
  return toHex(
    new MerkleTree(
      nodeCrypto,
      entries.map((e) => entryLeafHash(e, nodeCrypto)),
    ).root(),
  );
}

/** What a log written before migration 0002 holds: `JSON.stringify` payloads, no writer state. */
function legacyRows(count: number): { entries: EvidenceEntry[]; migration: Migration } {
  const entries: EvidenceEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const head = i === 0 ? null : { sequence: i - 1, entry_hash: entries[i - 1]?.entry_hash ?? '' };
    // Keys out of JCS order, so the stored text is not canonical.
    entries.push(testNextEntry(head, 'decision', { z: i, session_id: 'old', a: 'é' }, T(i)));
  }
  const migration: Migration = {
    id: '0001-zz-legacy-rows',
    up: async (db: Kysely<Database>) => {
      // Written as 0001's store wrote them (the payload_jcs column does not exist yet).
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('evidence_entries')
        .values(
          entries.map((e) => ({
            sequence: e.sequence,
            schema_version: e.schema_version,
            kind: e.kind,
            recorded_at: e.recorded_at,
            session_id: 'old',
            previous_hash: e.previous_hash,
            entry_hash: e.entry_hash,
            payload: JSON.stringify(e.payload),
          })),
        )
        .execute();
    },
  };
  return { entries, migration };
}

for (const driver of drivers) {
  const title = driver.skip === undefined ? driver.name : `${driver.name} (skipped: ${driver.skip})`;
  describe.skipIf(driver.skip !== undefined)(title, () => {
    let database: TestDatabase;
    let store: Store;
    beforeEach(async () => {
      database = await driver.createDatabase();
      store = await database.open({ crypto: nodeCrypto });
    });
    afterEach(async () => {
      await store.close();
      await database.dispose();
    });

    test('payloads are stored as canonical text: the pages verify through the texts path', async () => {
      await store.evidence.append('session', { session_id: 's', z: 1, a: ['ü', { y: 2, b: null }] }, T(0));
      await store.evidence.appendMany(
        Array.from({ length: 11 }, (_, i) => ({
          kind: 'decision' as const,
          payload: { n: i, text: 'quoted “✓” \u2028', session_id: 's' },
          recordedAt: T(1),
        })),
      );
      const { entries, texts } = await readAll(store, 4);
      expect(entries).toEqual(await store.evidence.range(0, 100));
      expect(texts).toEqual(entries.map((e) => canonicalEntryText(e, canonicalJson(e.payload))));
      const report = verifyLog(entries, [], { roots: [] }, nodeCrypto, { texts });
      expect(report.errors).toEqual([]);
      expect(report.checked.entries).toBe(12);

      const part = await store.evidence.rangeForVerification(3, 5);
      expect(part.entries.map((e) => e.sequence)).toEqual([3, 4]);
      expect(part.texts).toEqual(texts.slice(3, 5));
      const pages = [];
      for await (const page of store.evidence.pages({ from: 2, to: 9, pageSize: 3 })) pages.push(page);
      expect(pages.map((p) => p.entries.map((e) => e.sequence))).toEqual([[2, 3, 4], [5, 6, 7], [8]]);
    });

    test('the writer state follows every append and resumes a LogWriter at the current root', async () => {
      const empty = await store.evidence.state();
      expect(empty).toEqual({ head: null, frontier: { size: 0, hashes: [] } });
      await store.evidence.append('session', { session_id: 's' }, T(0));
      await Promise.all(Array.from({ length: 6 }, (_, i) => store.evidence.append('decision', { i }, T(1))));
      await store.transaction(async (tx) => {
        await tx.evidence.appendMany([{ kind: 'approval', payload: { a: 1 }, recordedAt: T(2) }]);
        await tx.evidence.append('approval', { a: 2 }, T(3));
      });
      await store.close();
      store = await database.open({ crypto: nodeCrypto });
      const entries = await store.evidence.range(0, 100);
      const state = await store.evidence.state();
      expect(state.head).toEqual(await store.evidence.head());
      expect(state.frontier.size).toBe(9);
      const writer = new LogWriter('cavra.dev/evidence/test', nodeCrypto, state);
      expect(toHex(writer.root())).toBe(treeRoot(entries));
      // A unit of work that rolls back leaves the state as it was.
      await expect(
        store.transaction(async (tx) => {
          await tx.evidence.append('approval', { a: 3 }, T(4));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.evidence.state()).toEqual(state);
    });

    test('a log written before migration 0002 is resumed: state rebuilt once, old rows verified without texts', async () => {
      await store.close();
      await database.dispose();
      database = await driver.createDatabase();
      const [initial, verification] = MIGRATIONS;
      if (initial === undefined || verification === undefined) throw new Error('migrations');
      const legacy = legacyRows(5);
      const migrations = [initial, legacy.migration, verification];
      store = await database.open({ crypto: nodeCrypto, migrations });
      expect(await store.evidence.range(0, 10)).toEqual(legacy.entries);
      const rebuilt = await store.evidence.state();
      expect(rebuilt.head).toEqual({ sequence: 4, entry_hash: legacy.entries[4]?.entry_hash });
      expect(toHex(new LogWriter('o', nodeCrypto, rebuilt).root())).toBe(treeRoot(legacy.entries));

      await store.evidence.append('decision', { session_id: 'new' }, T(9));
      const { entries, texts } = await readAll(store);
      expect(texts.map((t) => t !== undefined)).toEqual([false, false, false, false, false, true]);
      const report = verifyLog(entries, [], { roots: [] }, nodeCrypto, { texts });
      expect(report.errors).toEqual([]);
      expect(chainProblems(entries)).toEqual([]);
      const state = await store.evidence.state();
      expect(toHex(new LogWriter('o', nodeCrypto, state).root())).toBe(treeRoot(entries));
    });

    test('a log written before 0002 whose first new append rebuilds the state', async () => {
      await store.close();
      await database.dispose();
      database = await driver.createDatabase();
      const [initial, verification] = MIGRATIONS;
      if (initial === undefined || verification === undefined) throw new Error('migrations');
      const legacy = legacyRows(3);
      store = await database.open({ migrations: [initial, legacy.migration, verification] });
      const appended = await store.evidence.appendMany([
        { kind: 'decision', payload: { n: 1 }, recordedAt: T(5) },
        { kind: 'decision', payload: { n: 2 }, recordedAt: T(6) },
      ]);
      expect(appended.map((e) => e.sequence)).toEqual([3, 4]);
      expect(appended[0]?.previous_hash).toBe(legacy.entries[2]?.entry_hash);
      const entries = await store.evidence.range(0, 10);
      const state = await store.evidence.state();
      expect(toHex(new LogWriter('o', nodeCrypto, state).root())).toBe(treeRoot(entries));
    });

    test('appendDecision stores the decision, its session summary and its entry together', async () => {
      const decisions = Array.from({ length: 5 }, (_, i) =>
        makeDecision({
          session_id: i % 2 === 0 ? 'even' : 'odd',
          decision: i === 3 ? 'block' : 'allow',
          timestamp: T(10 - i),
        }),
      );
      const entries = await Promise.all(decisions.map((d, i) => store.evidence.appendDecision(d, T(i))));
      expect(entries.map((e) => e?.sequence)).toEqual([0, 1, 2, 3, 4]);
      expect(entries.map((e) => e?.payload.decision_id)).toEqual(decisions.map((d) => d.decision_id));
      expect(entries.every((e) => e?.kind === 'decision')).toBe(true);
      for (const d of decisions) expect(await store.decisions.get(d.decision_id)).toEqual(d);

      // The summaries equal those of inserting the same decisions one at a time.
      const other = await driver.createDatabase();
      const single = await other.open();
      try {
        for (const d of decisions) await single.decisions.insert(d);
        for (const id of ['even', 'odd'])
          expect(await store.sessions.get(id)).toEqual(await single.sessions.get(id));
      } finally {
        await single.close();
        await other.dispose();
      }
      expect((await store.sessions.get('odd'))?.blocked_count).toBe(1);

      // A decision already stored is neither stored again nor logged; so is a repeat within one batch.
      const fresh = makeDecision({ session_id: 'even' });
      const again = await store.evidence.appendDecisions([
        { decision: { ...decisions[0], reason: 'changed' } as typeof fresh, recordedAt: T(20) },
        { decision: fresh, recordedAt: T(21) },
        { decision: fresh, recordedAt: T(22) },
      ]);
      expect(again.map((e) => e?.sequence ?? null)).toEqual([null, 5, null]);
      expect(await store.decisions.get(decisions[0]?.decision_id ?? '')).toEqual(decisions[0]);
      expect(await store.evidence.appendDecision(fresh, T(23))).toBeNull();
      expect(await store.evidence.count()).toBe(6);
      expect((await store.sessions.get('even'))?.decision_count).toBe(4);
      const { entries: all, texts } = await readAll(store);
      expect(verifyLog(all, [], { roots: [] }, nodeCrypto, { texts }).errors).toEqual([]);
    });

    test('appendDecision in a unit of work commits or rolls back with it; a failing batch fails alone', async () => {
      const kept = makeDecision({ session_id: 'uow' });
      const dropped = makeDecision({ session_id: 'uow' });
      await store.transaction(async (tx) => {
        expect((await tx.evidence.appendDecision(kept, T(0)))?.sequence).toBe(0);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.evidence.appendDecision(dropped, T(1));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.decisions.get(dropped.decision_id)).toBeNull();
      expect((await store.sessions.get('uow'))?.decision_count).toBe(1);

      const results = await Promise.allSettled([
        store.evidence.appendDecision(makeDecision({ session_id: 'uow' }), T(2)),
        store.evidence.appendDecision(makeDecision({ session_id: 'uow' }), 'not a time'),
        store.evidence.appendDecision(makeDecision({ session_id: 'uow' }), T(3)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.sessions.get('uow'))?.decision_count).toBe(3);
      expect(await store.evidence.count()).toBe(3);
      const payload: JsonObject = { session_id: 'uow' };
      await store.evidence.append('session', payload, T(4));
      expect(chainProblems(await store.evidence.range(0, 10))).toEqual([]);
    });

    test('migration 0003 keeps a written log as it was: verify() accepts it, appends continue', async () => {
      await store.close();
      await database.dispose();
      database = await driver.createDatabase();
      const [initial, verification] = MIGRATIONS;
      if (initial === undefined || verification === undefined) throw new Error('migrations');
      const legacy = legacyRows(3);
      store = await database.open({
        crypto: nodeCrypto,
        migrations: [initial, legacy.migration, verification],
      });
      await store.evidence.appendMany(
        [4, 5, 6].map((i) => ({
          kind: 'decision' as const,
          payload: { n: i, session_id: 'new' },
          recordedAt: T(i),
        })),
      );
      const before = await readAll(store);
      await store.close();

      // Reopened by this build: the legacy step stays known, the migrations after 0002 apply.
      store = await database.open({
        crypto: nodeCrypto,
        migrations: [initial, legacy.migration, ...MIGRATIONS.slice(1)],
      });
      expect(store.migrations.applied).toContain('0003-evidence-append-path');
      expect(await readAll(store)).toEqual(before);
      expect(await store.evidence.forSession('new')).toHaveLength(3);
      const report = await store.evidence.verify({ roots: [] });
      expect(report).toEqual(
        verifyLog(before.entries, [], { roots: [] }, nodeCrypto, { texts: before.texts }),
      );
      expect(report.errors).toEqual([]);
      const next = await store.evidence.append('session', { session_id: 'new' }, T(7));
      expect(next.previous_hash).toBe(before.entries[5]?.entry_hash);
      expect(chainProblems(await store.evidence.range(0, 10))).toEqual([]);
    });

    test('verify() reports an edited row by its sequence, from the stored text', async () => {
      await store.evidence.appendMany(
        Array.from({ length: 6 }, (_, i) => ({
          kind: 'decision' as const,
          payload: { n: i, verdict: 'block', session_id: 's' },
          recordedAt: T(i),
        })),
      );
      expect((await store.evidence.verify({ roots: [] })).errors).toEqual([]);
      await store.close();
      // A later "migration" stands in for someone with write access to the database.
      const tamper: Migration = {
        id: '9999-zz-tamper',
        up: async (db) => {
          await db
            .updateTable('evidence_entries')
            .set({ payload: '{"n":2,"session_id":"s","verdict":"allow"}' })
            .where('sequence', '=', 2)
            .execute();
        },
      };
      store = await database.open({ crypto: nodeCrypto, migrations: [...MIGRATIONS, tamper] });
      const report = await store.evidence.verify({ roots: [] });
      expect(report.valid).toBe(false);
      expect(report.errors).toMatchObject([{ code: 'entry_hash_mismatch', sequence: 2 }]);
    });
  });
}
