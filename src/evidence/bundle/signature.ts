/**
 * Checking a manifest's `signature` (upstream §1.5 step 3) with whatever key material the caller has.
 * Upstream's branch order is kept (HMAC key, then public key, then trust roots); what upstream passes silently
 * (an HS256/Ed25519 signature and no key) is reported as a warning here, never as a pass.
 */
import type { EvidenceCrypto, VerificationIssue } from '../types';
import { fromBase64, toBase64, toHex, utf8 } from '../canonical';
import { decodePublicKeyPem, publicKeyFingerprint } from '../keys';
import { keyUsableAt, parseTrustRoots, TRUST_ROOT_BUNDLE_SCHEMA, type TrustRoot } from '../trust-root';
import { asRecord, stringField } from './json-access';
import { signatureTextEqual } from './manifest';

/** Key material for signature checks; give one kind (others are ignored, with a warning). */
export type SignatureKeys = {
  /** HMAC key for HS256 manifests (`--key`). */
  key?: string | Uint8Array;
  /** SPKI PEM text for Ed25519 manifests (`--public-key`); its exact text is fingerprinted. */
  publicKeyPem?: string;
  /** A parsed trust root or trust-root bundle document (`--trust-root`). */
  trustRoots?: unknown;
  /** Expected key ID (`--key-id`). */
  keyId?: string;
};

/** What the signature check concluded, for reports. */
export type SignatureOutcome = {
  algorithm: string | null;
  /** True only when a signature was checked cryptographically with caller-supplied key material. */
  verified: boolean;
  keyId?: string;
  trustRoot?: { key_id: string; status: string; owner: string };
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
};

const issue = (code: string, message: string): VerificationIssue => ({
  code,
  message,
  file: 'manifest.json',
});

/** Checks `signature` against the manifest's canonical bytes. */
export function checkSignature(
  signature: unknown,
  canonical: Uint8Array,
  signedAt: string,
  keys: SignatureKeys,
  crypto: EvidenceCrypto,
): SignatureOutcome {
  const algorithm = stringField(signature, 'algorithm') ?? null;
  const out: SignatureOutcome = { algorithm, verified: false, errors: [], warnings: [] };
  const supplied = (['key', 'publicKeyPem', 'trustRoots'] as const).filter((k) => keys[k] !== undefined);
  for (const ignored of supplied.slice(1)) {
    out.warnings.push(
      issue(
        'key_material_ignored',
        `${ignored} not used for the manifest signature: ${supplied[0] ?? ''} is checked first`,
      ),
    );
  }
  if (asRecord(signature) === undefined) {
    out.errors.push(issue('missing_signature', 'manifest has no signature object'));
    return out;
  }
  const value = stringField(signature, 'value') ?? '';
  if (keys.key !== undefined) checkHmac(algorithm, value, canonical, keys.key, crypto, out);
  else if (keys.publicKeyPem !== undefined) checkPublicKey(signature, canonical, keys, crypto, out);
  else if (keys.trustRoots !== undefined) checkTrustRoots(signature, canonical, signedAt, keys, crypto, out);
  else checkWithoutKey(algorithm, value, canonical, crypto, out);
  return out;
}

function checkHmac(
  algorithm: string | null,
  value: string,
  canonical: Uint8Array,
  key: string | Uint8Array,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): void {
  if (algorithm !== 'HS256') {
    out.errors.push(issue('signature_algorithm_mismatch', 'manifest signature algorithm is not HS256'));
    return;
  }
  const expected = toBase64(crypto.hmacSha256(typeof key === 'string' ? utf8(key) : key, canonical));
  if (signatureTextEqual(expected, value)) out.verified = true;
  else out.errors.push(issue('signature_mismatch', 'manifest signature mismatch'));
}

function checkEd25519(
  pem: string,
  value: string,
  canonical: Uint8Array,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): void {
  const publicKey = decodePublicKeyPem(pem);
  if (!publicKey.ok) {
    out.errors.push(issue(publicKey.error.code, publicKey.error.message));
    return;
  }
  const signature = fromBase64(value);
  if (signature?.length === 64 && crypto.ed25519Verify(signature, canonical, publicKey.value)) {
    if (out.errors.length === 0) out.verified = true;
  } else {
    out.errors.push(issue('signature_mismatch', 'manifest signature mismatch'));
  }
}

function checkKeyId(signature: unknown, expected: string | undefined, out: SignatureOutcome): void {
  const keyId = stringField(signature, 'key_id');
  out.keyId = keyId;
  if (expected !== undefined && keyId !== expected)
    out.errors.push(issue('key_id_mismatch', 'manifest key ID mismatch'));
}

