/**
 * Checkpoints: C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint) in signed notes, and the
 * `cavra.evidence.checkpoint.v1` record that carries one in a store row or a JSONL line.
 */
import { fromBase64, isSha256Hex, isWellFormed, toBase64, toHex } from './canonical';
import { isValidKeyName, parseNote, signNote, type NoteSigner, type ParsedNote } from './note';
import { parseTimestamp } from './time';
import type { EvidenceCrypto, EvidenceResult } from './types';

/** Schema tag of a checkpoint record. */
export const CHECKPOINT_SCHEMA = 'cavra.evidence.checkpoint.v1';

/**
 * The one extension line CAVRA writes: `timestamp <RFC 3339>`, the signing time, inside the signed text so
 * key validity windows can be checked against it.
 */
export const TIMESTAMP_EXTENSION = 'timestamp ';

/** A tree head: origin, size, RFC 6962 root, and opaque extension lines. */
export type Checkpoint = { origin: string; size: number; rootHash: Uint8Array; extensions: string[] };

/**
 * A signed checkpoint as stored and exported. `note` is authoritative; the other fields are copies for
 * indexing, and verification rejects a record whose copies disagree with its note.
 */
export type CheckpointRecord = {
  schema_version: typeof CHECKPOINT_SCHEMA;
  origin: string;
  tree_size: number;
  /** Lowercase hex of the root hash (the note has it in base64). */
  root_hash: string;
  timestamp: string | null;
  note: string;
};

/** The default origin (and signing key name) of a CAVRA log. */
export function logOrigin(logId: string): string {
  return `cavra.dev/evidence/${logId}`;
}

/** The note text of a checkpoint: `<origin>\n<size>\n<base64 root>\n` plus extension lines. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return [checkpoint.origin, String(checkpoint.size), toBase64(checkpoint.rootHash), ...checkpoint.extensions]
    .map((line) => `${line}\n`)
    .join('');
}

function malformed<T>(message: string): EvidenceResult<T> {
  return { ok: false, error: { code: 'checkpoint_malformed', message } };
}

/** Parses checkpoint note text strictly (decimal size without leading zeros, canonical 32-byte base64 root). */
export function parseCheckpoint(text: string): EvidenceResult<Checkpoint> {
  if (!text.endsWith('\n')) return malformed('checkpoint text must end with a newline');
  const [origin = '', size = '', root = '', ...extensions] = text.slice(0, -1).split('\n');
  if (origin === '') return malformed('checkpoint origin (line 1) is empty');
  if (!/^(?:0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    return malformed(`checkpoint tree size (line 2) '${size}' is not a decimal number without leading zeros`);
  }
  const rootHash = fromBase64(root);
  if (rootHash?.length !== 32) return malformed('checkpoint root hash (line 3) is not base64 of 32 bytes');
  if (extensions.some((line) => line === ''))
    return malformed('checkpoint extension lines must not be empty');
  return { ok: true, value: { origin, size: Number(size), rootHash, extensions } };
}

/** The signing time from the `timestamp` extension line, or null when the checkpoint has none. */
export function checkpointTimestamp(checkpoint: Checkpoint): string | null {
  const line = checkpoint.extensions.find((l) => l.startsWith(TIMESTAMP_EXTENSION));
  return line === undefined ? null : line.slice(TIMESTAMP_EXTENSION.length);
}

/** What to sign: the tree head and the signing time. */
export type CheckpointInput = { origin: string; size: number; rootHash: Uint8Array; timestamp: string };

/**
 * Signs a checkpoint with the log key, whose note key name is the origin (as tlog-checkpoint recommends).
 * @throws TypeError on an origin that cannot be a key name, a bad size or root, or a non-RFC 3339 timestamp.
 */
export function signCheckpoint(
  input: CheckpointInput,
  signer: Omit<NoteSigner, 'name'>,
  crypto: EvidenceCrypto,
): CheckpointRecord {
  if (!isValidKeyName(input.origin))
    throw new TypeError(`signCheckpoint: origin '${input.origin}' is not a key name`);
  if (!Number.isSafeInteger(input.size) || input.size < 0 || input.rootHash.length !== 32) {
    throw new TypeError('signCheckpoint: the size must be a non-negative integer and the root 32 bytes');
  }
  if (parseTimestamp(input.timestamp) === null) {
    throw new TypeError(`signCheckpoint: timestamp '${input.timestamp}' is not an RFC 3339 time`);
  }
  const checkpoint: Checkpoint = {
    origin: input.origin,
    size: input.size,
    rootHash: input.rootHash,
    extensions: [`${TIMESTAMP_EXTENSION}${input.timestamp}`],
  };
  const note = signNote(formatCheckpoint(checkpoint), [{ ...signer, name: input.origin }], crypto);
  return {
    schema_version: CHECKPOINT_SCHEMA,
    origin: input.origin,
    tree_size: input.size,
    root_hash: toHex(input.rootHash),
    timestamp: input.timestamp,
    note,
  };
}

/** A checkpoint record read back: its note split, its body parsed, its copies checked. Not yet verified. */
export type OpenedCheckpoint = { record: CheckpointRecord; note: ParsedNote; checkpoint: Checkpoint };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a `cavra.evidence.checkpoint.v1` record: the note must parse as a signed checkpoint and every copied
 * field must equal the note's. Signatures are checked by {@link verifyCheckpointSignatures}.
 */
export function openCheckpointRecord(value: unknown): EvidenceResult<OpenedCheckpoint> {
  if (!isRecord(value) || value.schema_version !== CHECKPOINT_SCHEMA) {
    return malformed(`not a ${CHECKPOINT_SCHEMA} record`);
  }
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'note,origin,root_hash,schema_version,timestamp,tree_size') {
    return malformed(
      `checkpoint record fields are ${keys}, expected origin, tree_size, root_hash, timestamp, note`,
    );
  }
  if (typeof value.note !== 'string' || !isWellFormed(value.note))
    return malformed('checkpoint note is not text');
  const note = parseNote(value.note);
  if (!note.ok) return malformed(`checkpoint note: ${note.error.message}`);
  const checkpoint = parseCheckpoint(note.value.text);
  if (!checkpoint.ok) return checkpoint;
  const cp = checkpoint.value;
  const isConsistent =
    value.origin === cp.origin &&
    value.tree_size === cp.size &&
    isSha256Hex(value.root_hash) &&
    value.root_hash === toHex(cp.rootHash) &&
    value.timestamp === checkpointTimestamp(cp);
  if (!isConsistent) {
    return malformed(
      `checkpoint record for size ${cp.size}: origin, tree_size, root_hash or timestamp differ from its note`,
    );
  }
  return { ok: true, value: { record: value as CheckpointRecord, note: note.value, checkpoint: cp } };
}

/** When to checkpoint: after `everyEntries` new entries or `everySeconds` since the last one, whichever first. */
export type CheckpointPolicy = { everyEntries: number; everySeconds: number };

/**
 * True when a new checkpoint is due. `last` is the latest checkpoint (null: none yet); nothing is due while
 * the log has not grown since it. On-demand checkpoints simply skip this check.
 */
export function isCheckpointDue(
  policy: CheckpointPolicy,
  last: { size: number; timestamp: string } | null,
  current: { size: number; now: string },
): boolean {
  if (last === null) return current.size > 0;
  if (current.size <= last.size) return false;
  if (current.size - last.size >= policy.everyEntries) return true;
  const then = parseTimestamp(last.timestamp);
  const now = parseTimestamp(current.now);
  return then === null || now === null || now - then >= policy.everySeconds * 1e6;
}
