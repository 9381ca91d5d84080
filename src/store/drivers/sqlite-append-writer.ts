/**
 * The SQLite writer thread: evidence appends of a long-lived process committed on a worker thread that owns a
 * second connection to the same file (docs/decisions/0028-sqlite-writer-thread.md). better-sqlite3 is
 * synchronous, so on the caller's thread every append's SQLite work and its commit's fsync stop the event loop;
 * on the writer they run on another core while the caller goes on (deciding, serving requests).
 *
 * The writer runs the same append transaction as the caller's connection would (`createAppendCommitter`, under
 * `BEGIN IMMEDIATE`, state read from the file), so it is one more appender among hooks, the CLI and units of work
 * of the caller's own connection: the chain cannot fork. What crosses the thread boundary is plain data: the
 * payload's canonical text and the decision's columns in, chain positions out.
 */
import type { Worker } from 'node:worker_threads';
import type { CheckpointRecord, EntryKind } from '../../evidence';
import type {
  AppendCommitter,
  AppendWriter,
  AppendedRef,
  DecisionColumns,
  HashedRange,
  PreparedAppend,
  PreparedFollow,
} from '../evidence-log';
import { DECISION_COLUMN_KEYS } from '../decision-columns';
import { startWorker } from './worker-module';

/** What the writer thread is started with. */
export type WriterConfig = { path: string; busyTimeoutMs: number; synchronous: 'full' | 'normal' };

/** Caller → writer. */
export type WriterRequest =
  | { type: 'commit'; id: number; requests: unknown[] }
  | { type: 'checkpoint'; id: number; checkpoint: CheckpointRecord }
  | { type: 'hash'; id: number; from: number; to: number }
  | { type: 'close' };

/** Writer → caller. */
export type WriterReply =
  | { type: 'ready' }
  | { type: 'opened'; error: SerializedError }
  | { type: 'committed'; id: number; refs: (string | number | null)[] }
  | { type: 'inserted'; id: number; inserted: boolean }
  | ({ type: 'hashed'; id: number } & HashedRange)
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'closed' };

/** An error as it crosses threads (message and name; the stack stays in the writer). */
export type SerializedError = { name: string; message: string };

type Answer = Extract<WriterReply, { id: number }>;
type Pending = { resolve: (reply: Answer) => void; reject: (error: Error) => void };

/**
 * The caller's side of the writer thread. Starts the thread on {@link start} (or the first commit), restarts it
 * after it died (every append it held is rejected: none of them is reported appended unless it committed), and
 * keeps the process alive only while appends are in flight.
 */
export class SqliteAppendWriter implements AppendWriter {
  readonly #config: WriterConfig;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #nextId = 0;
  #closing: Promise<void> | undefined;

  constructor(config: WriterConfig) {
    this.#config = config;
  }

  /** Starts the thread and resolves once its connection is open (rejects if it cannot open the file). */
  start(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new Error('the evidence writer is closed'));
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  readonly commit: AppendCommitter = async (requests) => {
    const reply = await this.#send({ type: 'commit', id: 0, requests: encodeRequests(requests) });
    if (reply.type !== 'committed') throw new Error(`the evidence writer answered ${reply.type} to a commit`);
    return decodeRefs(reply.refs, requests);
  };

  readonly insertCheckpoint = async (checkpoint: CheckpointRecord): Promise<boolean> => {
    const reply = await this.#send({ type: 'checkpoint', id: 0, checkpoint });
    if (reply.type !== 'inserted')
      throw new Error(`the evidence writer answered ${reply.type} to a checkpoint`);
    return reply.inserted;
  };

  /**
   * Digests of a range of the log for a verification (see `StoredHasher`), computed on the writer thread: it
   * is already running with the file open, and a range (~30 ms) delays appends queued behind it no more.
   */
  readonly hash = async (from: number, to: number): Promise<HashedRange> => {
    const reply = await this.#send({ type: 'hash', id: 0, from, to });
    if (reply.type !== 'hashed')
      throw new Error(`the evidence writer answered ${reply.type} to a hash request`);
    return reply;
  };

