/**
 * Measurements of the evidence layer on entries already in memory (no database): verification three ways,
 * raw SHA-256 over the same bytes (the physical floor), inclusion proofs, checkpoint signing, and the cost
 * pieces of one append. The store measurements in `evidence.bench.ts` are compared against these.
 */
import { hash } from 'node:crypto';
import type { Decision, JsonObject } from '../../src/engine';
import type { LogWriter } from '../../src/evidence';
import {
  MerkleFrontier,
  MerkleTree,
  canonicalJson,
  createEntry,
  entryLeafHash,
  exportJsonl,
  verifyCheckpoint,
  verifyEntryHash,
  verifyInclusion,
  verifyJsonl,
  verifyLog,
  type CheckpointRecord,
  type EvidenceCrypto,
  type EvidenceEntry,
  type EvidenceKeyPair,
  type LogHead,
  type LogTrust,
  type TrustRoot,
} from '../../src/evidence';
import { best, collectGarbage, type Timed } from './measure';

/** A measured cost: wall time and process CPU time, in the unit its name says (ms or µs). */
export type Cost = { wall: number; cpu: number };

/** The cost of a timed run, scaled (e.g. to µs per operation). */
function cost(run: Timed<unknown>, scale = 1): Cost {
  return { wall: run.wallMs * scale, cpu: run.cpuMs * scale };
}

/** An entry's canonical text without its entry_hash member: the bytes its hash covers. */
function hashedText(text: string): string {
  // INVARIANT (0007): a canonical entry text is `{"entry_hash":"<64 hex>",` + the hashed text minus its `{`.
  return `{${text.slice(81)}`;
}

/** Verification of in-memory entries: with the store's texts, from a JSONL export, and from objects. */
export async function verifyInMemory(
  entries: readonly EvidenceEntry[],
  texts: readonly (string | undefined)[],
  checkpoints: readonly CheckpointRecord[],
  trust: LogTrust,
  crypto: EvidenceCrypto,
): Promise<{ textsMs: Cost; jsonlMs: Cost; objectsMs: Cost }> {
  const check = (valid: boolean, what: string): void => {
    if (!valid) throw new Error(`in-memory verification (${what}) failed`);
  };
  collectGarbage();
  const withTexts = await best(2, () => {
    check(verifyLog(entries, checkpoints, trust, crypto, { texts }).valid, 'texts');
  });
  const jsonl = exportJsonl(entries, checkpoints);
  collectGarbage();
  const fromJsonl = await best(1, () => {
    check(verifyJsonl(jsonl, trust, crypto).valid, 'jsonl');
  });
  collectGarbage();
  const fromObjects = await best(1, () => {
    check(verifyLog(entries, checkpoints, trust, crypto).valid, 'objects');
  });
  return { textsMs: cost(withTexts), jsonlMs: cost(fromJsonl), objectsMs: cost(fromObjects) };
}

/**
 * node:crypto SHA-256 over exactly the bytes verification hashes (each entry's canonical text without its
 * entry_hash member, UTF-8): one call per entry, as verification makes them, and all of them as one buffer.
 */
export async function rawSha256(
  texts: readonly (string | undefined)[],
): Promise<{ bytes: number; perEntryMs: Cost; bulkMs: Cost }> {
  const buffers = texts.map((text) => Buffer.from(hashedText(text ?? '')));
  const bytes = buffers.reduce((sum, b) => sum + b.length, 0);
  const perEntry = await best(3, () => {
    for (const buffer of buffers) hash('sha256', buffer, 'buffer');
  });
  const all = Buffer.concat(buffers);
  const bulk = await best(3, () => hash('sha256', all, 'buffer'));
  return { bytes, perEntryMs: cost(perEntry), bulkMs: cost(bulk) };
}

