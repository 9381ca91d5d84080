/**
 * PostgreSQL's one-statement group commit (postgres-append.ts) against the general path: the same session
 * summaries as the JS fold (sql.js as the reference), decisions already stored or repeated in a batch, and a
 * second store (process) appending in between, which makes the first one's remembered state stale.
 */
import { afterAll, expect, test } from 'vitest';
import type { Decision } from '../engine';
import { TEST_DATABASE_URL, createThrowawayPostgres, makeDecision, sqlJsDriver } from './contract/harness';
import { chainProblems, testNextEntry } from './contract/test-entry';
import { openPostgresStore } from './drivers/postgres';
import type { Store } from './index';

const skip = TEST_DATABASE_URL === undefined;
const note = skip ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set; .ci/run sets it)' : '';

const databases: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

async function openPostgres(count = 1): Promise<Store[]> {
  const database = await createThrowawayPostgres();
  databases.push(database);
  const stores: Store[] = [];
  for (let i = 0; i < count; i += 1) {
    stores.push(await openPostgresStore({ url: database.url, nextEntry: testNextEntry, poolSize: 2 }));
  }
  return stores;
}

/** Appends in rounds of concurrent calls (each round is one group commit), returning the entries' presence. */
async function appendRounds(store: Store, rounds: readonly Decision[][]): Promise<boolean[]> {
  const logged: boolean[] = [];
  for (const round of rounds) {
    const entries = await Promise.all(
      round.map((decision) => store.evidence.appendDecision(decision, '2026-01-02T00:00:00.000Z')),
    );
    for (const entry of entries) logged.push(entry !== null);
  }
  return logged;
}

async function expectChain(store: Store, size: number): Promise<void> {
  const entries = await store.evidence.range(0, size + 1);
  expect(entries).toHaveLength(size);
  expect(chainProblems(entries)).toEqual([]);
}

const OUTCOMES = ['allow', 'block', 'require_approval', 'allow', 'audit_only'] as const;

/** Decisions over three sessions with shuffled times, outcomes and identities missing at first. */
function sessionWorkload(): Decision[][] {
  const rounds: Decision[][] = [];
  for (let r = 0; r < 3; r += 1) {
    const round: Decision[] = [];
    for (let i = 0; i < 7; i += 1) {
      const n = r * 7 + i;
      round.push(
        makeDecision({
          session_id: `fold-${String(n % 3)}`,
          decision: OUTCOMES[n % OUTCOMES.length] ?? 'allow',
          timestamp: `2026-03-0${String(1 + ((n * 5) % 9))}T0${String(n % 10)}:00:00${n % 2 === 0 ? '' : '.5'}Z`,
          ...(n < 4 ? { repository: undefined } : {}),
          agent_id: n < 2 ? 'early-agent' : `agent-${String(n)}`,
        }),
      );
    }
    rounds.push(round);
  }
  return rounds;
}

test.skipIf(skip)(`postgres: the one-statement session fold equals the JS fold${note}`, async () => {
  const [postgres] = await openPostgres();
  const reference = await (await sqlJsDriver.createDatabase()).open();
  if (postgres === undefined) throw new Error('no store');
  const rounds = sessionWorkload();
  for (const store of [postgres, reference]) {
    // A summary posted before its first decision: its identity stays, its times and counts are replaced.
    await store.sessions.upsert({
      session_id: 'fold-1',
      agent_id: 'posted-agent',
      state: 'archived',
      started_at: '2030-01-01T00:00:00Z',
      decision_count: 0,
    });
    // One that claims counts without stored decisions: the fold adds to them (as the JS fold does).
    await store.sessions.upsert({
      session_id: 'fold-2',
      actor: 'posted-actor',
      updated_at: '2031-01-01T00:00:00Z',
      decision_count: 3,
      blocked_count: 1,
    });
    expect(await appendRounds(store, rounds)).toEqual(rounds.flat().map(() => true));
  }
  for (const id of ['fold-0', 'fold-1', 'fold-2']) {
    const expected = await reference.sessions.get(id);
    expect(expected?.decision_count).toBeGreaterThan(0);
    expect(await postgres.sessions.get(id)).toEqual(expected);
  }
  await expectChain(postgres, rounds.flat().length);
  await Promise.all([postgres.close(), reference.close()]);
});

test.skipIf(skip)(
  `postgres: decisions already stored or repeated in a batch are not logged${note}`,
  async () => {
    const [store] = await openPostgres();
    if (store === undefined) throw new Error('no store');
    const stored = makeDecision({ session_id: 'dup' });
    const repeated = makeDecision({ session_id: 'dup' });
    await appendRounds(store, [[makeDecision({ session_id: 'dup' })]]);
    await store.decisions.insert(stored);
    const logged = await appendRounds(store, [
      [makeDecision({ session_id: 'dup' }), stored, makeDecision({ session_id: 'dup' })],
      [repeated, makeDecision({ session_id: 'dup' }), repeated],
      [makeDecision({ session_id: 'dup' }), makeDecision({ session_id: 'dup' })],
    ]);
    expect(logged).toEqual([true, false, true, true, true, false, true, true]);
    await expectChain(store, 7);
    expect((await store.sessions.get('dup'))?.decision_count).toBe(8);
    await store.close();
  },
);

test.skipIf(skip)(`postgres: another process appending in between never forks the chain${note}`, async () => {
  const [first, second] = await openPostgres(2);
  if (first === undefined || second === undefined) throw new Error('no store');
  const round = (): Decision[] => Array.from({ length: 5 }, () => makeDecision({ session_id: 'two' }));
  // Each store remembers the state its last commit left; the other's appends make that state stale.
  await appendRounds(first, [round(), round()]);
  await appendRounds(second, [round()]);
  await appendRounds(first, [round()]);
  await Promise.all([appendRounds(first, [round(), round()]), appendRounds(second, [round(), round()])]);
  await expectChain(first, 40);
  expect((await second.sessions.get('two'))?.decision_count).toBe(40);
  expect((await first.evidence.verify({ roots: [] })).errors).toEqual([]);
  await Promise.all([first.close(), second.close()]);
});
