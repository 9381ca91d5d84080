/**
 * Log entries (`cavra.evidence.entry.v1`): a hash chain of JCS-canonical records whose `entry_hash` also
 * names the entry's Merkle leaf. Creating the next entry costs one canonicalisation and one hash, whatever
 * the log's length.
 */
import type { JsonObject } from '../engine';
import { canonicalJson, fromHex, serializeString, sha256Pieces, sha256Text, toHex } from './canonical';
import { leafHash } from './merkle';
import { parseTimestamp } from './time';
import type { EntryKind, EvidenceCrypto, EvidenceEntry, LogHead } from './types';

/** The schema tag of a log entry. */
export const ENTRY_SCHEMA = 'cavra.evidence.entry.v1';

/** Every entry kind this version knows; verification warns about others (a newer writer), never guesses. */
export const ENTRY_KINDS: readonly EntryKind[] = [
  'decision',
  'approval',
  'break_glass',
  'session',
  'policy_publication',
  'operations',
  'delivery',
];

/** An entry before its hash is known: exactly the fields `entry_hash` covers. */
export type UnhashedEntry = Omit<EvidenceEntry, 'entry_hash'>;

/**
 * The text `entry_hash` is computed over: RFC 8785 JCS of the entry without `entry_hash`. Any other field
 * present on the object (which the v1 schema forbids) is covered too, so it cannot ride along unhashed.
 */
export function entryHashInput(entry: UnhashedEntry | EvidenceEntry): string {
  const { entry_hash: _ignored, ...rest } = entry as EvidenceEntry;
  return canonicalJson(rest);
}

/** Lowercase hex SHA-256 of {@link entryHashInput}. */
export function computeEntryHash(entry: UnhashedEntry | EvidenceEntry, crypto: EvidenceCrypto): string {
  return toHex(sha256Text(entryHashInput(entry), crypto));
}

/**
 * The RFC 8785 text `entry_hash` covers, assembled from the fields and the payload's JCS text: the members of
 * an unhashed v1 entry in JCS order (kind, payload, previous_hash, recorded_at, schema_version, sequence).
 * Equal to {@link entryHashInput} of the same entry (a test checks it); the payload is not serialised again.
 */
export function unhashedEntryText(
  kind: string,
  payloadText: string,
  previousHash: string | null,
  recordedAt: string,
  schemaVersion: string,
  sequence: number,
): string {
  const [head, tail] = envelope(kind, previousHash, recordedAt, schemaVersion, sequence);
  return head + payloadText + tail;
}

/** The hashed text of an entry before and after its payload's text. */
function envelope(
  kind: string,
  previousHash: string | null,
  recordedAt: string,
  schemaVersion: string,
  sequence: number,
): [string, string] {
  const previous = previousHash === null ? 'null' : serializeString(previousHash);
  return [
    `{"kind":${serializeString(kind)},"payload":`,
    `,"previous_hash":${previous},"recorded_at":${serializeString(recordedAt)},` +
      `"schema_version":${serializeString(schemaVersion)},"sequence":${canonicalJson(sequence)}}`,
  ];
}

/**
 * The entry that follows `head` (sequence 0 with a null `previous_hash` when the log is empty). One
 * canonicalisation of the payload (none when the caller passes its text) and one hash.
 * @param recordedAt - RFC 3339 time of the append, from the caller's clock (the evidence layer has none).
 * @param payloadText - `canonicalJson(payload)` when the caller already has it (a store keeps it in a column);
 *   it must be exactly that text, since it is what the entry hash covers.
 * @throws TypeError when `recordedAt` is not an RFC 3339 timestamp with an offset, or the payload has no
 *   canonical JSON form (a non-finite number or a string with a lone surrogate): both are caller bugs.
 */
export function createEntry(
  head: LogHead,
  kind: EntryKind,
  payload: JsonObject,
  recordedAt: string,
  crypto: EvidenceCrypto,
  payloadText?: string,
): EvidenceEntry {
  if (parseTimestamp(recordedAt) === null) {
    throw new TypeError(
      `createEntry: recorded_at '${recordedAt}' is not an RFC 3339 timestamp with an offset`,
    );
  }
  const sequence = head === null ? 0 : head.sequence + 1;
  const previousHash = head === null ? null : head.entry_hash;
  const [before, after] = envelope(kind, previousHash, recordedAt, ENTRY_SCHEMA, sequence);
  const digest = sha256Pieces(before, payloadText ?? canonicalJson(payload), after, crypto);
  return {
    schema_version: ENTRY_SCHEMA,
    sequence,
    kind,
    recorded_at: recordedAt,
    payload,
    previous_hash: previousHash,
    entry_hash: toHex(digest),
  };
}

/**
 * The JCS text of a whole entry, assembled around its payload's JCS text without re-serialising the payload.
 * A store that keeps `canonicalJson(payload)` in a column can rebuild each entry's exact text cheaply and pass
 * it to `verifyLog` (`texts`), which then hashes bytes instead of canonicalising every entry again.
 */
export function canonicalEntryText(entry: EvidenceEntry, payloadText: string): string {
  const previous = entry.previous_hash === null ? 'null' : canonicalJson(entry.previous_hash);
  return (
    `{"entry_hash":${canonicalJson(entry.entry_hash)},"kind":${canonicalJson(entry.kind)},"payload":${payloadText},` +
    `"previous_hash":${previous},"recorded_at":${canonicalJson(entry.recorded_at)},` +
    `"schema_version":${canonicalJson(entry.schema_version)},"sequence":${canonicalJson(entry.sequence)}}`
  );
}

/** The head a log has after `entry` was appended. */
export function headOf(entry: EvidenceEntry): LogHead {
  return { sequence: entry.sequence, entry_hash: entry.entry_hash };
}

/** True when the entry's `entry_hash` matches its content. */
export function verifyEntryHash(entry: EvidenceEntry, crypto: EvidenceCrypto): boolean {
  return computeEntryHash(entry, crypto) === entry.entry_hash;
}

/**
 * The entry's RFC 6962 Merkle leaf hash: `SHA-256(0x00 || entry_hash bytes)`. Hashing the 32-byte entry
 * hash (not the JSON again) keeps tree work independent of payload size.
 * @throws TypeError when `entry_hash` is not 64 lowercase hex characters.
 */
export function entryLeafHash(entry: Pick<EvidenceEntry, 'entry_hash'>, crypto: EvidenceCrypto): Uint8Array {
  const digest = fromHex(entry.entry_hash);
  if (digest?.length !== 32)
    throw new TypeError(`entry_hash '${entry.entry_hash}' is not a SHA-256 hex digest`);
  return leafHash(digest, crypto);
}
