/**
 * Checks of one log entry: its fields against the `cavra.evidence.entry.v1` schema, and its hash. Entries
 * reach the verifier from files and databases an attacker may have edited, so nothing is assumed about them.
 */
import { bytesEqual, fromHex, isSha256Hex, utf8 } from './canonical';
import { ENTRY_KINDS, ENTRY_SCHEMA, entryHashInput } from './entry';
import { parseTimestamp } from './time';
import type { EntryKind, EvidenceCrypto, EvidenceEntry, VerificationIssue } from './types';

const FIELDS = new Set([
  'schema_version',
  'sequence',
  'kind',
  'recorded_at',
  'payload',
  'previous_hash',
  'entry_hash',
]);

/** What the shape check learned about an entry, for the checks that follow it. */
export type EntryShape = {
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
  /** The sequence when it is a non-negative integer, else null. */
  sequence: number | null;
  /** `recorded_at` in microseconds since the epoch, or null when unreadable. */
  recordedAt: number | null;
};

/**
 * Checks every field of the entry at `position` (0-based index in the log as given). Messages name the
 * entry by its sequence when it has a readable one, else by its position.
 */
export function checkEntryShape(value: unknown, position: number): EntryShape {
  const shape: EntryShape = { errors: [], warnings: [], sequence: null, recordedAt: null };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    shape.errors.push({
      code: 'entry_malformed',
      message: `entry at position ${position} is not a JSON object`,
    });
    return shape;
  }
  const entry = value as Record<string, unknown>;
  const sequence = entry.sequence;
  shape.sequence = Number.isSafeInteger(sequence) && (sequence as number) >= 0 ? (sequence as number) : null;
  const name = shape.sequence === null ? `entry at position ${position}` : `entry ${shape.sequence}`;
  const issue = (code: string, message: string): VerificationIssue => ({
    code,
    message: `${name}: ${message}`,
    ...(shape.sequence === null ? {} : { sequence: shape.sequence }),
  });
  const error = (code: string, message: string): void => void shape.errors.push(issue(code, message));

  if (entry.schema_version !== ENTRY_SCHEMA)
    error('entry_schema_invalid', `schema_version is not ${ENTRY_SCHEMA}`);
  if (shape.sequence === null) error('entry_sequence_invalid', 'sequence is not a non-negative integer');
  if (typeof entry.kind !== 'string' || entry.kind === '') {
    error('entry_kind_invalid', 'kind is not a non-empty string');
  } else if (!ENTRY_KINDS.includes(entry.kind as EntryKind)) {
    shape.warnings.push(issue('entry_kind_unknown', `kind '${entry.kind}' is not known to this verifier`));
  }
  shape.recordedAt = typeof entry.recorded_at === 'string' ? parseTimestamp(entry.recorded_at) : null;
  if (shape.recordedAt === null)
    error('entry_recorded_at_invalid', 'recorded_at is not an RFC 3339 timestamp');
  if (typeof entry.payload !== 'object' || entry.payload === null || Array.isArray(entry.payload)) {
    error('entry_payload_invalid', 'payload is not a JSON object');
  }
  const isFirst = shape.sequence === 0;
  if (isFirst ? entry.previous_hash !== null : !isSha256Hex(entry.previous_hash)) {
    error(
      'entry_previous_hash_invalid',
      isFirst ? 'previous_hash of entry 0 must be null' : 'previous_hash is not a SHA-256 hex digest',
    );
  }
  if (!isSha256Hex(entry.entry_hash))
    error('entry_hash_invalid', 'entry_hash is not a lowercase SHA-256 hex digest');
  const extra = Object.keys(entry).filter((key) => !FIELDS.has(key));
  if (extra.length > 0) error('entry_field_unexpected', `unexpected field(s) ${extra.join(', ')}`);
  return shape;
}

/**
 * Checks the entry hash and returns the digest the Merkle leaf is built from: the stored `entry_hash` when
 * it is well-formed (so one edited entry yields one error, not a cascade of checkpoint failures), else the
 * recomputed one.
 */
export function hashEntry(
  entry: Record<string, unknown>,
  line: string | undefined,
  crypto: EvidenceCrypto,
  report: (code: string, message: string) => void,
): Uint8Array {
  const stored = typeof entry.entry_hash === 'string' ? fromHex(entry.entry_hash) : null;
  const claimed = stored?.length === 32 ? stored : null;
  const prefix = claimed === null ? '' : `{"entry_hash":"${String(entry.entry_hash)}",`;
  // INVARIANT: JCS puts entry_hash first (it sorts before every other v1 field), so a canonical line is
  // `{"entry_hash":"…",` followed by the hashed text minus its `{`. Hashing that slice avoids re-serialising.
  if (line !== undefined && claimed !== null && line.startsWith(prefix)) {
    const digest = crypto.sha256(utf8(`{${line.slice(prefix.length)}`));
    if (bytesEqual(digest, claimed)) return claimed;
  }
  let computed: Uint8Array;
  try {
    computed = crypto.sha256(utf8(entryHashInput(entry as EvidenceEntry)));
  } catch (error) {
    report('entry_not_canonical', `has no canonical JSON form (${(error as Error).message})`);
    return claimed ?? new Uint8Array(32);
  }
  if (claimed === null) return computed;
  if (!bytesEqual(computed, claimed)) report('entry_hash_mismatch', `entry_hash does not match its content`);
  else if (line !== undefined)
    report('jsonl_line_not_canonical', 'the line is not the RFC 8785 form of the entry');
  return claimed;
}
