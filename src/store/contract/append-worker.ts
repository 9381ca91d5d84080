/**
 * One OS process appending to a shared SQLite file, for the multi-process test in concurrency.test.ts.
 * Usage: node --import tsx append-worker.ts <db path> <appends> <worker id>. Prints `ready` once the store is
 * open, waits for a line on stdin (the start signal, so all workers contend at once), appends, prints `done`.
 */
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../drivers/better-sqlite3';
import { testNextEntry } from './test-entry';

const [path = '', count = '0', worker = '?'] = process.argv.slice(2);
const store = await openSqliteStore({ path, nextEntry: testNextEntry, synchronous: 'normal' });
/** Hooks append now and then, not in a tight loop; a pause lets SQLite's polling waiters in, so writers interleave. */
const pause = (): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.random() * 2);
  });
process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => {
  input.once('line', () => {
    resolve();
  });
});
input.close();
for (let i = 0; i < Number(count); i += 1) {
  await pause();
  // Every 10th write is a small batch, so single and batched appends interleave across processes.
  if (i % 10 === 9) {
    await store.evidence.appendMany([
      { kind: 'decision', payload: { worker, i, part: 0 }, recordedAt: new Date().toISOString() },
      { kind: 'decision', payload: { worker, i, part: 1 }, recordedAt: new Date().toISOString() },
    ]);
  } else {
    await store.evidence.append('decision', { worker, i }, new Date().toISOString());
  }
}
await store.close();
process.stdout.write('done\n');
