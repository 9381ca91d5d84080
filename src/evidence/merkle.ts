/**
 * RFC 6962 / RFC 9162 Merkle trees: leaf and node hashing, an O(log n) incremental frontier for appends,
 * a full tree for proofs, and the RFC 9162 §2.1.3.2 / §2.1.4.2 proof verification algorithms.
 */
import { bytesEqual, fromHex, toHex } from './canonical';
import type { EvidenceCrypto } from './types';

// Reused scratch buffers: hashing is synchronous and ports must not keep their input.
const leafScratch = new Uint8Array(33);
const nodeScratch = new Uint8Array(65);

/** RFC 6962 leaf hash `SHA-256(0x00 || data)`; `data` is an entry's 32-byte entry hash in CAVRA. */
export function leafHash(data: Uint8Array, crypto: EvidenceCrypto): Uint8Array {
  if (data.length === 32) {
    leafScratch.set(data, 1);
    return crypto.sha256(leafScratch);
  }
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return crypto.sha256(input);
}

/** RFC 6962 interior node hash `SHA-256(0x01 || left || right)`. */
export function nodeHash(left: Uint8Array, right: Uint8Array, crypto: EvidenceCrypto): Uint8Array {
  nodeScratch[0] = 1;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 33);
  return crypto.sha256(nodeScratch);
}