  /** Sends a request (its id is assigned here); resolves to the writer's answer, or rejects with its error. */
  async #send(request: Extract<WriterRequest, { id: number }>): Promise<Exclude<Answer, { type: 'failed' }>> {
    await this.start();
    const worker = this.#worker;
    if (worker === undefined) throw new Error('the evidence writer thread is not running');
    const id = (this.#nextId += 1);
    const reply = new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    if (this.#pending.size === 1) worker.ref();
    worker.postMessage({ ...request, id } satisfies WriterRequest);
    const answer = await reply;
    if (answer.type === 'failed') throw deserialize(answer.error);
    return answer;
  }

  /** Lets the appends already sent commit, then stops the thread and closes its connection. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    await this.#ready?.catch(() => undefined);
    const exited = new Promise<void>((resolve) => {
      worker.once('exit', () => {
        resolve();
      });
    });
    worker.ref();
    // Messages are handled in order: the close comes after every commit already sent.
    worker.postMessage({ type: 'close' } satisfies WriterRequest);
    await exited;
  }

  #spawn(): Promise<void> {
    const worker = startWorker('sqlite-append-worker', this.#config);
    this.#worker = worker;
    return new Promise<void>((resolve, reject) => {
      let isOpen = false;
      worker.on('message', (reply: WriterReply) => {
        switch (reply.type) {
          case 'ready':
            isOpen = true;
            worker.unref();
            resolve();
            return;
          case 'opened':
            reject(deserialize(reply.error));
            return;
          case 'committed':
          case 'inserted':
          case 'hashed':
          case 'failed':
            this.#settle(worker, reply);
            return;
          case 'closed':
            return;
        }
      });
      worker.on('error', (error) => {
        if (!isOpen) reject(error);
        this.#fail(worker, error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`the evidence writer thread exited (code ${String(code)})`);
        if (!isOpen) reject(error);
        this.#fail(worker, error);
      });
    });
  }

  #settle(worker: Worker, reply: Answer): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) worker.unref();
    pending.resolve(reply);
  }

  /** The thread is gone: every append it held fails, and the next commit starts a new thread. */
  #fail(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#ready = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}

function deserialize(error: SerializedError): Error {
  const result = new Error(error.message);
  result.name = error.name;
  return result;
}

/*
 * The wire form of a commit: flat arrays of strings and numbers, which cost a third of what the same data as
 * objects costs to clone between threads (every object repeats its property names).
 */

/**
 * Values per request: kind, recordedAt, payloadText, sessionId, the 13 decision columns or nulls, then the
 * follow-up append (an object: rare, a decision's approval) or null.
 */
const REQUEST_WIDTH = 18;

export function encodeRequests(requests: readonly PreparedAppend[]): unknown[] {
  const out: unknown[] = [];
  for (const { kind, recordedAt, payloadText, sessionId, decision, follow } of requests) {
    out.push(kind, recordedAt, payloadText, sessionId);
    if (decision === undefined) for (let k = 0; k < DECISION_COLUMN_KEYS.length; k++) out.push(null);
    else for (const key of DECISION_COLUMN_KEYS) out.push(decision[key] ?? null);
    out.push(follow ?? null);
  }
  return out;
}

export function decodeRequests(flat: readonly unknown[]): PreparedAppend[] {
  const requests: PreparedAppend[] = [];
  for (let at = 0; at + REQUEST_WIDTH <= flat.length; at += REQUEST_WIDTH) {
    const request: PreparedAppend = {
      kind: flat[at] as EntryKind,
      recordedAt: flat[at + 1] as string,
      payloadText: flat[at + 2] as string,
      sessionId: flat[at + 3] as string | null,
    };
    // A decision always has an id: a null id means the request carries none.
    if (flat[at + 4] !== null) {
      const decision: Record<string, unknown> = {};
      DECISION_COLUMN_KEYS.forEach((key, k) => {
        decision[key] = flat[at + 4 + k];
      });
      request.decision = decision as DecisionColumns;
    }
    const follow = flat[at + REQUEST_WIDTH - 1];
    if (follow !== null) request.follow = follow as PreparedFollow;
    requests.push(request);
  }
  return requests;
}

/**
 * Refs as triples (sequence, previous hash, entry hash), a second triple for a request with a follow-up append;
 * a request not logged is one null.
 */
export function encodeRefs(refs: readonly (AppendedRef | null)[]): (string | number | null)[] {
  const out: (string | number | null)[] = [];
  for (const ref of refs) {
    if (ref === null) {
      out.push(null);
      continue;
    }
    out.push(ref.sequence, ref.previous_hash, ref.entry_hash);
    if (ref.follow !== undefined)
      out.push(ref.follow.sequence, ref.follow.previous_hash, ref.follow.entry_hash);
  }
  return out;
}

function decodeRefs(
  flat: readonly (string | number | null)[],
  requests: readonly PreparedAppend[],
): (AppendedRef | null)[] {
  const refs: (AppendedRef | null)[] = [];
  const triple = (at: number): AppendedRef => ({
    sequence: flat[at] as number,
    previous_hash: flat[at + 1] as string | null,
    entry_hash: flat[at + 2] as string,
  });
  let at = 0;
  for (const request of requests) {
    if (flat[at] === null) {
      refs.push(null);
      at += 1;
      continue;
    }
    const ref = triple(at);
    at += 3;
    if (request.follow !== undefined) {
      ref.follow = triple(at);
      at += 3;
    }
    refs.push(ref);
  }
  return refs;
}
