/**
 * The verification hasher's thread (see sqlite-hasher.ts): reads ranges of the evidence log from its own
 * read-only connection and computes each stored entry's digest over its stored canonical text, while the
 * caller's thread checks the chain, the Merkle tree and the checkpoints.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { hashStoredEntry } from '../../evidence';
import type { StoredEntry } from '../../evidence';
import { nodeCrypto } from './node-crypto';
import type { HashReply, HashRequest, HasherConfig } from './sqlite-hasher';

const port = parentPort;
if (port === null) throw new Error('sqlite-hash-worker runs as a worker thread');
const config = workerData as HasherConfig;

const db = new BetterSqlite3(config.path, {
  readonly: true,
  fileMustExist: true,
  timeout: config.busyTimeoutMs,
});
const select = db.prepare<[number, number], StoredEntry & { payload_jcs: number }>(
  'select sequence, schema_version, kind, recorded_at, previous_hash, entry_hash, payload, payload_jcs ' +
    'from evidence_entries where sequence >= ? and sequence < ? order by sequence',
);
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

port.on('message', (message: HashRequest) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  const { id, from, to } = message;
  try {
    const rows = select.all(from, to);
    const sequences = new Float64Array(rows.length);
    const digests = new Uint8Array(rows.length * 32);
    const computed = new Uint8Array(rows.length);
    rows.forEach((row, i) => {
      sequences[i] = row.sequence;
      const text = row.payload;
      // Only what the verifier's fast path can take: a canonical row whose payload is an object's text.
      if (
        row.payload_jcs !== 1 ||
        text.charCodeAt(0) !== OPEN_BRACE ||
        text.charCodeAt(text.length - 1) !== CLOSE_BRACE
      ) {
        return;
      }
      digests.set(hashStoredEntry(row, nodeCrypto), i * 32);
      computed[i] = 1;
    });
    const reply: HashReply = { type: 'hashed', id, sequences, digests, computed };
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
