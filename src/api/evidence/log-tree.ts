/**
 * The server's copy of the log's Merkle tree, caught up from the store on demand. It is what checkpoints are
 * signed over and proofs are cut from, so it only takes entries it has checked: each entry's hash must match
 * its content and link to the one before. A store someone edited is refused, not signed.
 */
import {
  MerkleTree,
  entryLeafHash,
  toHex,
  utf8,
  verifyEntryHash,
  type CheckpointRecord,
  type EvidenceCrypto,
  type EvidenceEntry,
} from '../../evidence';
import type { EvidenceLog } from '../../store';
import { ApiError } from '../errors';

/** Entries read from the store per query while catching up. */
const SYNC_CHUNK = 5000;

/** An entry's canonical text starts `{"entry_hash":"<64 hex>",`; the hash input is the rest after `{`. */
const HASH_PREFIX = '{"entry_hash":"';
const HASH_END = HASH_PREFIX.length + 64;

/** A Merkle tree over a prefix of the stored log. Not safe for concurrent `syncTo` calls: serialise them. */
export class LogTree {
  readonly #tree: MerkleTree;
  readonly #crypto: EvidenceCrypto;
  #lastHash: string | null = null;

  constructor(crypto: EvidenceCrypto) {
    this.#crypto = crypto;
    this.#tree = new MerkleTree(crypto);
  }

  /** Entries in the tree. */
  get size(): number {
    return this.#tree.size;
  }

  /** The tree itself, for proofs (it only grows; proofs at a fixed size never change). */
  get tree(): MerkleTree {
    return this.#tree;
  }

  /**
   * Reads entries `[size, to)` from the log and adds them, checking hashes and links.
   * @throws ApiError 500 `evidence_log_inconsistent` when a stored entry was altered or the chain is broken.
   */
  async syncTo(log: EvidenceLog, to: number): Promise<void> {
    while (this.#tree.size < to) {
      const from = this.#tree.size;
      const { entries, texts } = await log.rangeForVerification(from, Math.min(to, from + SYNC_CHUNK));
      if (entries.length === 0) throw inconsistent(`entries from ${from} are missing from the store`);
      for (const [i, entry] of entries.entries()) {
        const isNext = entry.sequence === this.#tree.size && entry.previous_hash === this.#lastHash;
        if (!isNext || !this.#hashMatches(entry, texts[i])) {
          throw inconsistent(
            `entry ${entry.sequence} does not match its hash or does not link to the one before`,
          );
        }
        this.#tree.append(entryLeafHash(entry, this.#crypto));
        this.#lastHash = entry.entry_hash;
      }
    }
  }

  /**
   * Whether the entry's content hashes to its `entry_hash`. With the store's canonical text (docs/evidence-log.md
   * §5: JCS puts `entry_hash` first), the hash input is that text without the `entry_hash` member, hashed as is;
   * without one (rows from before migration 0002), the entry is canonicalised again.
   */
  #hashMatches(entry: EvidenceEntry, text: string | undefined): boolean {
    if (text === undefined) return verifyEntryHash(entry, this.#crypto);
    const isLayout =
      text.startsWith(HASH_PREFIX) && text.slice(HASH_PREFIX.length, HASH_END) === entry.entry_hash;
    return isLayout && toHex(this.#crypto.sha256(utf8(`{${text.slice(HASH_END + 2)}`))) === entry.entry_hash;
  }

  /** The root over the first `size` entries (which must be in the tree). */
  root(size: number): Uint8Array {
    return this.#tree.root(size);
  }

  /**
   * Whether a checkpoint's root is this tree's root at its size.
   * @throws ApiError 500 when it is not: the stored log differs from what was signed.
   */
  assertMatches(checkpoint: CheckpointRecord): void {
    if (checkpoint.tree_size > this.#tree.size) return;
    if (toHex(this.#tree.root(checkpoint.tree_size)) !== checkpoint.root_hash) {
      throw inconsistent(
        `the stored entries do not produce the root signed at tree size ${checkpoint.tree_size}`,
      );
    }
  }
}

function inconsistent(what: string): ApiError {
  return new ApiError(
    500,
    'evidence_log_inconsistent',
    `the stored evidence log is inconsistent (${what}); no checkpoint or proof is signed over it. run GET /api/evidence/verify for the full report`,
  );
}
