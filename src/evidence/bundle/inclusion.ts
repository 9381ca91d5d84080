/**
 * `inclusion-proofs.json` (`cavra.evidence.inclusion-proofs.v1`), CAVRA's addition to the bundle: for each
 * decision, its log entry, Merkle leaf, RFC 6962 inclusion proof and the signed checkpoint it was proven
 * against, so an auditor can check that the bundle's decisions are the ones in the transparency log.
 */
import type { JsonObject, JsonValue } from '../../engine';
import { fromHex, isSha256Hex, toHex } from '../canonical';
import type { CheckpointRecord } from '../checkpoint';
import { computeEntryHash, entryLeafHash } from '../entry';
import { verifyInclusion, type MerkleTree } from '../merkle';
import type { TrustRoot } from '../trust-root';
import type { EvidenceCrypto, EvidenceEntry, EvidenceResult, VerificationIssue } from '../types';
import { verifyCheckpoint } from '../verify-checkpoint';
import { arrayField, asRecord, numberField, stringField } from './json-access';
import type { BundleDecision } from './records';

export const INCLUSION_FILE = 'inclusion-proofs.json';
export const INCLUSION_SCHEMA = 'cavra.evidence.inclusion-proofs.v1';

/** One decision's proof. `checkpoint` indexes {@link InclusionProofs.checkpoints}. */
export type DecisionInclusionProof = {
  decision_id: string;
  /** The entry's sequence, which is its leaf index. */
  sequence: number;
  /** The whole log entry, so its `entry_hash` can be recomputed. */
  entry: EvidenceEntry;
  /** Lowercase hex RFC 6962 leaf hash `SHA-256(0x00 || entry_hash bytes)`. */
  leaf_hash: string;
  /** Sibling hashes, leaf-up, lowercase hex (RFC 6962 §2.1.1 audit path). */
  inclusion_proof: string[];
  checkpoint: number;
};

/** The file's document. */
export type InclusionProofs = {
  schema_version: typeof INCLUSION_SCHEMA;
  product: 'CAVRA';
  session_id: string;
  /** Signed checkpoints (`cavra.evidence.checkpoint.v1`, note text included), shared by the proofs. */
  checkpoints: CheckpointRecord[];
  proofs: DecisionInclusionProof[];
};

/** The decision a log entry records: CAVRA logs a decision as the entry's payload. */
export function loggedDecision(entry: Pick<EvidenceEntry, 'payload'>): JsonObject {
  return entry.payload;
}

/**
 * Builds the document from decision entries and the tree they are in, proven against one checkpoint (whose
 * tree size must not exceed the tree's and must cover every entry).
 */
export function buildInclusionProofs(
  sessionId: string,
  entries: readonly EvidenceEntry[],
  tree: MerkleTree,
  checkpoint: CheckpointRecord,
  crypto: EvidenceCrypto,
): EvidenceResult<InclusionProofs> {
  const size = checkpoint.tree_size;
  if (size > tree.size || toHex(tree.root(size)) !== checkpoint.root_hash) {
    return {
      ok: false,
      error: {
        code: 'checkpoint_not_of_tree',
        message: `the checkpoint (size ${size}) is not a head of this tree`,
      },
    };
  }
  const proofs: DecisionInclusionProof[] = [];
  for (const entry of entries) {
    const decisionId = loggedDecision(entry)['decision_id'];
    if (entry.sequence >= size || typeof decisionId !== 'string') {
      const message = `entry ${entry.sequence} is not a decision covered by the checkpoint (size ${size})`;
      return { ok: false, error: { code: 'entry_not_provable', message } };
    }
    proofs.push({
      decision_id: decisionId,
      sequence: entry.sequence,
      entry,
      leaf_hash: toHex(entryLeafHash(entry, crypto)),
      inclusion_proof: tree.inclusionProof(entry.sequence, size).map(toHex),
      checkpoint: 0,
    });
  }
  return {
    ok: true,
    value: {
      schema_version: INCLUSION_SCHEMA,
      product: 'CAVRA',
      session_id: sessionId,
      checkpoints: [checkpoint],
      proofs,
    },
  };
}

/** What {@link verifyInclusionProofs} found; `checked` counts proofs that verified. */
export type InclusionCheck = { errors: VerificationIssue[]; warnings: VerificationIssue[]; checked: number };

/** Whether every member the log recorded has the same value in the bundle's decision (which may add `approval`). */
function matchesLogged(logged: JsonObject, bundled: BundleDecision): boolean {
  return Object.entries(logged).every(([key, value]) =>
    sameJson(value, bundled[key] as JsonValue | undefined),
  );
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => sameJson((a as JsonObject)[k], (b as JsonObject)[k]));
}

/**
 * Verifies the document (parsed with `JSON.parse`) against the bundle's decisions: entry hashes, leaves,
 * inclusion proofs against checkpoint roots, checkpoint signatures (with `roots`; none → a warning), and that
 * each proven entry is the bundle's decision. Decisions without a proof are warnings.
 */