function checkPublicKey(
  signature: unknown,
  canonical: Uint8Array,
  keys: SignatureKeys,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): void {
  const pem = keys.publicKeyPem ?? '';
  if (out.algorithm !== 'Ed25519') {
    out.errors.push(issue('signature_algorithm_mismatch', 'manifest signature algorithm is not Ed25519'));
    return;
  }
  if (publicKeyFingerprint(pem, crypto) !== stringField(signature, 'public_key_sha256')) {
    out.errors.push(issue('fingerprint_mismatch', 'manifest public key fingerprint mismatch'));
  }
  checkKeyId(signature, keys.keyId, out);
  checkEd25519(pem, stringField(signature, 'value') ?? '', canonical, crypto, out);
}

function selectRoot(
  signature: unknown,
  keys: SignatureKeys,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): TrustRoot | undefined {
  const parsed = parseTrustRoots(keys.trustRoots, crypto);
  if (!parsed.ok) {
    out.errors.push(issue(parsed.error.code, parsed.error.message));
    return undefined;
  }
  // Upstream uses a single root as given, and searches a bundle by key ID and fingerprint.
  if (stringField(keys.trustRoots, 'schema_version') !== TRUST_ROOT_BUNDLE_SCHEMA) return parsed.value[0];
  const wanted = keys.keyId ?? stringField(signature, 'key_id');
  const fingerprint = stringField(signature, 'public_key_sha256');
  const root = parsed.value.find((r) => r.key_id === wanted && r.public_key_sha256 === fingerprint);
  if (!root) out.errors.push(issue('trust_root_not_found', 'matching trust root not found'));
  return root;
}

function checkTrustRoots(
  signature: unknown,
  canonical: Uint8Array,
  signedAt: string,
  keys: SignatureKeys,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): void {
  if (out.algorithm !== 'Ed25519') {
    out.errors.push(issue('signature_algorithm_mismatch', 'manifest signature algorithm is not Ed25519'));
    return;
  }
  const root = selectRoot(signature, keys, crypto, out);
  if (!root) return;
  out.trustRoot = { key_id: root.key_id, status: root.status, owner: root.owner };
  const usable = keyUsableAt(root, signedAt);
  if (!usable.usable) {
    // Upstream's string for a revoked root; a window failure says when the key was valid instead.
    const [code, prefix] =
      usable.code === 'key_revoked'
        ? ['trust_root_revoked', 'trust root is not active']
        : ['trust_root_not_valid', 'trust root is not valid at the manifest created_at'];
    out.errors.push(issue(code, `${prefix}: ${usable.reason} (created_at ${signedAt})`));
  }
  checkKeyId(signature, keys.keyId, out);
  if (root.key_id !== out.keyId && !out.errors.some((e) => e.code === 'key_id_mismatch')) {
    out.errors.push(issue('key_id_mismatch', 'manifest key ID mismatch'));
  }
  if (root.public_key_sha256 !== stringField(signature, 'public_key_sha256')) {
    out.errors.push(issue('fingerprint_mismatch', 'manifest public key fingerprint mismatch'));
  }
  checkEd25519(root.public_key_pem, stringField(signature, 'value') ?? '', canonical, crypto, out);
}

function checkWithoutKey(
  algorithm: string | null,
  value: string,
  canonical: Uint8Array,
  crypto: EvidenceCrypto,
  out: SignatureOutcome,
): void {
  if (algorithm === 'SHA256') {
    if (!signatureTextEqual(toHex(crypto.sha256(canonical)), value)) {
      out.errors.push(issue('digest_mismatch', 'manifest digest mismatch'));
      return;
    }
    out.warnings.push(
      issue(
        'manifest_unsigned',
        'manifest is not signed: its SHA256 digest catches damage, not forgery (anyone can recompute it)',
      ),
    );
  } else if (algorithm === 'HS256' || algorithm === 'Ed25519') {
    const needs = algorithm === 'HS256' ? 'an HMAC --key' : '--public-key or --trust-root';
    out.warnings.push(
      issue(
        'signature_not_verified',
        `signature not verified: no key supplied (${algorithm} needs ${needs})`,
      ),
    );
  } else {
    out.errors.push(
      issue(
        'unsupported_signature_algorithm',
        `unsupported manifest signature algorithm: ${String(algorithm)}`,
      ),
    );
  }
}
