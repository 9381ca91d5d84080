/**
 * Checking a checkpoint's signatures against trust roots: C2SP note semantics (ignore unknown keys, reject
 * on any failing known key, require one good one) plus CAVRA's key status and validity-window rule.
 */
import {
  checkpointTimestamp,
  openCheckpointRecord,
  type Checkpoint,
  type OpenedCheckpoint,
} from './checkpoint';
import { decodePublicKeyPem } from './keys';
import { noteKeyId, verifyNoteSignature, type NoteSignature } from './note';
import { keyUsableAt, type TrustRoot } from './trust-root';
import type { EvidenceCrypto, VerificationIssue } from './types';
import type { LogTrust } from './verify-log';

type TrustedKey = { root: TrustRoot; publicKey: Uint8Array };

/** Trust roots with decoded keys, indexed by note key id per key name (computed once per name). */
export class TrustKeys {
  readonly #keys: TrustedKey[];
  readonly #byName = new Map<string, Map<number, TrustedKey[]>>();
  readonly #crypto: EvidenceCrypto;

  constructor(roots: readonly TrustRoot[], crypto: EvidenceCrypto) {
    this.#crypto = crypto;
    this.#keys = roots.flatMap((root) => {
      const key = decodePublicKeyPem(root.public_key_pem);
      return key.ok ? [{ root, publicKey: key.value }] : [];
    });
  }

  /** Number of usable roots supplied (zero means signatures cannot be verified at all). */
  get count(): number {
    return this.#keys.length;
  }

  /** The trusted keys whose note key id under `name` is `keyId`. */
  match(name: string, keyId: number): TrustedKey[] {
    let index = this.#byName.get(name);
    if (index === undefined) {
      index = new Map();
      for (const key of this.#keys) {
        const id = noteKeyId(name, key.publicKey, this.#crypto);
        index.set(id, [...(index.get(id) ?? []), key]);
      }
      this.#byName.set(name, index);
    }
    return index.get(keyId) ?? [];
  }
}

/** Errors and warnings about one checkpoint; `signedBy` lists the key ids whose signatures verified. */
export type CheckpointCheck = {
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
  signedBy: string[];
};

function describe(signature: NoteSignature): string {
  return `${signature.name} ${signature.keyId.toString(16).padStart(8, '0')}`;
}

/**
 * Verifies the log signature(s) of an opened checkpoint. Only signatures named after the origin are the
 * log's; others (witness cosignatures) are ignored, as C2SP requires for unknown keys.
 */
export function checkCheckpointSignatures(
  opened: OpenedCheckpoint,
  trust: TrustKeys,
  crypto: EvidenceCrypto,
): CheckpointCheck {
  const { checkpoint, note } = opened;
  const at = `checkpoint for tree size ${checkpoint.size}`;
  const result: CheckpointCheck = { errors: [], warnings: [], signedBy: [] };
  const error = (code: string, message: string): void =>
    void result.errors.push({ code, message: `${at}: ${message}` });
  if (trust.count === 0) {
    result.warnings.push({
      code: 'checkpoint_signature_unverified',
      message: `${at}: no trust root was supplied, so its signature was not verified`,
    });
    return result;
  }
  const timestamp = checkpointTimestamp(checkpoint);
  const known = note.signatures.filter(
    (s) => s.name === checkpoint.origin && trust.match(s.name, s.keyId).length > 0,
  );
  if (known.length === 0) {
    const seen = note.signatures.map(describe).join(', ');
    error('checkpoint_key_unknown', `no signature by a trusted key (signatures: ${seen})`);
    return result;
  }
  for (const signature of known) {
    const key = trust
      .match(signature.name, signature.keyId)
      .find((k) => verifyNoteSignature(note.text, signature, k.publicKey, crypto));
    if (key === undefined) {
      error('checkpoint_signature_invalid', `the signature by ${describe(signature)} does not verify`);
      continue;
    }
    const id = key.root.key_id;
    if (timestamp === null) {
      if (key.root.status === 'active') {
        result.warnings.push({
          code: 'checkpoint_time_unknown',
          message: `${at}: no timestamp line, so trust root '${id}''s validity window was not checked`,
        });
      } else {
        error(
          'checkpoint_key_not_valid',
          `trust root '${id}' is ${key.root.status} and the checkpoint has no timestamp`,
        );
        continue;
      }
    } else {
      const usable = keyUsableAt(key.root, timestamp);
      if (!usable.usable) {
        error(
          usable.code === 'key_revoked' ? 'checkpoint_key_revoked' : 'checkpoint_key_not_valid',
          `${usable.reason} (signed ${timestamp})`,
        );
        continue;
      }
    }
    result.signedBy.push(id);
  }
  return result;
}

