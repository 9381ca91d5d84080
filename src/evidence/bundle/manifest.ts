/**
 * The bundle manifest (`cavra.evidence.bundle.v1`, upstream §1.4): the file list with sha256 and sizes, its
 * canonical bytes (Python `json.dumps(payload, sort_keys=True)`), and the three signature modes.
 */
import type { EvidenceCrypto, EvidenceResult } from '../types';
import { bytesEqual, toBase64, toHex, utf8 } from '../canonical';
import { decodePrivateKeyPem, decodePublicKeyPem, defaultKeyId, publicKeyFingerprint } from '../keys';
import { pythonJsonDumps, pythonJsonFile, type PyJsonObject } from './python-json';

/** The manifest's own file name; it is never listed in its own `files`. */
export const MANIFEST_FILE = 'manifest.json';
export const BUNDLE_SCHEMA = 'cavra.evidence.bundle.v1';

/** One listed file: base name, lowercase hex sha256 of its bytes, and its size. */
export type ManifestFileEntry = { path: string; sha256: string; bytes: number };

/** The `signature` object, one shape per mode. */
export type ManifestSignature =
  | { algorithm: 'SHA256'; value: string }
  | { algorithm: 'HS256'; value: string }
  | { algorithm: 'Ed25519'; key_id: string; public_key_sha256: string; value: string };

/** The manifest before signing: exactly the object whose canonical bytes are signed. */
export type ManifestPayload = {
  schema_version: typeof BUNDLE_SCHEMA;
  product: 'CAVRA';
  created_at: string;
  signer: string;
  files: ManifestFileEntry[];
};

/** A signed manifest, as written to `manifest.json`. */
export type BundleManifest = ManifestPayload & { signature: ManifestSignature };

/**
 * How to sign. The union makes upstream's rule structural: one mode, so an HMAC key and a private key can
 * never be combined. `publicKeyPem` is needed because the fingerprint is taken over its exact text.
 */
export type ManifestSigning =
  | { mode: 'digest' }
  | { mode: 'hmac'; key: string | Uint8Array }
  | { mode: 'ed25519'; privateKeyPem: string; publicKeyPem: string; keyId?: string };

/**
 * Canonical bytes of a manifest: every member except `signature`, as Python `json.dumps(…, sort_keys=True)`.
 * Unknown members are kept, as upstream drops only `signature` before hashing.
 */
export function canonicalManifestBytes(manifest: PyJsonObject): Uint8Array {
  return utf8(pythonJsonDumps({ ...manifest, signature: undefined }));
}

/** The `files` entries for bundle files, in the given order (a `Map` keeps insertion order). */
export function manifestEntries(
  files: ReadonlyMap<string, Uint8Array>,
  crypto: EvidenceCrypto,
): ManifestFileEntry[] {
  return [...files].map(([path, bytes]) => ({
    path,
    sha256: toHex(crypto.sha256(bytes)),
    bytes: bytes.length,
  }));
}

/** Signs canonical bytes in one of the three modes. */
export function signManifestBytes(
  canonical: Uint8Array,
  signing: ManifestSigning,
  crypto: EvidenceCrypto,
): EvidenceResult<ManifestSignature> {
  switch (signing.mode) {
    case 'digest':
      return { ok: true, value: { algorithm: 'SHA256', value: toHex(crypto.sha256(canonical)) } };
    case 'hmac': {
      const key = typeof signing.key === 'string' ? utf8(signing.key) : signing.key;
      if (key.length === 0) return fail('empty_hmac_key', 'the HMAC key is empty: supply a non-empty --key');
      return { ok: true, value: { algorithm: 'HS256', value: toBase64(crypto.hmacSha256(key, canonical)) } };
    }
    case 'ed25519':
      return signEd25519(canonical, signing, crypto);
    default: {
      const unknown: never = signing;
      throw new Error(`unknown signing mode ${JSON.stringify(unknown)}`);
    }
  }
}

function signEd25519(
  canonical: Uint8Array,
  signing: Extract<ManifestSigning, { mode: 'ed25519' }>,
  crypto: EvidenceCrypto,
): EvidenceResult<ManifestSignature> {
  const seed = decodePrivateKeyPem(signing.privateKeyPem);
  if (!seed.ok) return { ok: false, error: seed.error };
  const publicKey = decodePublicKeyPem(signing.publicKeyPem);
  if (!publicKey.ok) return { ok: false, error: publicKey.error };
  const signature = crypto.ed25519Sign(canonical, seed.value);
  // INVARIANT: never publish a fingerprint for a key that did not make the signature.
  if (!crypto.ed25519Verify(signature, canonical, publicKey.value)) {
    return fail(
      'key_pair_mismatch',
      'the public key PEM does not belong to the private key: pass the matching pair',
    );
  }
  const fingerprint = publicKeyFingerprint(signing.publicKeyPem, crypto);
  const keyId = signing.keyId ?? defaultKeyId(fingerprint);
  if (keyId === '') return fail('empty_key_id', 'the key ID is empty: omit it to use the fingerprint prefix');
  const value = toBase64(signature);
  return { ok: true, value: { algorithm: 'Ed25519', key_id: keyId, public_key_sha256: fingerprint, value } };
}

/** Builds and signs a manifest for `files` (bundle order), returning it and its `manifest.json` bytes. */
export function buildManifest(
  files: ReadonlyMap<string, Uint8Array>,
  options: { createdAt: string; signer?: string; signing: ManifestSigning; crypto: EvidenceCrypto },
): EvidenceResult<{ manifest: BundleManifest; bytes: Uint8Array }> {
  if (files.has(MANIFEST_FILE))
    return fail('reserved_file_name', `${MANIFEST_FILE} cannot be listed in itself`);
  const payload: ManifestPayload = {
    schema_version: BUNDLE_SCHEMA,
    product: 'CAVRA',
    created_at: options.createdAt,
    signer: options.signer ?? 'local',
    files: manifestEntries(files, options.crypto),
  };
  const signature = signManifestBytes(canonicalManifestBytes(payload), options.signing, options.crypto);
  if (!signature.ok) return signature;
  const manifest: BundleManifest = { ...payload, signature: signature.value };
  return { ok: true, value: { manifest, bytes: utf8(pythonJsonFile(manifest)) } };
}

/** Whether two hex or base64 signature strings are identical, without an early exit. */
export function signatureTextEqual(a: string, b: string): boolean {
  return bytesEqual(utf8(a), utf8(b));
}

function fail<T>(code: string, message: string): EvidenceResult<T> {
  return { ok: false, error: { code, message } };
}
