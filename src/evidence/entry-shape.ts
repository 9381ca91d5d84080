/**
 * Checks of one log entry: its fields against the `cavra.evidence.entry.v1` schema, and its hash. Entries
 * reach the verifier from files and databases an attacker may have edited, so nothing is assumed about them.
 * Written for the hot path: no issue objects or messages are built for an entry that has no problem.
 */
import { fromHex, isSha256Hex, sha256Text, toHex } from './canonical';
import { ENTRY_KINDS, ENTRY_SCHEMA, entryHashInput } from './entry';
import { parseTimestamp } from './time';
import type { EntryKind, EvidenceCrypto, EvidenceEntry, VerificationIssue } from './types';

const FIELD_COUNT = 7;
const FIELDS = new Set([
  'schema_version',
  'sequence',
  'kind',
  'recorded_at',
  'payload',
  'previous_hash',
  'entry_hash',
]);

/** Where an entry sits: its readable sequence (else null), its position in the input, its JSONL line. */
export type EntryPlace = { sequence: number | null; position: number; line: number | undefined };

/** An issue about one entry, named by sequence when readable, else by position. */
export function entryIssue(place: EntryPlace, code: string, detail: string): VerificationIssue {
  const name = place.sequence === null ? `entry at position ${place.position}` : `entry ${place.sequence}`;
  return {
    code,
    message: `${name}: ${detail}`,
    ...(place.sequence === null ? {} : { sequence: place.sequence }),
    ...(place.line === undefined ? {} : { line: place.line }),
  };
}

/** What the field checks learned, for the checks that follow them. */
export type EntryFacts = {
  place: EntryPlace;
  /** False when the value is not even an object (nothing else was checked). */
  isObject: boolean;
  /** `recorded_at` in microseconds since the epoch, or null when unreadable. */
  recordedAt: number | null;
  /** `entry_hash` when it is well-formed (64 lowercase hex characters), else null. */
  entryHash: string | null;
};

function isLinkHash(value: unknown, previousHash: string | null): boolean {
  return (previousHash !== null && value === previousHash) || isSha256Hex(value);
}

/**
 * Checks every field of the entry at `position` (0-based index in the log as given). `previousHash` is the
 * well-formed `entry_hash` of the entry before it, if any: a `previous_hash` equal to it needs no re-check.
 */
export function checkEntryShape(
  value: unknown,
  position: number,
  line: number | undefined,
  previousHash: string | null,
  errors: VerificationIssue[],
  warnings: VerificationIssue[],
): EntryFacts {
  const place: EntryPlace = { sequence: null, position, line };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(entryIssue(place, 'entry_malformed', 'not a JSON object'));
    return { place, isObject: false, recordedAt: null, entryHash: null };
  }
  const entry = value as Record<string, unknown>;
  const { sequence, kind, payload } = entry;
  if (typeof sequence === 'number' && Number.isSafeInteger(sequence) && sequence >= 0)
    place.sequence = sequence;
  const error = (code: string, detail: string): void => void errors.push(entryIssue(place, code, detail));

  if (entry.schema_version !== ENTRY_SCHEMA)
    error('entry_schema_invalid', `schema_version is not ${ENTRY_SCHEMA}`);
  if (place.sequence === null) error('entry_sequence_invalid', 'sequence is not a non-negative integer');
  if (typeof kind !== 'string' || kind === '') {
    error('entry_kind_invalid', 'kind is not a non-empty string');
  } else if (!ENTRY_KINDS.includes(kind as EntryKind)) {
    warnings.push(entryIssue(place, 'entry_kind_unknown', `kind '${kind}' is not known to this verifier`));
  }
  const recordedAt = typeof entry.recorded_at === 'string' ? parseTimestamp(entry.recorded_at) : null;
  if (recordedAt === null) error('entry_recorded_at_invalid', 'recorded_at is not an RFC 3339 timestamp');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    error('entry_payload_invalid', 'payload is not a JSON object');
  }
  const isLinkValid =
    place.sequence === 0 ? entry.previous_hash === null : isLinkHash(entry.previous_hash, previousHash);
  if (!isLinkValid) {
    const isFirst = place.sequence === 0;
    error(
      'entry_previous_hash_invalid',
      isFirst ? 'previous_hash of entry 0 must be null' : 'previous_hash is not a SHA-256 hex digest',
    );
  }
  const entryHash = isSha256Hex(entry.entry_hash) ? entry.entry_hash : null;
  if (entryHash === null) error('entry_hash_invalid', 'entry_hash is not a lowercase SHA-256 hex digest');
  const keys = Object.keys(entry);
  if (keys.length !== FIELD_COUNT || !keys.every((key) => FIELDS.has(key))) {
    const extra = keys.filter((key) => !FIELDS.has(key));
    if (extra.length > 0) error('entry_field_unexpected', `unexpected field(s) ${extra.join(', ')}`);
  }
  return { place, isObject: true, recordedAt, entryHash };
}

// `{"entry_hash":"` is 15 characters; the 64 hex digits, `"` and `,` follow.
const HASH_AT = 15;
const COMMA_AT = HASH_AT + 64 + 1;

/**
 * Checks the entry hash and returns the digest the Merkle leaf is built from: the stored `entry_hash` when
 * it is well-formed (`claimed`, from the field checks), else the recomputed one, so one edited entry yields
 * one error and not a cascade of checkpoint failures. `text` is the entry's canonical text when the source
 * has it (a JSONL line, a store column).
 */
export function hashEntry(
  entry: Record<string, unknown>,
  claimed: string | null,
  text: string | undefined,
  crypto: EvidenceCrypto,
  report: (code: string, detail: string) => void,
): Uint8Array {
  // INVARIANT: JCS puts entry_hash first (it sorts before every other v1 field), so a canonical line is
  // `{"entry_hash":"…",` followed by the hashed text minus its `{`. Hashing that slice avoids re-serialising;
  // a text whose bytes hash to its own entry_hash is byte for byte what the writer hashed.
  if (
    text !== undefined &&
    claimed !== null &&
    text.startsWith('{"entry_hash":"') &&
    text.startsWith(claimed, HASH_AT) &&
    text.startsWith('",', HASH_AT + 64)
  ) {
    const digest = sha256Text(text, crypto, COMMA_AT, '{');
    if (toHex(digest) === claimed) return digest;
  }
  let computed: Uint8Array;
  try {
    computed = sha256Text(entryHashInput(entry as EvidenceEntry), crypto);
  } catch (cause) {
    report('entry_not_canonical', `has no canonical JSON form (${(cause as Error).message})`);
    return (claimed === null ? null : fromHex(claimed)) ?? new Uint8Array(32);
  }
  if (claimed === null) return computed;
  if (toHex(computed) !== claimed) {
    report('entry_hash_mismatch', 'entry_hash does not match its content');
    return fromHex(claimed) ?? computed;
  }
  if (text !== undefined)
    report('entry_text_not_canonical', 'its text is not the RFC 8785 form of the entry');
  return computed;
}
