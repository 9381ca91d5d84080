type Pending<I, O> = {
  request: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
};

// The store core runs in browsers too: ES2023 declares neither timer, so only what is used is declared here.
declare const setTimeout: (callback: () => void, ms: number) => unknown;
const setImmediateOrNull = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/** Resolves after the event loop has turned once: `setImmediate` in Node, a zero timeout elsewhere. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (setImmediateOrNull === undefined) setTimeout(resolve, 0);
    else setImmediateOrNull(resolve);
  });
}

/** The most appends one coalesced transaction carries. */
export const MAX_GROUP_COMMIT = 1000;

/**
 * Group commit for one process: requests that arrive while a transaction is in flight are coalesced into the
 * next one, so N concurrent callers cost one lock, one head read and one commit (one fsync) instead of N. Each
 * caller still gets its own result, in call order. If a batch fails, its requests are retried one by one, so
 * only the request that fails (e.g. a bad timestamp) rejects; the failed batch was rolled back as a whole.
 *
 * @param run - commits a batch in one transaction and returns one result per request, in order.
 */
export function createAppendQueue<I, O>(
  run: (requests: readonly I[]) => Promise<O[]>,
  maxBatch = MAX_GROUP_COMMIT,
): AppendQueue<I, O> {
  const waiting: Pending<I, O>[] = [];
  let isFlushing = false;
  let flushed: Promise<void> = Promise.resolve();

  const settle = async (batch: Pending<I, O>[]): Promise<void> => {
    try {
      const results = await run(batch.map((p) => p.request));
      batch.forEach((p, i) => {
        if (i < results.length) p.resolve(results[i] as O);
        else p.reject(new Error('append produced no result'));
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const pending of batch) await settle([pending]);
    }
  };

  const flush = async (): Promise<void> => {
    isFlushing = true;
    // INVARIANT: let the event loop turn before each batch. A synchronous driver (better-sqlite3) runs a whole
    // transaction in microtasks, so without this a batch would only gather callers that enqueued in the same
    // microtask drain: requests handled in the next I/O callbacks, and callers whose previous append just
    // resolved, would each get a transaction of their own.
    do {
      await nextTurn();
      await settle(waiting.splice(0, maxBatch));
    } while (waiting.length > 0);
    isFlushing = false;
  };

  const enqueue = (request: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!isFlushing) flushed = flush();
    });
  return Object.assign(enqueue, { settled: () => flushed });
}

/** Enqueues a request (see {@link createAppendQueue}); `settled` resolves once every request so far has settled. */
export type AppendQueue<I, O> = ((request: I) => Promise<O>) & { settled(): Promise<void> };