export function verifyInclusionProofs(
  document: unknown,
  decisions: readonly BundleDecision[],
  roots: readonly TrustRoot[],
  crypto: EvidenceCrypto,
): InclusionCheck {
  const out: InclusionCheck = { errors: [], warnings: [], checked: 0 };
  const fail = (code: string, message: string, sequence?: number): void => {
    out.errors.push({ code, message, file: INCLUSION_FILE, ...(sequence === undefined ? {} : { sequence }) });
  };
  if (stringField(document, 'schema_version') !== INCLUSION_SCHEMA) {
    fail('invalid_inclusion_proofs', `${INCLUSION_FILE} is not a ${INCLUSION_SCHEMA} document`);
    return out;
  }
  const checkpoints = (arrayField(document, 'checkpoints') ?? []).map((record) => {
    const check = verifyCheckpoint(record, roots, crypto);
    out.errors.push(...check.errors.map((e) => ({ ...e, file: INCLUSION_FILE })));
    out.warnings.push(...check.warnings.map((w) => ({ ...w, file: INCLUSION_FILE })));
    return check.checkpoint;
  });
  const byId = new Map(decisions.map((d) => [d.decision_id, d]));
  const proven = new Set<string>();
  for (const raw of arrayField(document, 'proofs') ?? []) {
    const proof = readProof(raw);
    if (!proof) {
      fail(
        'invalid_inclusion_proof',
        'an inclusion proof lacks decision_id, sequence, entry, leaf_hash, proof or checkpoint',
      );
      continue;
    }
    const { entry, sequence } = proof;
    const at = `decision ${proof.decision_id} (entry ${sequence})`;
    if (safeEntryHash(entry, crypto) !== entry.entry_hash)
      fail(
        'entry_hash_mismatch',
        `${at}: entry_hash does not match the entry (or it has no canonical form)`,
        sequence,
      );
    const leaf = isSha256Hex(entry.entry_hash) ? entryLeafHash(entry, crypto) : null;
    if (!leaf || toHex(leaf) !== proof.leaf_hash)
      fail('leaf_hash_mismatch', `${at}: leaf_hash is not the entry's leaf`, sequence);
    const bundled = byId.get(proof.decision_id);
    const logged = loggedDecision(entry);
    if (
      entry.sequence !== sequence ||
      entry.kind !== 'decision' ||
      logged['decision_id'] !== proof.decision_id
    ) {
      fail('entry_not_decision', `${at}: the entry is not this decision's log entry`, sequence);
    } else if (!bundled) {
      out.warnings.push({
        code: 'proof_without_decision',
        message: `${at}: not among evidence.json's decisions`,
        file: INCLUSION_FILE,
        sequence,
      });
    } else if (!matchesLogged(logged, bundled)) {
      fail(
        'decision_differs_from_log',
        `${at}: evidence.json's decision differs from the logged one`,
        sequence,
      );
    }
    const checkpoint = checkpoints[proof.checkpoint];
    const hashes = proof.inclusion_proof.map((h) => fromHex(h) ?? new Uint8Array());
    if (!checkpoint) {
      fail('checkpoint_missing', `${at}: checkpoint ${proof.checkpoint} is not in the file`, sequence);
    } else if (
      !leaf ||
      !verifyInclusion(leaf, sequence, checkpoint.size, hashes, checkpoint.rootHash, crypto)
    ) {
      fail(
        'inclusion_proof_invalid',
        `${at}: the inclusion proof does not lead to the checkpoint root`,
        sequence,
      );
    } else if (out.errors.every((e) => e.sequence !== sequence)) {
      out.checked += 1;
    }
    proven.add(proof.decision_id);
  }
  for (const id of byId.keys()) {
    if (id !== undefined && !proven.has(id)) {
      out.warnings.push({
        code: 'decision_not_proven',
        message: `decision ${id} has no inclusion proof`,
        file: INCLUSION_FILE,
      });
    }
  }
  return out;
}

/** The entry hash, or `null` when the entry has no canonical JSON form (lone surrogates: untrusted input). */
function safeEntryHash(entry: EvidenceEntry, crypto: EvidenceCrypto): string | null {
  try {
    return computeEntryHash(entry, crypto);
  } catch {
    return null;
  }
}

function readProof(raw: unknown): (DecisionInclusionProof & { entry: EvidenceEntry }) | undefined {
  const decisionId = stringField(raw, 'decision_id');
  const sequence = numberField(raw, 'sequence');
  const checkpoint = numberField(raw, 'checkpoint');
  const leafHash = stringField(raw, 'leaf_hash');
  const hashes = arrayField(raw, 'inclusion_proof');
  const entry = asRecord(asRecord(raw)?.['entry']);
  const isEntry =
    entry !== undefined &&
    typeof entry['entry_hash'] === 'string' &&
    asRecord(entry['payload']) !== undefined;
  if (
    decisionId === undefined ||
    sequence === undefined ||
    checkpoint === undefined ||
    leafHash === undefined
  )
    return undefined;
  if (!hashes?.every((h): h is string => typeof h === 'string') || !isEntry) return undefined;
  return {
    decision_id: decisionId,
    sequence,
    checkpoint,
    leaf_hash: leafHash,
    inclusion_proof: [...hashes],
    entry: entry as EvidenceEntry,
  };
}
