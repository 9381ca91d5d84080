/**
 * The SQLite writer thread: appends committed by a worker thread's connection interleave with the caller's own
 * connection (units of work), other stores and other processes on the same file without forking the chain, and
 * the store's contract holds for them (src/store/contract.test.ts runs its evidence part on this driver too).
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { makeDecision } from '../contract/harness';
import { chainProblems, testNextEntry } from '../contract/test-entry';
import type { Store } from '../index';
import { openSqliteStore } from './better-sqlite3';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cavra-writer-'));
  path = join(dir, 'cavra.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const at = (): string => new Date().toISOString();

test('group-committed appends, decisions, units of work and a second store on the file form one chain', async () => {
  const threaded = await openSqliteStore({ path, writerThread: true });
  const local = await openSqliteStore({ path, nextEntry: testNextEntry });
  try {
    const decisions = Array.from({ length: 40 }, (_, i) => makeDecision({ session_id: `s${String(i % 3)}` }));
    const results = await Promise.all([
      // Concurrent callers: coalesced into few transactions on the writer thread.
      ...Array.from({ length: 30 }, (_, i) => threaded.evidence.append('operations', { i }, at())),
      ...decisions.slice(0, 20).map((d) => threaded.evidence.appendDecision(d, at())),
      threaded.evidence.appendDecisions(
        decisions.slice(20).map((decision) => ({ decision, recordedAt: at() })),
      ),
      // The caller's own connection in a unit of work, and another store (as another process would).
      threaded.transaction((tx) => tx.evidence.append('session', { session_id: 's0', unit: true }, at())),
      ...Array.from({ length: 10 }, (_, i) => local.evidence.append('operations', { local: i }, at())),
    ]);
    expect(results.flat().every((entry) => entry !== null)).toBe(true);

    const entries = await local.evidence.range(0, 200);
    expect(entries).toHaveLength(30 + 40 + 1 + 10);
    expect(chainProblems(entries)).toEqual([]);
    // What each caller got back is what the log holds at that position (payload included).
    const appended = results.flat().filter((entry) => entry !== null);
    for (const entry of appended) expect(entries[entry.sequence]).toEqual(entry);
    // The decision rows and the session summaries were written by the writer's transactions.
    expect((await threaded.decisions.list({}, { limit: 100 })).total).toBe(40);
    const sessions = await Promise.all(['s0', 's1', 's2'].map((id) => threaded.sessions.get(id)));
    expect(sessions.map((s) => s?.decision_count)).toEqual([14, 13, 13]);
    // The stored writer state matches the log: a checkpoint over it verifies as part of the full check.
    expect((await threaded.evidence.state()).head).toEqual({
      sequence: entries.length - 1,
      entry_hash: entries.at(-1)?.entry_hash,
    });
  } finally {
    await threaded.close();
    await local.close();
  }
}, 60_000);

test('a decision id already stored is not logged again; a bad timestamp fails alone', async () => {
  const store = await openSqliteStore({ path, writerThread: true });
  try {
    const decision = makeDecision({ session_id: 's' });
    const [first, again, bad, fine] = await Promise.allSettled([
      store.evidence.appendDecision(decision, at()),
      store.evidence.appendDecision(decision, at()),
      store.evidence.append('operations', { n: 1 }, 'yesterday'),
      store.evidence.append('operations', { n: 2 }, at()),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { sequence: 0 } });
    expect(again).toEqual({ status: 'fulfilled', value: null });
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/yesterday/);
    expect(fine).toMatchObject({ status: 'fulfilled', value: { sequence: 1 } });
    expect(await store.evidence.count()).toBe(2);
  } finally {
    await store.close();
  }
}, 60_000);

test('close lets every append already handed to the writer commit', async () => {
  const store = await openSqliteStore({ path, writerThread: true });
  const pending = Array.from({ length: 50 }, (_, i) => store.evidence.append('operations', { i }, at()));
  await store.close();
  expect((await Promise.all(pending)).map((e) => e.sequence)).toEqual(pending.map((_, i) => i));
  const reopened: Store = await openSqliteStore({ path });
  try {
    expect(chainProblems(await reopened.evidence.range(0, 100))).toEqual([]);
    expect(await reopened.evidence.count()).toBe(50);
  } finally {
    await reopened.close();
  }
  await expect(store.evidence.append('operations', {}, at())).rejects.toThrow(/closed/);
}, 60_000);

test('a unit of work waits for the writer thread without stopping the event loop', async () => {
  const store = await openSqliteStore({ path, writerThread: true });
  try {
    const big = store.evidence.appendMany(
      Array.from({ length: 6000 }, (_, i) => ({
        kind: 'operations' as const,
        payload: { i, filler: 'x'.repeat(400) },
        recordedAt: at(),
      })),
    );
    // Wait until the writer thread holds the file's write lock with its large transaction.
    const probe = new BetterSqlite3(path, { timeout: 0 });
    for (let held = false; !held;) {
      try {
        probe.exec('begin immediate');
        probe.exec('rollback');
        await new Promise((resolve) => setTimeout(resolve, 1));
      } catch {
        held = true;
      }
    }
    probe.close();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    const unit = store
      .transaction((tx) => tx.evidence.append('session', { session_id: 'u' }, at()))
      .finally(() => {
        clearInterval(timer);
      });
    const [appended, entry] = await Promise.all([big, unit]);
    // The unit of work waited for the writer's transaction (its entry comes after all of it), and timers ran
    // meanwhile: SQLite's own busy handler would have slept on this thread.
    expect(appended).toHaveLength(6000);
    expect(entry.sequence).toBe(6000);
    expect(ticks).toBeGreaterThan(3);
    expect(chainProblems(await store.evidence.range(0, 7000))).toEqual([]);
  } finally {
    await store.close();
  }
}, 60_000);

test('a writer thread needs a file and the default entry builder', async () => {
  await expect(openSqliteStore({ path: ':memory:', writerThread: true })).rejects.toThrow(/file/);
  await expect(openSqliteStore({ path, writerThread: true, nextEntry: testNextEntry })).rejects.toThrow(
    /nextEntry/,
  );
});
