/**
 * The verification hasher's thread (see sqlite-hasher.ts): reads ranges of the evidence log from its own
 * read-only connection and computes each stored entry's digest over its stored canonical text, while the
 * caller's thread checks the chain, the Merkle tree and the checkpoints.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { hashRange } from './sqlite-hash-range';
import type { HashReply, HashRequest, HasherConfig } from './sqlite-hasher';

const port = parentPort;
if (port === null) throw new Error('sqlite-hash-worker runs as a worker thread');
const config = workerData as HasherConfig;

const db = new BetterSqlite3(config.path, {
  readonly: true,
  fileMustExist: true,
  timeout: config.busyTimeoutMs,
});

port.on('message', (message: HashRequest) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  const { id, from, to } = message;
  try {
    const range = hashRange(db, from, to);
    const { sequences, digests, computed } = range;
    const reply: HashReply = { type: 'hashed', id, ...range };
    port.postMessage(reply, [sequences.buffer, digests.buffer, computed.buffer]);
  } catch (error) {
    const reply: HashReply = {
      type: 'failed',
      id,
      message: error instanceof Error ? error.message : String(error),
    };
    port.postMessage(reply);
  }
});
