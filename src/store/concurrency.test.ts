/**
 * Appends from many writers never fork the evidence chain: several pools on one PostgreSQL database (advisory
 * lock), several OS processes on one SQLite file (BEGIN IMMEDIATE + busy timeout). The chain is verified after.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { TEST_DATABASE_URL, createThrowawayPostgres, makeDecision } from './contract/harness';
import { chainProblems, testNextEntry } from './contract/test-entry';
import { openSqliteStore } from './drivers/better-sqlite3';
import { openPostgresStore } from './drivers/postgres';
import type { Store } from './index';

const HERE = dirname(fileURLToPath(import.meta.url));
const WRITERS = 8;
const APPENDS = 200;

test.skipIf(TEST_DATABASE_URL === undefined)(
  `postgres: ${WRITERS} pools × ${APPENDS} appends form one chain${
    TEST_DATABASE_URL === undefined ? ' (skipped: CAVRA_TEST_DATABASE_URL is not set; .ci/run sets it)' : ''
  }`,
  async () => {
    const database = await createThrowawayPostgres();
    const stores: Store[] = [];
    try {
      for (let w = 0; w < WRITERS; w += 1) {
        stores.push(await openPostgresStore({ url: database.url, nextEntry: testNextEntry, poolSize: 2 }));
      }
      await Promise.all(
        stores.map(async (store, w) => {
          for (let i = 0; i < APPENDS; i += 1) {
            await store.evidence.append('decision', { worker: w, i }, new Date().toISOString());
          }
        }),
      );
      const [first] = stores;
      if (first === undefined) throw new Error('no store');
      const entries = await first.evidence.range(0, WRITERS * APPENDS + 1);
      expect(entries).toHaveLength(WRITERS * APPENDS);
      expect(chainProblems(entries)).toEqual([]);
      expect(new Set(entries.map((e) => e.payload.worker)).size).toBe(WRITERS);

      // Session summaries: concurrent inserts into one session lose no count.
      await Promise.all(
        stores.map(async (store) => {
          for (let i = 0; i < 10; i += 1)
            await store.decisions.insert(makeDecision({ session_id: 'shared' }));
        }),
      );
      expect((await first.sessions.get('shared'))?.decision_count).toBe(WRITERS * 10);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    }
  },
  60_000,
);

/** Starts a worker process and resolves once its store is open. */
async function startWorker(
  path: string,
  appends: number,
  id: number,
): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'contract', 'append-worker.ts'), path, String(appends), String(id)],
    { cwd: join(HERE, '..', '..'), stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.once('line', (line) => {
      if (line === 'ready') resolve();
      else reject(new Error(`worker ${id}: ${line}`));
    });
    child.once('exit', (code) => {
      reject(new Error(`worker ${id} exited with ${String(code)}: ${stderr}`));
    });
  });
  return child;
}

function finished(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
}

test('sqlite: several OS processes appending to one file form one chain', async () => {
  const processes = 4;
  const appends = 150; // 135 single appends and 15 batches of 2 per process
  const dir = mkdtempSync(join(tmpdir(), 'cavra-procs-'));
  const path = join(dir, '.cavra', 'cavra.db');
  try {
    const workers = await Promise.all(
      Array.from({ length: processes }, (_, id) => startWorker(path, appends, id)),
    );
    for (const worker of workers) worker.stdin.end('go\n');
    expect(await Promise.all(workers.map(finished))).toEqual(workers.map(() => 0));
    const store = await openSqliteStore({ path, nextEntry: testNextEntry });
    try {
      const expected = processes * (appends + appends / 10);
      const entries = await store.evidence.range(0, expected + 1);
      expect(entries).toHaveLength(expected);
      expect(chainProblems(entries)).toEqual([]);
      // Interleaved, not one process after another: the workers really contended for the lock.
      const switches = entries.filter((e, i) => i > 0 && e.payload.worker !== entries[i - 1]?.payload.worker);
      expect(switches.length).toBeGreaterThan(processes * 10);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('sqlite: several stores on one file in one process share a lock instead of deadlocking', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-stores-'));
  const path = join(dir, 'cavra.db');
  const stores: Store[] = [];
  try {
    for (let s = 0; s < 3; s += 1) stores.push(await openSqliteStore({ path, nextEntry: testNextEntry }));
    await Promise.all(
      stores.map(async (store, s) => {
        for (let i = 0; i < 30; i += 1)
          await store.evidence.append('decision', { s, i }, new Date().toISOString());
      }),
    );
    const entries = await stores[0]?.evidence.range(0, 100);
    expect(entries).toHaveLength(90);
    expect(chainProblems(entries ?? [])).toEqual([]);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
