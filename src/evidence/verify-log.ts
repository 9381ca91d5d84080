/**
 * Whole-log verification: one pass over the entries (shape, sequence, hash chain, entry hashes, Merkle tree)
 * that checks every signed checkpoint's root at its size, plus rollback detection against a checkpoint the
 * auditor trusted earlier. Every problem is collected; what could not be verified is a warning, never silence.
 */
import { bytesEqual, toHex } from './canonical';
import { checkpointTimestamp, type CheckpointRecord } from './checkpoint';
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
  const errors: VerificationIssue[] = [];
  const warnings: VerificationIssue[] = [];
  const targets = openTargets(checkpoints, trust, crypto, errors, warnings);
  const { covered, size: total } = walkEntries(source, targets, crypto, errors, warnings, onProgress);

  for (const target of [...targets.values()].flat()) {
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
  if (trust.trustedCheckpoint === undefined) {
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
  const signed = [...targets.values()].flat().filter((t) => t.isSigned && !t.isTrusted).length;
  return {
    valid: errors.length === 0,
    errors,
    warnings,
    checked: {
      entries: total,
      checkpoints: checkpoints.length,
      checkpoints_verified: signed,
      covered_entries: covered,
    },
  };
}

/**
 * The single pass over the entries. Returns the log size (readable entries) and how many leading entries a
 * good signed checkpoint covers.
 */
function walkEntries(
  source: EntrySource,
  targets: ReadonlyMap<number, Target[]>,
  crypto: EvidenceCrypto,
  errors: VerificationIssue[],
  warnings: VerificationIssue[],
  onProgress?: (progress: VerifyProgress) => void,
): { covered: number; size: number } {
  const frontier = new MerkleFrontier(crypto);
  let covered = 0;
  let expected = 0;
  // The entry before the current one, if any.
  let hasPrevious = false;
  let previousSequence: number | null = null;
  let previousHash: unknown = null;
  let previousValidHash: string | null = null;
  let previousRecordedAt: number | null = null;
  const checkTargets = (size: number, recordedAt: number | null): void => {
    for (const target of targets.get(size) ?? []) {
      if (checkRoot(target, frontier, recordedAt, errors, warnings) && target.isSigned && !target.isTrusted) {
        covered = Math.max(covered, size);
      }
    }
  };
  checkTargets(0, null);
  let position = 0;
  for (let i = 0; i < source.count; i++) {
    const read = source.read(i);
    if ('parseError' in read) {
      errors.push(read.parseError);
      continue;
    }
    const { value, text } = read;
    const facts = checkEntryShape(value, position++, read.line, previousValidHash, errors, warnings);
    const { place, recordedAt } = facts;
    const entry = (facts.isObject ? value : {}) as Record<string, unknown>;
    const error = (code: string, detail: string): void => void errors.push(entryIssue(place, code, detail));
    const s = place.sequence;
    if (s !== null) {
      if (s !== expected) {
        if (hasPrevious && previousSequence === s)
          error('sequence_duplicate', `appears twice (position ${place.position})`);
        else if (s > expected) error('sequence_gap', `entries ${expected}..${s - 1} are missing before it`);
        else error('sequence_out_of_order', `comes after entry ${expected - 1} (position ${place.position})`);
      }
      expected = Math.max(expected, s + 1);
    }
    if (hasPrevious && entry.previous_hash !== previousHash) {
      error('previous_hash_mismatch', 'previous_hash does not match the entry_hash of the entry before it');
    }
    if (previousRecordedAt !== null && recordedAt !== null && recordedAt < previousRecordedAt) {
      warnings.push(
        entryIssue(place, 'recorded_at_decreasing', 'recorded_at is earlier than the previous entry'),
      );
    }
    const digest = hashEntry(entry, facts.entryHash, text, crypto, error);
    frontier.append(leafHash(digest, crypto));
    checkTargets(frontier.size, recordedAt);
    hasPrevious = true;
    previousSequence = s;
    previousHash = entry.entry_hash;
    previousValidHash = facts.entryHash;
    previousRecordedAt = recordedAt;
    if (onProgress !== undefined && ((i + 1) % PROGRESS_INTERVAL === 0 || i + 1 === source.count)) {
      onProgress({ done: i + 1, total: source.count });
    }
  }
  return { covered, size: position };
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
