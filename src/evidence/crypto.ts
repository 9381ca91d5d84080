/**
 * The default crypto for the evidence plane: audited pure-JS primitives from @noble (no Node, no Web Crypto,
 * synchronous), so the same code verifies a log in the browser sandbox and in the CLI.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { EvidenceCrypto } from './types';

/**
 * Pure-JS {@link EvidenceCrypto}. Node callers may pass a native implementation with the same contract
 * (`sha256` is the hot path of verification); everything here works with any conforming port.
 * Ed25519 verification is RFC 8032 strict (no ZIP-215 leniency), so one signature has one accepted form.
 */
export const nobleCrypto: EvidenceCrypto = {
  sha256: (data) => sha256(data),
  ed25519Sign: (message, privateKey) => ed25519.sign(message, privateKey),
  ed25519Verify: (signature, message, publicKey) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      // Malformed keys or signatures are "does not verify", never an exception for the caller.
      return false;
    }
  },
  hmacSha256: (key, message) => hmac(sha256, key, message),
};

/** The Ed25519 public key (32 bytes) of a 32-byte private key seed. */
export function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(privateKey);
}