/** Inclusion proofs over a tree of the given entries: build, generate, verify (path only, and with the entry). */
export async function inclusionProofs(
  entries: readonly EvidenceEntry[],
  crypto: EvidenceCrypto,
): Promise<{ buildMs: Cost; generateUs: Cost; verifyPathUs: Cost; verifyWithEntryUs: Cost }> {
  const build = await best(
    1,
    () =>
      new MerkleTree(
        crypto,
        entries.map((e) => entryLeafHash(e, crypto)),
      ),
  );
  const tree = build.value;
  const size = tree.size;
  const root = tree.root();
  const indexes = Array.from({ length: 1000 }, (_, i) => (i * 7919) % size);
  const generate = await best(3, () => indexes.map((index) => tree.inclusionProof(index, size)));
  const proofs = generate.value;
  const verifyPath = await best(3, () => {
    indexes.forEach((index, i) => {
      if (!verifyInclusion(tree.leaf(index), index, size, proofs[i] ?? [], root, crypto))
        throw new Error(`inclusion proof ${String(index)} did not verify`);
    });
  });
  // What an auditor holding one entry does: recompute its hash from its content, then its leaf, then the path.
  const verifyWithEntry = await best(3, () => {
    indexes.forEach((index, i) => {
      const entry = entries[index];
      if (entry === undefined || !verifyEntryHash(entry, crypto)) throw new Error('entry hash');
      if (!verifyInclusion(entryLeafHash(entry, crypto), index, size, proofs[i] ?? [], root, crypto))
        throw new Error(`inclusion proof ${String(index)} did not verify`);
    });
  });
  const perProof = 1000 / indexes.length;
  return {
    buildMs: cost(build),
    generateUs: cost(generate, perProof),
    verifyPathUs: cost(verifyPath, perProof),
    verifyWithEntryUs: cost(verifyWithEntry, perProof),
  };
}

/** Signing a checkpoint (a LogWriter resumed from a state) and checking one's signature against trust roots. */
export async function checkpointCosts(
  writer: LogWriter,
  key: EvidenceKeyPair,
  roots: readonly TrustRoot[],
  origin: string,
  crypto: EvidenceCrypto,
): Promise<{ signUs: Cost; verifyUs: Cost }> {
  const runs = 200;
  const timestamp = new Date().toISOString();
  const sign = await best(3, () => {
    let record: CheckpointRecord | undefined;
    for (let i = 0; i < runs; i += 1) record = writer.checkpoint(timestamp, key);
    return record;
  });
  const record = sign.value;
  if (record === undefined) throw new Error('no checkpoint');
  const verify = await best(3, () => {
    for (let i = 0; i < runs; i += 1) {
      if (verifyCheckpoint(record, roots, crypto, origin).errors.length > 0) throw new Error('checkpoint');
    }
  });
  return { signUs: cost(sign, 1000 / runs), verifyUs: cost(verify, 1000 / runs) };
}

/** CPU microseconds per decision of each piece of an append that is not SQL, over the given decisions. */
export type AppendPieces = {
  decide: number;
  payloadText: number;
  nextEntry: number;
  frontier: number;
};

/**
 * The pieces of one append as the store runs them, each timed alone over the same decisions: deciding, the
 * payload's JCS text (computed once: it is the stored text of the entry and of the decision row, and what the
 * entry hash covers), building the entry from that text (`createEntry` with `payloadText`: the envelope and its
 * SHA-256), and the leaf hash and frontier step.
 */
export async function appendPieces(
  decisions: readonly Decision[],
  decideOne: (i: number) => unknown,
  crypto: EvidenceCrypto,
): Promise<AppendPieces> {
  const n = decisions.length;
  const per = async (fn: () => unknown): Promise<number> => ((await best(5, fn, 'cpu')).cpuMs * 1000) / n;
  const recordedAt = new Date().toISOString();
  const payloads = decisions.map((d) => d as unknown as JsonObject);
  const entries: EvidenceEntry[] = [];
  const decide = await per(() => {
    for (let i = 0; i < n; i += 1) decideOne(i);
  });
  // Each result is dropped at once, as the store does after the insert: kept in an array, 5,000 unflattened
  // strings would survive into the old generation and the measurement would be mostly GC.
  let sink = 0;
  const payloadText = await per(() => {
    for (const p of payloads) sink += canonicalJson(p).length;
  });
  if (sink === 0) throw new Error('nothing serialised');
  const texts = payloads.map((p) => canonicalJson(p));
  const nextEntry = await per(() => {
    entries.length = 0;
    let head: LogHead = null;
    payloads.forEach((payload, i) => {
      const entry = createEntry(head, 'decision', payload, recordedAt, crypto, texts[i]);
      entries.push(entry);
      head = { sequence: entry.sequence, entry_hash: entry.entry_hash };
    });
  });
  const frontier = await per(() => {
    const f = new MerkleFrontier(crypto);
    for (const entry of entries) f.append(entryLeafHash(entry, crypto));
  });
  return { decide, payloadText, nextEntry, frontier };
}
