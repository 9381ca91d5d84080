/**
 * SHA-256 digests computed in the seed worker, reused by the page (decision 0025). Restoring the seed hashes
 * every evidence entry (the chain); at the first checkpoint the API's log tree hashes each entry again, from the
 * same bytes, to check the stored log before it signs. The worker records what it hashed; the page's crypto
 * answers a SHA-256 of exactly those bytes from the record (compared byte for byte, never trusted by length or
 * a sample) and computes anything else.
 */
import type { EvidenceCrypto } from '../../src/evidence';

/** Inputs and their digests, packed for a transfer between threads. */
export type DigestRecord = {
  /** The inputs, one after another. */
  bytes: Uint8Array;
  /** Input `i` is `bytes[ends[i - 1] ?? 0 .. ends[i])`. */
  ends: Uint32Array;
  /** 32 bytes per input. */
  digests: Uint8Array;
};

/** A crypto whose `sha256` records every input and digest, and the record so far. */
export function recordingCrypto(base: EvidenceCrypto): {
  crypto: EvidenceCrypto;
  record: () => DigestRecord;
} {
  const inputs: Uint8Array[] = [];
  const digests: Uint8Array[] = [];
  const crypto: EvidenceCrypto = {
    ...base,
    sha256: (data) => {
      const digest = base.sha256(data);
      inputs.push(data.slice());
      digests.push(digest);
      return digest;
    },
  };
  const record = (): DigestRecord => {
    const ends = new Uint32Array(inputs.length);
    let total = 0;
    inputs.forEach((input, index) => {
      total += input.length;
      ends[index] = total;
    });
    const bytes = new Uint8Array(total);
    const packed = new Uint8Array(digests.length * 32);
    inputs.forEach((input, index) => {
      bytes.set(input, (ends[index] ?? 0) - input.length);
      packed.set(digests[index] ?? new Uint8Array(32), index * 32);
    });
    return { bytes, ends, digests: packed };
  };
  return { crypto, record };
}

/** `base` with a `sha256` that looks inputs up in `record` first (exact bytes), and computes the rest. */
export function memoCrypto(base: EvidenceCrypto, record: DigestRecord): EvidenceCrypto {
  const index = new Map<number, number[]>();
  const start = (i: number): number => (i === 0 ? 0 : (record.ends[i - 1] ?? 0));
  for (let i = 0; i < record.ends.length; i += 1) {
    const key = sampleKey(record.bytes, start(i), record.ends[i] ?? 0);
    const bucket = index.get(key);
    if (bucket === undefined) index.set(key, [i]);
    else bucket.push(i);
  }
  const find = (data: Uint8Array): number => {
    for (const i of index.get(sampleKey(data, 0, data.length)) ?? []) {
      const from = start(i);
      if ((record.ends[i] ?? 0) - from !== data.length) continue;
      let same = true;
      for (let k = 0; k < data.length; k += 1) {
        if (record.bytes[from + k] !== data[k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
    return -1;
  };
  return {
    ...base,
    sha256: (data) => {
      const i = find(data);
      return i < 0 ? base.sha256(data) : record.digests.slice(i * 32, i * 32 + 32);
    },
  };
}

/** A bucket key: the length and an FNV-1a hash of up to 64 bytes at each end (the lookup compares all bytes). */
function sampleKey(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5 ^ (to - from);
  const head = Math.min(to, from + 64);
  const tail = Math.max(head, to - 64);
  for (let k = from; k < head; k += 1) hash = Math.imul(hash ^ (bytes[k] ?? 0), 0x01000193);
  for (let k = tail; k < to; k += 1) hash = Math.imul(hash ^ (bytes[k] ?? 0), 0x01000193);
  return hash >>> 0;
}
