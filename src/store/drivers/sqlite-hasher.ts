/**
 * Parallel verification for SQLite files: a worker thread with its own read-only connection reads the log's
 * stored texts and hashes them while the verifying thread reads only the entries' columns and checks links,
 * the Merkle tree and the checkpoints (docs/decisions/0028-sqlite-writer-thread.md). A digest from the thread
 * is only a shortcut: the verifier compares it with the `entry_hash` it read itself, and any entry it cannot
 * take that way is read whole and verified on the caller's thread.
 */
import type { Worker } from 'node:worker_threads';
import type { HashedRange, StoredHasher } from '../evidence-log';
import { startWorker } from './worker-module';

/** What the hashing thread is started with. */
export type HasherConfig = { path: string; busyTimeoutMs: number };

export type HashRequest = { type: 'hash'; id: number; from: number; to: number } | { type: 'close' };

export type HashReply =
  ({ type: 'hashed'; id: number } & HashedRange) | { type: 'failed'; id: number; message: string };

/** A hasher on its own thread, for one verification (started by the store, closed when it ends). */
export function startSqliteHasher(config: HasherConfig): StoredHasher {
  const worker: Worker = startWorker('sqlite-hash-worker', config);
  const pending = new Map<
    number,
    { resolve: (range: HashedRange) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: HashReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.type === 'hashed') p.resolve(reply);
    else p.reject(new Error(`the verification hasher failed: ${reply.message}`));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    failAll(new Error(`the verification hasher exited (code ${String(code)})`));
  });
  return {
    hash: (from, to) => {
      if (failure !== undefined) return Promise.reject(failure);
      const id = (nextId += 1);
      return new Promise<HashedRange>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'hash', id, from, to } satisfies HashRequest);
      });
    },
    close: async () => {
      if (failure !== undefined) return;
      const exited = new Promise<void>((resolve) => {
        worker.once('exit', () => {
          resolve();
        });
      });
      worker.postMessage({ type: 'close' } satisfies HashRequest);
      await exited;
    },
  };
}
