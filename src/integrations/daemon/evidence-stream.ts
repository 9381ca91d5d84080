/**
 * The daemon's own evidence: a JSONL stream in upstream's Go daemon format (`cavra.go-daemon.evidence.v1`,
 * reference §1.8), hash-chained and optionally HMAC-signed, so upstream's verifier and ours read the same
 * files. Appends are synchronous: the daemon's decide-and-append runs without an await in between, so
 * concurrent clients can never interleave two records' sequence numbers.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { goJson, goTimestamp } from './go-json';

export const DAEMON_EVIDENCE_SCHEMA = 'cavra.go-daemon.evidence.v1';
const EVENT_TYPE = 'cavra.go_daemon.decision';
const SIGNATURE_ALGORITHM = 'HMAC-SHA256';

/** An HMAC key for signing or verifying records. */
export type StreamKey = { keyId: string; secret: Uint8Array };

/** One record, in Go struct-field order. */
export type DaemonEvidenceRecord = {
  schema_version: string;
  product: 'CAVRA';
  event_type: string;
  record_id: string;
  sequence: number;
  previous_hash?: string;
  record_hash: string;
  timestamp: string;
  request: unknown;
  response: unknown;
  signature?: { algorithm: string; key_id: string; value: string };
};

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `record_hash`: sha256 of the record's Go encoding with `record_hash` (omitempty) and `signature` left out. */
export function daemonRecordHash(record: Readonly<Record<string, unknown>>): string {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'record_hash' && key !== 'signature') rest[key] = value;
  }
  return sha256Hex(goJson(rest));
}

/** The HMAC over the chain link: `cavra.go-daemon.evidence.v1\n<previous_hash>\n<record_hash>`, lowercase hex. */
export function daemonSignature(key: StreamKey, previousHash: string, recordHash: string): string {
  return createHmac('sha256', key.secret)
    .update(`${DAEMON_EVIDENCE_SCHEMA}\n${previousHash}\n${recordHash}`)
    .digest('hex');
}

/** A response as an object whose `evidence_refs` can be extended. */
type Response = Record<string, unknown> & { evidence_refs?: unknown };

/** Appends decisions to one stream file; state (last sequence and hash) is read from the file once. */
export class DaemonEvidenceStream {
  readonly path: string;
  private readonly key: StreamKey | undefined;
  private sequence = 0;
  private lastHash = '';

  constructor(path: string, key?: StreamKey) {
    this.path = path;
    this.key = key;
    if (existsSync(path)) this.resume(readFileSync(path, 'utf8'));
  }

  /** Whether records are HMAC-signed. */
  get isSigned(): boolean {
    return this.key !== undefined;
  }

  /** Records written so far (including those found in the file at start). */
  get size(): number {
    return this.sequence;
  }

  private resume(text: string): void {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const last = lines.at(-1);
    if (last === undefined) return;
    const record = JSON.parse(last) as { sequence?: unknown; record_hash?: unknown };
    if (typeof record.sequence !== 'number' || typeof record.record_hash !== 'string') {
      throw new Error(`${this.path}: the last record has no sequence or record_hash; verify the stream`);
    }
    this.sequence = record.sequence;
    this.lastHash = record.record_hash;
  }

  /**
   * Records one exchange and returns the response with `go-daemon-evidence://<record_id>` added to its
   * evidence refs (the record itself holds the response as it was before the ref was added).
   */
  append<T extends Response>(request: unknown, response: T, now: Date): T {
    const timestamp = goTimestamp(now);
    const recordId = sha256Hex(`${goJson(request)}\n${goJson(response)}\n${goJson(timestamp)}\n`).slice(
      0,
      24,
    );
    const refs = Array.isArray(response.evidence_refs) ? (response.evidence_refs as unknown[]) : [];
    const answered = { ...response, evidence_refs: [...refs, `go-daemon-evidence://${recordId}`] };
    const record: DaemonEvidenceRecord = {
      schema_version: DAEMON_EVIDENCE_SCHEMA,
      product: 'CAVRA',
      event_type: EVENT_TYPE,
      record_id: recordId,
      sequence: this.sequence + 1,
      ...(this.lastHash !== '' && { previous_hash: this.lastHash }),
      record_hash: '',
      timestamp,
      request,
      response: answered,
    };
    record.record_hash = daemonRecordHash(record);
    if (this.key !== undefined) {
      record.signature = {
        algorithm: SIGNATURE_ALGORITHM,
        key_id: this.key.keyId,
        value: daemonSignature(this.key, this.lastHash, record.record_hash),
      };
    }
    appendFileSync(this.path, `${goJson(record)}\n`, { mode: 0o600 });
    this.sequence = record.sequence;
    this.lastHash = record.record_hash;
    return answered;
  }
}

/** Upstream's verify report (`{path, valid, records, signed_records, errors}`). */
export type DaemonEvidenceReport = {
  path: string;
  valid: boolean;
  records: number;
  signed_records: number;
  errors: string[];
};

/**
 * Verifies a stream: schema, sequence, chain, hashes, and signatures (a signed record without a key is an
 * error, as upstream). Record numbers in messages are 1-based lines of non-empty records.
 */
export function verifyDaemonEvidence(text: string, path: string, key?: StreamKey): DaemonEvidenceReport {
  const errors: string[] = [];
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let previous = '';
  let signed = 0;
  lines.forEach((line, index) => {
    const n = index + 1;
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      record = parsed as Record<string, unknown>;
    } catch {
      errors.push(`record ${n} is not valid JSON`);
      return;
    }
    if (record['schema_version'] !== DAEMON_EVIDENCE_SCHEMA) errors.push(`record ${n}: schema mismatch`);
    if (record['sequence'] !== n)
      errors.push(`record ${n}: sequence mismatch: got ${String(record['sequence'])} want ${n}`);
    if ((record['previous_hash'] ?? '') !== previous) errors.push(`record ${n}: previous hash mismatch`);
    const recordHash = typeof record['record_hash'] === 'string' ? record['record_hash'] : '';
    if (daemonRecordHash(record) !== recordHash) errors.push(`record ${n}: hash mismatch`);
    const signature = record['signature'];
    if (signature !== undefined) {
      signed += 1;
      errors.push(...checkSignature(n, signature, previous, recordHash, key));
    }
    previous = recordHash;
  });
  if (lines.length === 0) errors.push('evidence stream is empty');
  return { path, valid: errors.length === 0, records: lines.length, signed_records: signed, errors };
}

function checkSignature(
  n: number,
  signature: unknown,
  previous: string,
  recordHash: string,
  key: StreamKey | undefined,
): string[] {
  const fields =
    typeof signature === 'object' && signature !== null ? (signature as Record<string, unknown>) : {};
  if (fields['algorithm'] !== SIGNATURE_ALGORITHM) return [`record ${n}: signature algorithm mismatch`];
  if (key === undefined) return [`record ${n}: signature present but verification key was not provided`];
  if (fields['key_id'] !== key.keyId) return [`record ${n}: signature key_id mismatch`];
  const expected = Buffer.from(daemonSignature(key, previous, recordHash), 'hex');
  const given = Buffer.from(typeof fields['value'] === 'string' ? fields['value'] : '', 'hex');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  return matches ? [] : [`record ${n}: signature mismatch`];
}
