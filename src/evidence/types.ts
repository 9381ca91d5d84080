/**
 * Shared types of the evidence plane (issue 3). The evidence layer is pure: it runs in Node and in the browser,
 * takes its clock and crypto as inputs, and never does I/O.
 */
import type { JsonObject } from '../engine';

/** What a log entry records. Extensible: new kinds are added here, never by reusing one. */
export type EntryKind =
  'decision' | 'approval' | 'break_glass' | 'session' | 'policy_publication' | 'operations' | 'delivery';

/**
 * One entry of the evidence log (`cavra.evidence.entry.v1`).
 * - `sequence` is 0-based and equals the entry's leaf index in the Merkle tree.
 * - `entry_hash` = lowercase hex SHA-256 of the RFC 8785 (JCS) bytes of the entry without `entry_hash`.
 * - `previous_hash` is the previous entry's `entry_hash` (null for sequence 0).
 * - The Merkle leaf for the entry is RFC 6962 `SHA-256(0x00 || entry_hash bytes)`.
 */
export type EvidenceEntry = {
  schema_version: 'cavra.evidence.entry.v1';
  sequence: number;
  kind: EntryKind;
  recorded_at: string;
  payload: JsonObject;
  previous_hash: string | null;
  entry_hash: string;
};

/** The tip of a log: what the next append chains onto. */
export type LogHead = { sequence: number; entry_hash: string } | null;

/** Crypto the evidence layer needs, injectable so Node can use native code and the browser pure JS. */
export interface EvidenceCrypto {
  /** SHA-256 of `data`. INVARIANT: `data` may be a view into a reused buffer; do not keep a reference. */
  sha256(data: Uint8Array): Uint8Array;
  ed25519Sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array;
}

/** One problem found while verifying; verification collects all of them. */
export type VerificationIssue = {
  /** Stable machine code, e.g. `entry_hash_mismatch`, `checkpoint_signature_invalid`. */
  code: string;
  message: string;
  /** The entry sequence or file the issue is about, when there is one. */
  sequence?: number;
  file?: string;
  /** 1-based line of the input file (JSONL import). */
  line?: number;
};

/** An expected failure (bad input, unknown key …) as a value with a stable code (STYLE.md §5). */
export type EvidenceError = { code: string; message: string };

/** A value or an {@link EvidenceError}. */
export type EvidenceResult<T> = { ok: true; value: T } | { ok: false; error: EvidenceError };

/** The outcome of a verification: errors make it invalid; warnings say what could not be verified. */
export type VerificationReport = {
  valid: boolean;
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
  /** What was checked, for the report (`entries`, `checkpoints`, `files` …). */
  checked: Record<string, number>;
};
