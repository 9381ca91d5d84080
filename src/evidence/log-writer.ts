/**
 * The writer's side of the log in one object: the head to chain onto and the Merkle frontier to checkpoint
 * from. Appending costs one canonicalisation, two hashes and amortised one node hash, whatever the log size;
 * a store persists {@link LogWriterState} beside its rows and resumes without re-reading the log.
 */
import type { JsonObject } from '../engine';
import { signCheckpoint, type CheckpointRecord } from './checkpoint';
import { createEntry, entryLeafHash, headOf } from './entry';
import { MerkleFrontier, type FrontierState } from './merkle';
import type { EntryKind, EvidenceCrypto, EvidenceEntry, LogHead } from './types';

/** What a writer needs to resume: the head and the frontier (both O(log n) in size). */
export type LogWriterState = { head: LogHead; frontier: FrontierState };

/** Appends entries and signs checkpoints for one log (one origin). Not safe for concurrent writers. */
export class LogWriter {
  #head: LogHead;
  readonly #frontier: MerkleFrontier;
  readonly #origin: string;
  readonly #crypto: EvidenceCrypto;

  /**
   * @param origin - the log's checkpoint origin, e.g. `logOrigin(logId)`.
   * @param state - a state from {@link LogWriter.state}; absent for a new, empty log.
   * @throws TypeError when the state's head and frontier disagree on the log size.
   */
  constructor(origin: string, crypto: EvidenceCrypto, state?: LogWriterState) {
    this.#origin = origin;
    this.#crypto = crypto;
    this.#head = state?.head ?? null;
    this.#frontier = new MerkleFrontier(crypto, state?.frontier);
    if ((this.#head === null ? 0 : this.#head.sequence + 1) !== this.#frontier.size) {
      throw new TypeError('log writer state: the head and the frontier describe logs of different sizes');
    }
  }

  /** Number of entries in the log. */
  get size(): number {
    return this.#frontier.size;
  }

  /** The log's head (null when empty). */
  get head(): LogHead {
    return this.#head;
  }

  /**
   * Creates the next entry and advances the head and frontier. The caller stores the entry; if storing
   * fails, discard this writer and resume from the last persisted state.
   */
  append(kind: EntryKind, payload: JsonObject, recordedAt: string): EvidenceEntry {
    const entry = createEntry(this.#head, kind, payload, recordedAt, this.#crypto);
    this.#frontier.append(entryLeafHash(entry, this.#crypto));
    this.#head = headOf(entry);
    return entry;
  }

  /** The RFC 6962 root of the log as it is now. */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  /** Signs a checkpoint of the whole log as it is now (on demand, or when `isCheckpointDue` says so). */
  checkpoint(timestamp: string, key: { privateKey: Uint8Array; publicKey: Uint8Array }): CheckpointRecord {
    return signCheckpoint(
      { origin: this.#origin, size: this.size, rootHash: this.root(), timestamp },
      key,
      this.#crypto,
    );
  }

  /** The state to persist next to the last stored entry. */
  state(): LogWriterState {
    return { head: this.#head, frontier: this.#frontier.toState() };
  }
}
