/**
 * Trust roots (`cavra.evidence.trust-root.v1`) and their bundles (`cavra.evidence.trust-root-bundle.v1`),
 * in upstream's field layout (reference §1.6), with status and validity windows that actually apply:
 * an active or retired key verifies what it signed inside [valid_from, valid_until]; a revoked key nothing.
 */
import { decodePublicKeyPem, defaultKeyId, publicKeyFingerprint } from './keys';
import { parseTimestamp } from './time';
import type { EvidenceCrypto, EvidenceResult } from './types';

/** Schema tag of one trust root. */
export const TRUST_ROOT_SCHEMA = 'cavra.evidence.trust-root.v1';
/** Schema tag of a trust-root bundle. */
export const TRUST_ROOT_BUNDLE_SCHEMA = 'cavra.evidence.trust-root-bundle.v1';

/** `active` signs and verifies; `retired` only verifies what it signed in its window; `revoked` nothing. */
export type TrustRootStatus = 'active' | 'retired' | 'revoked';

const STATUSES: readonly TrustRootStatus[] = ['active', 'retired', 'revoked'];

/** A public key an auditor trusts, with the period it may have signed in. */
export type TrustRoot = {
  schema_version: typeof TRUST_ROOT_SCHEMA;
  product: 'CAVRA';
  key_id: string;
  owner: string;
  status: TrustRootStatus;
  algorithm: 'Ed25519';
  public_key_sha256: string;
  public_key_pem: string;
  valid_from: string;
  /** End of the signing window; required for a retired key to verify anything. */
  valid_until: string | null;
};

/** A distributable set of trust roots, sorted by key id. */
export type TrustRootBundle = {
  schema_version: typeof TRUST_ROOT_BUNDLE_SCHEMA;
  product: 'CAVRA';
  created_at: string;
  trust_roots: TrustRoot[];
};

/** What {@link createTrustRoot} needs; defaults follow upstream (owner `platform-security`, status active). */
export type TrustRootInput = {
  publicKeyPem: string;
  validFrom: string;
  validUntil?: string | null;
  keyId?: string;
  owner?: string;
  status?: TrustRootStatus;
};

function invalid<T>(message: string): EvidenceResult<T> {
  return { ok: false, error: { code: 'trust_root_invalid', message } };
}

/** Builds a trust root for a public key (key id defaults to the first 16 hex of the PEM fingerprint). */
export function createTrustRoot(input: TrustRootInput, crypto: EvidenceCrypto): EvidenceResult<TrustRoot> {
  const fingerprint = publicKeyFingerprint(input.publicKeyPem, crypto);
  return checkTrustRoot(
    {
      schema_version: TRUST_ROOT_SCHEMA,
      product: 'CAVRA',
      key_id: input.keyId ?? defaultKeyId(fingerprint),
      owner: input.owner ?? 'platform-security',
      status: input.status ?? 'active',
      algorithm: 'Ed25519',
      public_key_sha256: fingerprint,
      public_key_pem: input.publicKeyPem,
      valid_from: input.validFrom,
      valid_until: input.validUntil ?? null,
    },
    crypto,
  );
}