/** The root of the empty tree, `SHA-256("")`. */
export function emptyRoot(crypto: EvidenceCrypto): Uint8Array {
  return crypto.sha256(new Uint8Array(0));
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

function allHashes(proof: readonly Uint8Array[]): boolean {
  return proof.every((p) => p.length === 32);
}

/** The largest power of two strictly less than `n` (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A frontier in JSON form, for a store to persist next to the log head. */
export type FrontierState = { size: number; hashes: string[] };

/**
 * The right edge of a tree: the roots of the perfect subtrees that make up its size (one per set bit).
 * Appending is amortised one node hash and O(log n) memory; the root is O(log n). This is what a writer
 * keeps so checkpoints never re-read the log.
 */
export class MerkleFrontier {
  #size = 0;
  #hashes: Uint8Array[] = [];
  readonly #crypto: EvidenceCrypto;

  constructor(crypto: EvidenceCrypto, state?: FrontierState) {
    this.#crypto = crypto;
    if (state === undefined) return;
    let bits = 0;
    for (let s = state.size; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    const hashes = state.hashes.map(fromHex);
    if (!Number.isSafeInteger(state.size) || state.size < 0 || bits !== hashes.length) {
      throw new TypeError(`frontier state: ${hashes.length} hashes do not fit tree size ${state.size}`);
    }
    this.#size = state.size;
    this.#hashes = hashes.map((h) => {
      if (h?.length !== 32) throw new TypeError('frontier state: hashes must be 64 lowercase hex characters');
      return h;
    });
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (see {@link leafHash}). */
  append(leaf: Uint8Array): void {
    let hash = leaf;
    // Each trailing 1-bit of the old size is a perfect subtree the new leaf completes.
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) {
      hash = nodeHash(this.#hashes.pop() as Uint8Array, hash, this.#crypto);
    }
    this.#hashes.push(hash);
    this.#size += 1;
  }

  /** The RFC 6962 root of the current tree. */
  root(): Uint8Array {
    let root = this.#hashes.at(-1);
    if (root === undefined) return emptyRoot(this.#crypto);
    for (let i = this.#hashes.length - 2; i >= 0; i--)
      root = nodeHash(this.#hashes[i] as Uint8Array, root, this.#crypto);
    return root;
  }

  /** The frontier as JSON, to persist and later pass back to the constructor. */
  toState(): FrontierState {
    return { size: this.#size, hashes: this.#hashes.map(toHex) };
  }
}

/** A growable array of 32-byte hashes in one buffer (a million leaves are 32 MB, not a million objects). */
class HashList {
  #buffer = new Uint8Array(32 * 64);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * 32 > this.#buffer.length) {
      const grown = new Uint8Array(this.#buffer.length * 2);
      grown.set(this.#buffer);
      this.#buffer = grown;
    }
    this.#buffer.set(hash, this.length * 32);
    this.length += 1;
  }

  get(index: number): Uint8Array {
    return this.#buffer.subarray(index * 32, index * 32 + 32);
  }
}

/**
 * A whole tree kept in memory: level k holds the roots of the aligned perfect subtrees of 2^k leaves, so any
 * subtree hash is a lookup or O(log n) hashes. Generates inclusion and consistency proofs at any past size.
 */
export class MerkleTree {
  readonly #levels: HashList[] = [new HashList()];
  readonly #crypto: EvidenceCrypto;

  constructor(crypto: EvidenceCrypto, leaves: Iterable<Uint8Array> = []) {
    this.#crypto = crypto;
    for (const leaf of leaves) this.append(leaf);
  }

  /** Number of leaves. */
  get size(): number {
    return (this.#levels[0] as HashList).length;
  }

  /** Appends one leaf hash; amortised one node hash. */
  append(leaf: Uint8Array): void {
    let hash = leaf;
    for (let level = 0; ; level++) {
      const list = (this.#levels[level] ??= new HashList());
      list.push(hash);
      if (list.length % 2 === 1) return;
      hash = nodeHash(list.get(list.length - 2), hash, this.#crypto);
    }
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    this.#checkSize(index + 1);
    return (this.#levels[0] as HashList).get(index);
  }

  /** The RFC 6962 root of the first `size` leaves (default: all). */
  root(size: number = this.size): Uint8Array {
    this.#checkSize(size);
    return size === 0 ? emptyRoot(this.#crypto) : this.#rangeHash(0, size);
  }

  /** RFC 6962 §2.1.1 audit path for leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.#checkSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`inclusion proof: leaf ${index} is not in a tree of size ${size}`);
    }
    const proof: Uint8Array[] = [];
    let [start, end] = [0, size];
    const stack: Uint8Array[] = [];
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (index < start + k) {
        stack.push(this.#rangeHash(start + k, end));
        end = start + k;
      } else {
        stack.push(this.#rangeHash(start, start + k));
        start += k;
      }
    }
    // The walk goes root-down; the proof lists siblings leaf-up.
    while (stack.length > 0) proof.push(stack.pop() as Uint8Array);
    return proof;
  }

  /** RFC 6962 §2.1.2 consistency proof from the tree of `first` leaves to the tree of `second` leaves. */
  consistencyProof(first: number, second: number = this.size): Uint8Array[] {
    this.#checkSize(second);
    if (!Number.isSafeInteger(first) || first < 0 || first > second) {
      throw new RangeError(`consistency proof: size ${first} is not within 0..${second}`);
    }
    if (first === 0 || first === second) return [];
    const stack: Uint8Array[] = [];
    let [start, end, m, isComplete] = [0, second, first, true];
    while (m !== end - start) {
      const k = splitPoint(end - start);
      if (m <= k) {
        stack.push(this.#rangeHash(start + k, end));
        end = start + k;
      } else {
        stack.push(this.#rangeHash(start, start + k));
        start += k;
        m -= k;
        isComplete = false;
      }
    }
    const proof = isComplete ? [] : [this.#rangeHash(start, end)];
    while (stack.length > 0) proof.push(stack.pop() as Uint8Array);
    return proof;
  }

  /** MTH(D[start:end]); aligned perfect subtrees are lookups. */
  #rangeHash(start: number, end: number): Uint8Array {
    const n = end - start;
    if (isPowerOfTwo(n) && start % n === 0) {
      return (this.#levels[Math.log2(n)] as HashList).get(start / n);
    }
    const k = splitPoint(n);
    return nodeHash(this.#rangeHash(start, start + k), this.#rangeHash(start + k, end), this.#crypto);
  }

  #checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is not within 0..${this.size}`);
    }
  }
}

/**
 * RFC 9162 §2.1.3.2: true when `proof` shows the leaf with hash `leaf` at `index` is in the tree of `size`
 * leaves whose root is `root`.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  crypto: EvidenceCrypto,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!allHashes(proof)) return false;
  let [fn, sn, r] = [index, size - 1, leaf];
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r, crypto);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = nodeHash(r, p, crypto);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows the tree of `second` leaves (root `secondRoot`) extends the
 * tree of `first` leaves (root `firstRoot`). Equal sizes need an empty proof and equal roots; size 0 is
 * consistent with everything.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
  crypto: EvidenceCrypto,
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second)
    return false;
  if (!allHashes(proof)) return false;
  if (first === 0) return proof.length === 0 && bytesEqual(firstRoot, emptyRoot(crypto));
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let [fn, sn] = [first - 1, second - 1];
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  const [head, ...rest] = path;
  if (head === undefined) return false;
  let [fr, sr] = [head, head];
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr, crypto);
      sr = nodeHash(c, sr, crypto);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = nodeHash(sr, c, crypto);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}
