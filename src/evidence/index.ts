/**
 * The evidence plane's public entry (issue 3): a hash-chained, Merkle-tree log of JCS-canonical entries,
 * C2SP signed checkpoints, inclusion and consistency proofs, trust roots, offline verification, JSONL
 * export and session summaries. Pure: crypto and clock are inputs, no I/O (docs/evidence-log.md).
 */
export {
  bytesEqual,
  canonicalBytes,
  canonicalJson,
  fromBase64,
  fromHex,
  isSha256Hex,
  toBase64,
  toHex,
  utf8,
} from './canonical';
export {
  CHECKPOINT_SCHEMA,
  TIMESTAMP_EXTENSION,
  checkpointTimestamp,
  formatCheckpoint,
  isCheckpointDue,
  logOrigin,
  openCheckpointRecord,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type CheckpointInput,
  type CheckpointPolicy,
  type CheckpointRecord,
  type OpenedCheckpoint,
} from './checkpoint';
export { ed25519PublicKey, nobleCrypto } from './crypto';
export {
  ENTRY_KINDS,
  ENTRY_SCHEMA,
  canonicalEntryText,
  computeEntryHash,
  createEntry,
  entryHashInput,
  entryLeafHash,
  headOf,
  unhashedEntryText,
  verifyEntryHash,
  type UnhashedEntry,
} from './entry';
export { exportJsonl, importJsonl, parseJsonl, verifyJsonl, type JsonlDocument } from './jsonl';
export {
  decodePrivateKeyPem,
  decodePublicKeyPem,
  defaultKeyId,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  generateKeyPair,
  keyPairFromPrivateKey,
  publicKeyFingerprint,
  type EvidenceKeyPair,
} from './keys';
export { LogWriter, type LogWriterState } from './log-writer';
export {
  MerkleFrontier,
  MerkleTree,
  emptyRoot,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
  type FrontierState,
} from './merkle';
export {
  formatVerifierKey,
  isValidKeyName,
  noteKeyId,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNoteSignature,
  type NoteSignature,
  type NoteSigner,
  type ParsedNote,
} from './note';
export {
  SESSION_DEFAULTS,
  SESSION_SCHEMA,
  summarizeSession,
  summarizeSessions,
  type SessionState,
  type SessionSummary,
} from './session';
export { parseTimestamp } from './time';
export {
  TRUST_ROOT_BUNDLE_SCHEMA,
  TRUST_ROOT_SCHEMA,
  createTrustRoot,
  createTrustRootBundle,
  keyUsableAt,
  parseTrustRoots,
  type KeyUsability,
  type TrustRoot,
  type TrustRootBundle,
  type TrustRootInput,
  type TrustRootStatus,
} from './trust-root';
export type {
  EntryKind,
  EvidenceCrypto,
  EvidenceEntry,
  EvidenceError,
  EvidenceResult,
  LogHead,
  VerificationIssue,
  VerificationReport,
} from './types';
export { verifyCheckpoint, type CheckpointCheck, type CheckpointVerification } from './verify-checkpoint';
export {
  LogVerifier,
  PROGRESS_INTERVAL,
  hashStoredEntry,
  verifyLog,
  type LogTrust,
  type LogVerifierOptions,
  type StoredEntry,
  type VerifyOptions,
  type VerifyProgress,
} from './verify-log';