/** The outcome of {@link verifyCheckpoint}: the checkpoint when it could be read, and what was found. */
export type CheckpointVerification = CheckpointCheck & { checkpoint: Checkpoint | null };

/**
 * Verifies one checkpoint record on its own (format, copies, signatures, key status), e.g. one fetched from
 * the API. Whether its root matches a log is {@link verifyLog}'s job.
 */
export function verifyCheckpoint(
  record: unknown,
  roots: readonly TrustRoot[],
  crypto: EvidenceCrypto,
  expectedOrigin?: string,
): CheckpointVerification {
  const opened = openCheckpointRecord(record);
  if (!opened.ok) return { checkpoint: null, errors: [opened.error], warnings: [], signedBy: [] };
  const check = checkCheckpointSignatures(opened.value, new TrustKeys(roots, crypto), crypto);
  if (expectedOrigin !== undefined && opened.value.checkpoint.origin !== expectedOrigin) {
    check.errors.push({
      code: 'checkpoint_origin_mismatch',
      message: `checkpoint origin '${opened.value.checkpoint.origin}' is not this log's origin '${expectedOrigin}'`,
    });
  }
  return { ...check, checkpoint: opened.value.checkpoint };
}

/** A checkpoint the entry pass must compare with the tree at its size. */
export type CheckpointTarget = {
  opened: OpenedCheckpoint;
  label: string;
  isTrusted: boolean;
  isSigned: boolean;
};

/**
 * Opens every checkpoint of a log (and the auditor's trusted one), checks origins, trust roots and
 * signatures, and indexes them by tree size for the entry pass of `verifyLog`.
 */
export function openTargets(
  checkpoints: readonly unknown[],
  trust: LogTrust,
  crypto: EvidenceCrypto,
  errors: VerificationIssue[],
  warnings: VerificationIssue[],
): Map<number, CheckpointTarget[]> {
  const targets = new Map<number, CheckpointTarget[]>();
  const add = (target: CheckpointTarget): void => {
    const size = target.opened.checkpoint.size;
    targets.set(size, [...(targets.get(size) ?? []), target]);
  };
  let origin = trust.origin;
  if (trust.trustedCheckpoint !== undefined) {
    const opened = openCheckpointRecord(trust.trustedCheckpoint);
    if (opened.ok) {
      const trustedOrigin = opened.value.checkpoint.origin;
      origin ??= trustedOrigin;
      if (trustedOrigin !== origin) {
        errors.push({
          code: 'trusted_checkpoint_origin_mismatch',
          message: `the trusted checkpoint is of log '${trustedOrigin}', not '${origin}'`,
        });
      }
      add({ opened: opened.value, label: 'the trusted checkpoint', isTrusted: true, isSigned: true });
    } else {
      errors.push({
        code: 'trusted_checkpoint_malformed',
        message: `trusted checkpoint: ${opened.error.message}`,
      });
    }
  }
  const keys = new TrustKeys(trust.roots, crypto);
  if (keys.count < trust.roots.length) {
    errors.push({
      code: 'trust_root_invalid',
      message: `${trust.roots.length - keys.count} trust root(s) hold no readable Ed25519 public key`,
    });
  }
  if (keys.count === 0 && checkpoints.length > 0) {
    warnings.push({
      code: 'checkpoint_signature_unverified',
      message: `no trust root was supplied: the signatures of ${checkpoints.length} checkpoint(s) were not verified`,
    });
  }
  checkpoints.forEach((record, index) => {
    const opened = openCheckpointRecord(record);
    if (!opened.ok) {
      errors.push({ code: opened.error.code, message: `checkpoint #${index + 1}: ${opened.error.message}` });
      return;
    }
    const { checkpoint } = opened.value;
    const label = `checkpoint for tree size ${checkpoint.size}`;
    origin ??= checkpoint.origin;
    if (checkpoint.origin !== origin) {
      errors.push({
        code: 'checkpoint_origin_mismatch',
        message: `${label}: origin '${checkpoint.origin}' is not '${origin}'`,
      });
    }
    let isSigned = keys.count === 0;
    if (keys.count > 0) {
      const check = checkCheckpointSignatures(opened.value, keys, crypto);
      errors.push(...check.errors);
      warnings.push(...check.warnings);
      isSigned = check.errors.length === 0 && check.signedBy.length > 0;
    }
    add({ opened: opened.value, label, isTrusted: false, isSigned });
  });
  return targets;
}
