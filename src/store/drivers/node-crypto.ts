/**
 * The evidence layer's crypto on Node's native implementation (OpenSSL): SHA-256, Ed25519 and HMAC-SHA256 with
 * the same contract and outputs as the pure-JS `nobleCrypto`, several times faster on the verification hot
 * path. Node only: for the CLI, the server and hooks (docs/decisions/0008-store-and-drivers.md, "Where Node
 * lives"). The browser keeps `nobleCrypto`.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  hash,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { EvidenceCrypto } from '../../evidence';

// DER prefixes of the only two key structures here (RFC 8410, OID 1.3.101.112); the 32 raw key bytes follow.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Keys kept as parsed KeyObjects; a process signs with one key and verifies with a handful. */
const MAX_CACHED_KEYS = 64;

/**
 * A small cache of KeyObjects. Keyed by a digest of the raw key (never the caller's buffer, which may be
 * reused, and never the private key's own bytes as a string); cleared when full rather than tracking use.
 */
class KeyCache<K> {
  readonly #keys = new Map<string, K>();
  readonly #make: (raw: Uint8Array) => K;

  constructor(make: (raw: Uint8Array) => K) {
    this.#make = make;
  }

  /** The parsed form of a 32-byte raw key (made once per key). */
  get(raw: Uint8Array): K {
    const id = hash('sha256', raw, 'base64');
    let key = this.#keys.get(id);
    if (key === undefined) {
      if (raw.length !== 32) throw new TypeError(`an Ed25519 key is 32 bytes, got ${raw.length}`);
      key = this.#make(raw);
      if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
      this.#keys.set(id, key);
    }
    return key;
  }
}

// Buffer.concat copies `raw`: a KeyObject owns its own bytes.
const privateKeys = new KeyCache((raw) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' }),
);

/**
 * Public keys as nobleCrypto's strict verification accepts them, or null: the encoding must be canonical
 * (y < p) and the point must not be of small order. OpenSSL checks neither, and a small-order key (the
 * identity, say) "verifies" signatures on any message.
 */
const publicKeys = new KeyCache((raw): KeyObject | null => {
  try {
    if (ed25519.Point.fromBytes(raw, false).isSmallOrder()) return null;
  } catch {
    return null;
  }
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
});

/** A plain Uint8Array over a Buffer's bytes (Buffer's `slice` shares memory; callers expect Uint8Array's). */
function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * {@link EvidenceCrypto} on `node:crypto`. Outputs equal `nobleCrypto`'s (tested on random inputs and on the
 * edge cases below). Ed25519 verification returns false, never throws, on malformed keys or signatures; a
 * signature must be 64 bytes and a key 32. Nothing keeps a reference to an input buffer (`sha256` is given
 * views into a reused buffer).
 *
 * One known difference remains: OpenSSL checks the cofactorless equation and noble the cofactored one, so a
 * signature whose R carries a small-order component verifies with noble and not here. Only the holder of the
 * private key can make one (it is never produced by signing), so it cannot forge anything; it would make
 * such a signature pass in the browser sandbox and fail in the CLI.
 */
export const nodeCrypto: EvidenceCrypto = {
  sha256: (data) => bytes(hash('sha256', data, 'buffer')),
  ed25519Sign: (message, privateKey) => bytes(sign(null, message, privateKeys.get(privateKey))),
  ed25519Verify: (signature, message, publicKey) => {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    const key = publicKeys.get(publicKey);
    if (key === null) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
  hmacSha256: (key, message) => bytes(createHmac('sha256', key).update(message).digest()),
};
