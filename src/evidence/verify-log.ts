/**
 * Whole-log verification: one pass over the entries (shape, sequence, hash chain, entry hashes, Merkle tree)
 * that checks every signed checkpoint's root at its size, plus rollback detection against a checkpoint the
 * auditor trusted earlier. Every problem is collected; what could not be verified is a warning, never silence.
 */
import { bytesEqual, toHex } from './canonical';
import { checkpointTimestamp, type CheckpointRecord } from './checkpoint';
import { ENTRY_KINDS, ENTRY_SCHEMA, canonicalEntryText } from './entry';
import { checkEntryShape, entryIssue, hashEntry } from './entry-shape';
import { MerkleFrontier, leafHash } from './merkle';
import { parseTimestamp } from './time';
import type { TrustRoot } from './trust-root';
import type { EvidenceCrypto, EvidenceEntry, VerificationIssue, VerificationReport } from './types';
import { openTargets, type CheckpointTarget as Target } from './verify-checkpoint';

/** What the verifier trusts: keys, the log's identity, and the newest checkpoint it accepted before. */
export type LogTrust = {
  /** Trust roots for checkpoint signatures. None: signatures are reported as unverified (a warning). */
  roots: readonly TrustRoot[];
  /** The log's origin (`cavra.dev/evidence/<log-id>`). Absent: the first checkpoint's origin is used. */
  origin?: string;
  /**
   * A checkpoint accepted on an earlier verification (kept by the auditor, not taken from the log). The log
   * must still contain its tree; without it a rollback to an older log cannot be ruled out (a warning).
   */
  trustedCheckpoint?: CheckpointRecord;
};

/** Progress of a long verification. */
export type VerifyProgress = { done: number; total: number };

/** Entries between two progress callbacks. */
export const PROGRESS_INTERVAL = 10_000;

/** One entry as read: its value and, when the source has them, its canonical text and file line. */
export type SourceEntry = { value: unknown; text?: string; line?: number };

/**
 * A log's entries, read one position at a time so a large file is never held parsed in memory. `read`
 * returns `parseError` for a record that could not be read at all (it is reported and skipped).
 */
export type EntrySource = {
  count: number;
  read(position: number): SourceEntry | { parseError: VerificationIssue };
};

/** Options of {@link verifyLog}. */
export type VerifyOptions = {
  onProgress?: (progress: VerifyProgress) => void;
  /**
   * The RFC 8785 text of each entry (same index), when the caller already has it (a store that keeps it,
   * see `canonicalEntryText`): hashed as is instead of re-serialising the entry; a text that is not the
   * entry's canonical form is an error (`entry_text_not_canonical`).
   */
  texts?: readonly (string | undefined)[];
};

/**
 * Verifies a log and its checkpoints. `entries` are in log order as stored; `checkpoints` in any order.
 * Errors name the entry sequence (or checkpoint size) they concern; `valid` is true only without errors.
 */
export function verifyLog(
  entries: readonly EvidenceEntry[],
  checkpoints: readonly CheckpointRecord[],
  trust: LogTrust,
  crypto: EvidenceCrypto,
  options: VerifyOptions | ((progress: VerifyProgress) => void) = {},
): VerificationReport {
  const { onProgress, texts } =
    typeof options === 'function' ? { onProgress: options, texts: undefined } : options;
  const source: EntrySource = {
    count: entries.length,
    read: (i) => {
      const text = texts?.[i];
      return text === undefined ? { value: entries[i] } : { value: entries[i], text };
    },
  };
  return verifyEntrySource(source, checkpoints, trust, crypto, onProgress);
}

/** {@link verifyLog} over an {@link EntrySource} (the JSONL reader streams its lines through it). */
export function verifyEntrySource(
  source: EntrySource,
  checkpoints: readonly unknown[],
  trust: LogTrust,
  crypto: EvidenceCrypto,
  onProgress?: (progress: VerifyProgress) => void,
): VerificationReport {
  const verifier = new LogVerifier(checkpoints, trust, crypto, {
    total: source.count,
    ...(onProgress !== undefined && { onProgress }),
  });
  for (let i = 0; i < source.count; i++) {
    const read = source.read(i);
    if ('parseError' in read) verifier.addParseError(read.parseError);
    else verifier.add(read.value, read.text, read.line);
  }
  return verifier.finish();
}