/** A bundle of roots sorted by key id; duplicate key ids are rejected (as upstream does on reading). */
export function createTrustRootBundle(
  roots: readonly TrustRoot[],
  createdAt: string,
): EvidenceResult<TrustRootBundle> {
  const sorted = [...roots].sort((a, b) => (a.key_id < b.key_id ? -1 : a.key_id > b.key_id ? 1 : 0));
  const duplicate = sorted.find((root, i) => i > 0 && sorted[i - 1]?.key_id === root.key_id);
  if (duplicate !== undefined)
    return invalid(`trust root bundle: key id '${duplicate.key_id}' appears twice`);
  return {
    ok: true,
    value: {
      schema_version: TRUST_ROOT_BUNDLE_SCHEMA,
      product: 'CAVRA',
      created_at: createdAt,
      trust_roots: sorted,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTrustRoot(value: unknown, crypto: EvidenceCrypto): EvidenceResult<TrustRoot> {
  if (!isRecord(value)) return invalid('a trust root must be a JSON object');
  const keyId = typeof value.key_id === 'string' && value.key_id !== '' ? value.key_id : null;
  const name = `trust root '${keyId ?? '?'}'`;
  if (value.schema_version !== TRUST_ROOT_SCHEMA)
    return invalid(`${name}: schema_version is not ${TRUST_ROOT_SCHEMA}`);
  if (keyId === null) return invalid('a trust root has no key_id');
  if (value.algorithm !== 'Ed25519') return invalid(`${name}: algorithm must be Ed25519`);
  if (typeof value.public_key_pem !== 'string' || typeof value.public_key_sha256 !== 'string') {
    return invalid(`${name}: public_key_pem and public_key_sha256 are required`);
  }
  const key = decodePublicKeyPem(value.public_key_pem);
  if (!key.ok) return invalid(`${name}: ${key.error.message}`);
  if (publicKeyFingerprint(value.public_key_pem, crypto) !== value.public_key_sha256) {
    return invalid(`${name}: public_key_sha256 is not the SHA-256 of public_key_pem`);
  }
  if (!STATUSES.includes(value.status as TrustRootStatus)) {
    return invalid(`${name}: status must be one of ${STATUSES.join(', ')}`);
  }
  const from = typeof value.valid_from === 'string' ? parseTimestamp(value.valid_from) : null;
  if (from === null) return invalid(`${name}: valid_from must be an RFC 3339 timestamp`);
  const until = typeof value.valid_until === 'string' ? parseTimestamp(value.valid_until) : null;
  if (value.valid_until !== null && (until === null || until < from)) {
    return invalid(`${name}: valid_until must be null or an RFC 3339 timestamp not before valid_from`);
  }
  if (typeof value.owner !== 'string') return invalid(`${name}: owner must be a string`);
  return { ok: true, value: { ...value, product: 'CAVRA' } as TrustRoot };
}

/**
 * Reads a single trust root or a bundle (what `--trust-root` files hold). Rejects what upstream rejects
 * (wrong schema, non-Ed25519, missing key id, PEM or fingerprint, duplicate key ids) and, beyond upstream,
 * a fingerprint that does not match its PEM, an unknown status or an unreadable validity window.
 */
export function parseTrustRoots(document: unknown, crypto: EvidenceCrypto): EvidenceResult<TrustRoot[]> {
  if (isRecord(document) && document.schema_version === TRUST_ROOT_BUNDLE_SCHEMA) {
    if (!Array.isArray(document.trust_roots))
      return invalid('trust root bundle: trust_roots must be an array');
    const roots: TrustRoot[] = [];
    for (const item of document.trust_roots) {
      const root = checkTrustRoot(item, crypto);
      if (!root.ok) return root;
      if (roots.some((r) => r.key_id === root.value.key_id)) {
        return invalid(`trust root bundle: key id '${root.value.key_id}' appears twice`);
      }
      roots.push(root.value);
    }
    return { ok: true, value: roots };
  }
  const root = checkTrustRoot(document, crypto);
  return root.ok ? { ok: true, value: [root.value] } : root;
}

/** Whether a key may vouch for something signed at a given time, and if not, why. */
export type KeyUsability = { usable: true } | { usable: false; code: string; reason: string };

/**
 * The key-status rule (upstream ignores windows and rejects retired keys; CAVRA fixes both):
 * - `active`: usable when `signedAt` is within [valid_from, valid_until] (an open end when null);
 * - `retired`: the same, but only with a recorded valid_until: a retired key verifies only what it signed
 *   while it was valid;
 * - `revoked`: never, whatever the time (assume the key is in someone else's hands).
 */
export function keyUsableAt(root: TrustRoot, signedAt: string): KeyUsability {
  const id = `trust root '${root.key_id}'`;
  if (root.status === 'revoked') return { usable: false, code: 'key_revoked', reason: `${id} is revoked` };
  const at = parseTimestamp(signedAt);
  const from = parseTimestamp(root.valid_from);
  const until = root.valid_until === null ? null : parseTimestamp(root.valid_until);
  if (at === null)
    return { usable: false, code: 'time_invalid', reason: `'${signedAt}' is not an RFC 3339 time` };
  if (root.status === 'retired' && until === null) {
    return {
      usable: false,
      code: 'key_retired_without_end',
      reason: `${id} is retired but has no valid_until: record when it stopped signing`,
    };
  }
  if (from === null || at < from) {
    return { usable: false, code: 'key_not_yet_valid', reason: `${id} is valid from ${root.valid_from}` };
  }
  if (until !== null && at > until) {
    const code = root.status === 'retired' ? 'key_retired' : 'key_expired';
    return { usable: false, code, reason: `${id} was valid only until ${String(root.valid_until)}` };
  }
  return { usable: true };
}
