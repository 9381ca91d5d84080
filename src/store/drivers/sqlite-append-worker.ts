/**
 * The writer thread's module (see sqlite-append-writer.ts): opens its own connection to the store's file and
 * commits the appends it is sent, one transaction per message, in the order they arrive.
 */
import { Kysely } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import { parentPort, workerData } from 'node:worker_threads';
import { createEntry } from '../../evidence';
import { createSqliteDialect, sqliteStoreDialect } from '../dialect';
import { createAppendCommitter, createCheckpointRepository } from '../evidence-log';
import type { Database } from '../schema';
import { openSqliteConnection } from './better-sqlite3';
import { nodeCrypto } from './node-crypto';
import { hashRange } from './sqlite-hash-range';
import { decodeRequests, encodeRefs } from './sqlite-append-writer';
import type { SerializedError, WriterConfig, WriterReply, WriterRequest } from './sqlite-append-writer';

const port = parentPort;
if (port === null) throw new Error('sqlite-append-worker runs as a worker thread');
const config = workerData as WriterConfig;

const post = (reply: WriterReply, transfer: ArrayBuffer[] = []): void => {
  port.postMessage(reply, transfer);
};

const serialize = (error: unknown): SerializedError =>
  error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };

let db: Kysely<Database>;
let connection: SqliteDatabase;
try {
  // The store that started this thread has migrated the file; this connection appends (and reads to hash).
  connection = openSqliteConnection(config.path, config);
  db = new Kysely<Database>({ dialect: createSqliteDialect({ database: connection }) });
} catch (error) {
  post({ type: 'opened', error: serialize(error) });
  throw error;
}

const ctx = { db, dialect: sqliteStoreDialect };
const checkpoints = createCheckpointRepository(ctx);
const commit = createAppendCommitter(
  ctx,
  (head, kind, payload, recordedAt, payloadText) =>
    createEntry(head, kind, payload, recordedAt, nodeCrypto, payloadText),
  nodeCrypto,
);

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') {
    // Commits run one at a time on the connection, in order: destroying waits for those already started.
    void db.destroy().finally(() => {
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  const { id } = message;
  if (message.type === 'hash') {
    // Synchronous, between two commits: a commit on this connection runs to its end in microtasks.
    try {
      const range = hashRange(connection, message.from, message.to);
      post({ type: 'hashed', id, ...range }, [
        range.sequences.buffer,
        range.digests.buffer,
        range.computed.buffer,
      ]);
    } catch (error) {
      post({ type: 'failed', id, error: serialize(error) });
    }
    return;
  }
  if (message.type === 'checkpoint') {
    checkpoints.insert(message.checkpoint).then(
      (inserted) => {
        post({ type: 'inserted', id, inserted });
      },
      (error: unknown) => {
        post({ type: 'failed', id, error: serialize(error) });
      },
    );
    return;
  }
  commit(decodeRequests(message.requests)).then(
    (refs) => {
      post({ type: 'committed', id, refs: encodeRefs(refs) });
    },
    (error: unknown) => {
      post({ type: 'failed', id, error: serialize(error) });
    },
  );
});

post({ type: 'ready' });
