/**
 * Ed25519 evidence keys in upstream's on-disk forms: PKCS#8 private and SPKI public PEM, fingerprinted as
 * SHA-256 of the PEM text (reference §1.4). Pure: the caller supplies the random seed.
 */
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from './canonical';
import { ed25519PublicKey } from './crypto';
import type { EvidenceCrypto, EvidenceResult } from './types';

/** An Ed25519 key pair with its upstream-compatible identifiers. */
export type EvidenceKeyPair = {
  /** The 32-byte RFC 8032 private key (seed). Never put it into a bundle, log or trust root. */
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  /** PKCS#8 PEM, unencrypted, as `cavra evidence generate-keypair` writes it. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
  /** Hex SHA-256 of `publicKeyPem`'s text (BEGIN/END lines and trailing newline included). */
  fingerprint: string;
  /** Upstream's default key id: the first 16 hex characters of the fingerprint. */
  keyId: string;
};

// DER prefixes of the only two structures an Ed25519 key has here (RFC 8410): OID 1.3.101.112.
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

function pem(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function unpem(text: string, label: string, prefix: Uint8Array, what: string): EvidenceResult<Uint8Array> {
  const match = new RegExp(
    `^-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n-----END ${label}-----\\r?\\n?$`,
  ).exec(text.trim() + '\n');
  const der = match?.[1] === undefined ? null : fromBase64(match[1].replace(/\r?\n/g, ''));
  if (der === null) {
    return { ok: false, error: { code: 'key_invalid_pem', message: `${what}: not a '${label}' PEM block` } };
  }
  const isEd25519 = der.length === prefix.length + 32 && prefix.every((byte, i) => der[i] === byte);
  if (!isEd25519) {
    return {
      ok: false,
      error: { code: 'key_not_ed25519', message: `${what}: the PEM does not hold an Ed25519 key (RFC 8410)` },
    };
  }
  return { ok: true, value: der.slice(prefix.length) };
}

/** PKCS#8 PEM of a 32-byte Ed25519 private key. */
export function encodePrivateKeyPem(privateKey: Uint8Array): string {
  return pem('PRIVATE KEY', concatBytes(PKCS8_PREFIX, privateKey));
}

/** SubjectPublicKeyInfo PEM of a 32-byte Ed25519 public key. */
export function encodePublicKeyPem(publicKey: Uint8Array): string {
  return pem('PUBLIC KEY', concatBytes(SPKI_PREFIX, publicKey));
}

/** The 32-byte private key in a PKCS#8 Ed25519 PEM (as OpenSSL, Python and Node write it). */
export function decodePrivateKeyPem(text: string): EvidenceResult<Uint8Array> {
  return unpem(text, 'PRIVATE KEY', PKCS8_PREFIX, 'private key');
}

/** The 32-byte public key in an SPKI Ed25519 PEM. */
export function decodePublicKeyPem(text: string): EvidenceResult<Uint8Array> {
  return unpem(text, 'PUBLIC KEY', SPKI_PREFIX, 'public key');
}

/**
 * Upstream's public key fingerprint: hex SHA-256 of the PEM *text* exactly as given (not of the DER), so a
 * re-wrapped or CRLF copy of the same key has another fingerprint, as upstream.
 */
export function publicKeyFingerprint(publicKeyPem: string, crypto: EvidenceCrypto): string {
  return toHex(crypto.sha256(utf8(publicKeyPem)));
}

/** Upstream's default key id for a fingerprint: its first 16 hex characters. */
export function defaultKeyId(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

/**
 * Builds a key pair from a 32-byte random seed (`cavra evidence keygen` passes bytes from a CSPRNG; the
 * evidence layer has no randomness of its own).
 * @throws TypeError when the seed is not 32 bytes.
 */
export function generateKeyPair(seed: Uint8Array, crypto: EvidenceCrypto): EvidenceKeyPair {
  if (seed.length !== 32)
    throw new TypeError(`generateKeyPair: the seed must be 32 bytes, got ${seed.length}`);
  return keyPairFromPrivateKey(seed.slice(), crypto);
}

/** The key pair of an existing private key (e.g. one read from a PKCS#8 PEM file). */
export function keyPairFromPrivateKey(privateKey: Uint8Array, crypto: EvidenceCrypto): EvidenceKeyPair {
  const publicKey = ed25519PublicKey(privateKey);
  const publicKeyPem = encodePublicKeyPem(publicKey);
  const fingerprint = publicKeyFingerprint(publicKeyPem, crypto);
  return {
    privateKey,
    publicKey,
    privateKeyPem: encodePrivateKeyPem(privateKey),
    publicKeyPem,
    fingerprint,
    keyId: defaultKeyId(fingerprint),
  };
}