/**
 * An entry as a store keeps it: the fields as columns and the payload as its RFC 8785 text
 * (`canonicalJson(payload)`), which {@link LogVerifier.addStored} hashes without parsing it.
 */
export type StoredEntry = {
  sequence: number;
  schema_version: string;
  kind: string;
  recorded_at: string;
  previous_hash: string | null;
  entry_hash: string;
  /** The payload's canonical text. */
  payload: string;
};

/** Options of {@link LogVerifier}. */
export type LogVerifierOptions = {
  onProgress?: (progress: VerifyProgress) => void;
  /** How many entries will be added, when known (for progress). */
  total?: number;
};

const KNOWN_KINDS: ReadonlySet<string> = new Set(ENTRY_KINDS);
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// WHATWG TextEncoder (see canonical.ts); only `encodeInto` is used here.
declare const TextEncoder: new () => {
  encodeInto(input: string, destination: Uint8Array): { read: number; written: number };
};
const encoder = new TextEncoder();
/** The bytes of the entry being hashed (reused: hashing is synchronous and ports keep no input). */
let scratch = new Uint8Array(1 << 16);

/** Writes ASCII text at `at`; returns the offset after it. The caller knows the text is ASCII. */
function putAscii(text: string, at: number): number {
  for (let i = 0; i < text.length; i++) scratch[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * SHA-256 of the text `entry_hash` covers ({@link unhashedEntryText}), written straight into bytes: no string is
 * assembled and the payload is encoded once. Only for entries whose envelope fields passed the fast-path checks:
 * known kind, RFC 3339 time, the v1 schema tag, a hex or null link, so every one of them is plain ASCII that
 * JCS writes as is.
 */
export function hashStoredEntry(stored: StoredEntry, crypto: EvidenceCrypto): Uint8Array {
  const payload = stored.payload;
  const need = payload.length * 3 + 256;
  if (scratch.length < need) scratch = new Uint8Array(need * 2);
  let at = putAscii('{"kind":"', 0);
  at = putAscii(stored.kind, at);
  at = putAscii('","payload":', at);
  at += encoder.encodeInto(payload, scratch.subarray(at)).written;
  at = putAscii(',"previous_hash":', at);
  at = putAscii(stored.previous_hash === null ? 'null' : `"${stored.previous_hash}"`, at);
  at = putAscii(',"recorded_at":"', at);
  at = putAscii(stored.recorded_at, at);
  at = putAscii('","schema_version":"', at);
  at = putAscii(stored.schema_version, at);
  at = putAscii('","sequence":', at);
  at = putAscii(String(stored.sequence), at);
  at = putAscii('}', at);
  return crypto.sha256(scratch.subarray(0, at));
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** True when `hex` is the lowercase hex of `digest` (so also a well-formed hash), without building a string. */
function digestIsHex(digest: Uint8Array, hex: string): boolean {
  if (hex.length !== digest.length * 2) return false;
  for (let i = 0; i < digest.length; i++) {
    const byte = digest[i] ?? 0;
    if (
      hex.charCodeAt(2 * i) !== HEX_CODES[byte >> 4] ||
      hex.charCodeAt(2 * i + 1) !== HEX_CODES[byte & 15]
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Verification of a log fed one entry at a time, in log order, so a reader (a file, a database cursor) never
 * holds the log in memory: the single pass of {@link verifyLog} (shape, sequence, hash chain, entry hashes,
 * Merkle tree, every checkpoint root at its size). {@link finish} adds what only the whole log can tell.
 */
export class LogVerifier {
  readonly #errors: VerificationIssue[] = [];
  readonly #warnings: VerificationIssue[] = [];
  readonly #targets: ReadonlyMap<number, Target[]>;
  readonly #checkpointCount: number;
  readonly #trust: LogTrust;
  readonly #crypto: EvidenceCrypto;
  readonly #frontier: MerkleFrontier;
  readonly #onProgress: ((progress: VerifyProgress) => void) | undefined;
  readonly #total: number | undefined;
  /** Entries from this position on are beyond every signed checkpoint: no signature vouches for their bytes. */
  readonly #unvouchedFrom: number;
  #covered = 0;
  #expected = 0;
  /** Records added (entries and unreadable records), for progress. */
  #added = 0;
  /** Readable entries so far: the next entry's position, and at the end the log's size. */
  #position = 0;
  // The entry before the current one, if any.
  #hasPrevious = false;
  #previousSequence: number | null = null;
  #previousHash: unknown = null;
  #previousValidHash: string | null = null;
  #previousRecordedAt: number | null = null;

  constructor(
    checkpoints: readonly unknown[],
    trust: LogTrust,
    crypto: EvidenceCrypto,
    options: LogVerifierOptions = {},
  ) {
    this.#trust = trust;
    this.#crypto = crypto;
    this.#checkpointCount = checkpoints.length;
    this.#onProgress = options.onProgress;
    this.#total = options.total;
    this.#frontier = new MerkleFrontier(crypto);
    this.#targets = openTargets(checkpoints, trust, crypto, this.#errors, this.#warnings);
    let vouched = 0;
    for (const [size, targets] of this.#targets) {
      if (targets.some((t) => t.isSigned && !t.isTrusted)) vouched = Math.max(vouched, size);
    }
    this.#unvouchedFrom = vouched;
    this.#checkTargets(0, null);
  }

  /** A record that could not be read at all (reported, and not part of the log's entries). */
  addParseError(issue: VerificationIssue): void {
    this.#errors.push(issue);
    this.#progress();
  }

  /**
   * The next entry, as parsed from its source (any value: everything is checked). `text`: its canonical text
   * when the source has it (a JSONL line, `canonicalEntryText` of a store row), hashed as is.
   */
  add(value: unknown, text?: string, line?: number): void {
    const errors = this.#errors;
    const facts = checkEntryShape(
      value,
      this.#position++,
      line,
      this.#previousValidHash,
      errors,
      this.#warnings,
    );
    const { place, recordedAt } = facts;
    const entry = (facts.isObject ? value : {}) as Record<string, unknown>;
    const error = (code: string, detail: string): void => void errors.push(entryIssue(place, code, detail));
    const s = place.sequence;
    if (s !== null) {
      if (s !== this.#expected) {
        if (this.#hasPrevious && this.#previousSequence === s)
          error('sequence_duplicate', `appears twice (position ${place.position})`);
        else if (s > this.#expected)
          error('sequence_gap', `entries ${this.#expected}..${s - 1} are missing before it`);
        else
          error(
            'sequence_out_of_order',
            `comes after entry ${this.#expected - 1} (position ${place.position})`,
          );
      }
      this.#expected = Math.max(this.#expected, s + 1);
    }
    if (this.#hasPrevious && entry.previous_hash !== this.#previousHash) {
      error('previous_hash_mismatch', 'previous_hash does not match the entry_hash of the entry before it');
    }
    if (this.#previousRecordedAt !== null && recordedAt !== null && recordedAt < this.#previousRecordedAt) {
      this.#warnings.push(
        entryIssue(place, 'recorded_at_decreasing', 'recorded_at is earlier than the previous entry'),
      );
    }
    const digest = hashEntry(entry, facts.entryHash, text, this.#crypto, error);
    this.#accept(digest, recordedAt, s, entry.entry_hash, facts.entryHash);
  }

  /**
   * The next entry as a store keeps it. An entry with nothing to report (the common case) is checked on its
   * columns and its hash computed over its stored canonical text, with no parsing and no re-serialising: a text
   * whose bytes hash to the entry's own `entry_hash` is byte for byte what the writer hashed. Any irregularity,
   * and every entry beyond the last signed checkpoint (which no signature vouches for), takes the full path of
   * {@link add} on the parsed entry, so the same errors are reported with the same codes.
   */
  addStored(stored: StoredEntry): void {
    const text = stored.payload;
    const recordedAt = parseTimestamp(stored.recorded_at);
    const isRegular =
      this.#isRegular(stored, recordedAt) &&
      text.charCodeAt(0) === OPEN_BRACE &&
      text.charCodeAt(text.length - 1) === CLOSE_BRACE;
    if (isRegular && this.#acceptHashed(stored, hashStoredEntry(stored, this.#crypto), recordedAt)) return;
    this.#addParsed(stored);
  }

  /**
   * Entries from this sequence on are beyond the last checkpoint a trusted key signed: {@link tryAddHashed}
   * declines them (they take the full path of {@link add}, which reports what no signature vouches for).
   */
  get vouchedUntil(): number {
    return this.#unvouchedFrom;
  }

  /**
   * The next entry as a store keeps it, without its payload, with the digest another thread computed over its
   * stored text ({@link hashStoredEntry}, which also requires the payload to be a JSON object's text: `{…}`;
   * null when it is not). Accepts the entry when that is the whole story, exactly as {@link addStored} would;
   * otherwise changes nothing and returns false: the caller then passes the full row to {@link addStored}.
   */
  tryAddHashed(stored: Omit<StoredEntry, 'payload'>, digest: Uint8Array | null): boolean {
    if (digest === null) return false;
    const recordedAt = parseTimestamp(stored.recorded_at);
    return this.#isRegular(stored, recordedAt) && this.#acceptHashed(stored, digest, recordedAt);
  }

  /** The fast path's conditions on an entry's columns (its payload is checked by the caller). */
  #isRegular(stored: Omit<StoredEntry, 'payload'>, recordedAt: number | null): recordedAt is number {
    const s = stored.sequence;
    return (
      s === this.#expected &&
      s < this.#unvouchedFrom &&
      (s === 0
        ? !this.#hasPrevious && stored.previous_hash === null
        : this.#hasPrevious &&
          this.#previousSequence === s - 1 &&
          this.#previousValidHash !== null &&
          stored.previous_hash === this.#previousValidHash) &&
      stored.schema_version === ENTRY_SCHEMA &&
      KNOWN_KINDS.has(stored.kind) &&
      recordedAt !== null &&
      (this.#previousRecordedAt === null || recordedAt >= this.#previousRecordedAt)
    );
  }

  /** Accepts a regular entry whose digest is its `entry_hash`; false (nothing changed) when it is not. */
  #acceptHashed(stored: Omit<StoredEntry, 'payload'>, digest: Uint8Array, recordedAt: number): boolean {
    if (!digestIsHex(digest, stored.entry_hash)) return false;
    const s = stored.sequence;
    this.#position++;
    this.#expected = s + 1;
    this.#accept(digest, recordedAt, s, stored.entry_hash, stored.entry_hash);
    return true;
  }

  /** The full path for a stored row: parsed, then checked as {@link add} checks any entry. */
  #addParsed(stored: StoredEntry): void {
    const s = stored.sequence;
    const text = stored.payload;
    let payload: unknown;
    let isParsed = true;
    try {
      payload = JSON.parse(text);
    } catch {
      // Reported by the shape check (a string is not an object); the hash check reports the mismatch.
      payload = text;
      isParsed = false;
    }
    const entry = {
      schema_version: stored.schema_version,
      sequence: s,
      kind: stored.kind,
      recorded_at: stored.recorded_at,
      payload,
      previous_hash: stored.previous_hash,
      entry_hash: stored.entry_hash,
    };
    const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
    this.add(entry, isParsed && isObject ? canonicalEntryText(entry as EvidenceEntry, text) : undefined);
  }

  /** The report: every error and warning found, and what could not be verified. */
  finish(): VerificationReport {
    const errors = this.#errors;
    const warnings = this.#warnings;
    const total = this.#position;
    const covered = this.#covered;
    for (const target of [...this.#targets.values()].flat()) {
      if (target.opened.checkpoint.size <= total) continue;
      const size = target.opened.checkpoint.size;
      errors.push(
        target.isTrusted
          ? {
              code: 'log_rollback',
              message: `the log has ${total} entries but the trusted checkpoint covers ${size}: it was truncated or rolled back`,
            }
          : {
              code: 'checkpoint_beyond_log',
              message: `${target.label} covers ${size} entries but the log has ${total}: entries ${total}..${size - 1} are missing`,
            },
      );
    }
    if (this.#trust.trustedCheckpoint === undefined) {
      warnings.push({
        code: 'rollback_unchecked',
        message:
          'no previously trusted checkpoint was given, so a rollback to an older log cannot be ruled out',
      });
    }
    if (covered < total) {
      warnings.push({
        code: 'tail_not_checkpointed',
        message: `entries ${covered}..${total - 1} are hash-chained but no verified checkpoint covers them`,
        sequence: covered,
      });
    }
    const signed = [...this.#targets.values()].flat().filter((t) => t.isSigned && !t.isTrusted).length;
    return {
      valid: errors.length === 0,
      errors,
      warnings,
      checked: {
        entries: total,
        checkpoints: this.#checkpointCount,
        checkpoints_verified: signed,
        covered_entries: covered,
      },
    };
  }

  /** Appends the entry's leaf, checks checkpoints at the new size, and remembers it as the previous entry. */
  #accept(
    digest: Uint8Array,
    recordedAt: number | null,
    sequence: number | null,
    rawHash: unknown,
    validHash: string | null,
  ): void {
    this.#frontier.append(leafHash(digest, this.#crypto));
    this.#checkTargets(this.#frontier.size, recordedAt);
    this.#hasPrevious = true;
    this.#previousSequence = sequence;
    this.#previousHash = rawHash;
    this.#previousValidHash = validHash;
    this.#previousRecordedAt = recordedAt;
    this.#progress();
  }

  #checkTargets(size: number, recordedAt: number | null): void {
    const targets = this.#targets.get(size);
    if (targets === undefined) return;
    for (const target of targets) {
      if (
        checkRoot(target, this.#frontier, recordedAt, this.#errors, this.#warnings) &&
        target.isSigned &&
        !target.isTrusted
      ) {
        this.#covered = Math.max(this.#covered, size);
      }
    }
  }

  #progress(): void {
    this.#added += 1;
    const onProgress = this.#onProgress;
    if (onProgress === undefined) return;
    const total = this.#total ?? this.#added;
    if (this.#added % PROGRESS_INTERVAL === 0 || this.#added === total) {
      onProgress({ done: this.#added, total });
    }
  }
}

/** Compares a checkpoint's root with the tree at its size; true when it matches. */
function checkRoot(
  target: Target,
  frontier: MerkleFrontier,
  lastRecordedAt: number | null,
  errors: VerificationIssue[],
  warnings: VerificationIssue[],
): boolean {
  const { checkpoint } = target.opened;
  if (!bytesEqual(frontier.root(), checkpoint.rootHash)) {
    const range = checkpoint.size === 0 ? 'the empty log' : `entries 0..${checkpoint.size - 1}`;
    errors.push(
      target.isTrusted
        ? {
            code: 'log_fork',
            message: `the log's history differs from the trusted checkpoint at size ${checkpoint.size}`,
          }
        : {
            code: 'checkpoint_root_mismatch',
            message: `${target.label}: root ${toHex(checkpoint.rootHash)} does not match ${range} (entries changed, removed, inserted or reordered)`,
          },
    );
    return false;
  }
  const signedAt = checkpointTimestamp(checkpoint);
  const signedMicros = signedAt === null ? null : parseTimestamp(signedAt);
  if (
    !target.isTrusted &&
    signedMicros !== null &&
    lastRecordedAt !== null &&
    signedMicros < lastRecordedAt
  ) {
    warnings.push({
      code: 'checkpoint_predates_entries',
      message: `${target.label}: signed at ${String(signedAt)}, before entry ${checkpoint.size - 1} was recorded`,
      sequence: checkpoint.size - 1,
    });
  }
  return true;
}
