import type { EvidenceEntry } from '../evidence';
import type { AppendRequest } from './evidence-log';

type Pending = {
  request: AppendRequest;
  resolve: (entry: EvidenceEntry) => void;
  reject: (error: unknown) => void;
};

/** The most appends one coalesced transaction carries. */
const MAX_BATCH = 1000;

/**
 * Group commit for one process: single appends that arrive while a transaction is in flight are coalesced into
 * the next one, so N concurrent callers cost one lock, one head read and one commit (one fsync) instead of N.
 * Each caller still gets its own entry, in call order. If a batch fails, its appends are retried one by one, so
 * only the append that fails (e.g. a bad timestamp) rejects; the failed batch was rolled back as a whole.
 */
export function createAppendQueue(
  appendMany: (requests: readonly AppendRequest[]) => Promise<EvidenceEntry[]>,
): (request: AppendRequest) => Promise<EvidenceEntry> {
  const waiting: Pending[] = [];
  let isFlushing = false;

  const settle = async (batch: Pending[]): Promise<void> => {
    try {
      const entries = await appendMany(batch.map((p) => p.request));
      batch.forEach((p, i) => {
        const entry = entries[i];
        if (entry === undefined) p.reject(new Error('append produced no entry'));
        else p.resolve(entry);
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
    while (waiting.length > 0) await settle(waiting.splice(0, MAX_BATCH));
    isFlushing = false;
  };

  return (request) =>
    new Promise<EvidenceEntry>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!isFlushing) void flush();
    });
}
