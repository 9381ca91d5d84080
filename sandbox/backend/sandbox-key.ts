/**
 * The published sandbox test signing key. Its private half is public on purpose (derived from a fixed phrase),
 * so anyone can re-sign or re-verify the synthetic evidence; its trust root says so in `owner` and nothing
 * signed with it proves anything about a real system. Never configure it on a server.
 */
import {
  createTrustRoot,
  generateKeyPair,
  nobleCrypto,
  utf8,
  type EvidenceCrypto,
  type EvidenceKeyPair,
  type TrustRoot,
} from '../../src/evidence';

/** The phrase whose SHA-256 is the key's 32-byte Ed25519 seed. */
export const SANDBOX_KEY_PHRASE = 'cavra-sandbox-test-key/v1 (published, synthetic data only)';

/** The key id checkpoints and bundle manifests name. */
export const SANDBOX_KEY_ID = 'cavra-sandbox-test';

/** When the sandbox's synthetic timeline may start (the trust root's `valid_from`). */
export const SANDBOX_KEY_VALID_FROM = '2026-01-01T00:00:00Z';

/** The sandbox test key and its trust root. */
export function sandboxKey(crypto: EvidenceCrypto = nobleCrypto): {
  key: EvidenceKeyPair;
  trustRoot: TrustRoot;
} {
  const generated = generateKeyPair(crypto.sha256(utf8(SANDBOX_KEY_PHRASE)), crypto);
  const root = createTrustRoot(
    {
      publicKeyPem: generated.publicKeyPem,
      validFrom: SANDBOX_KEY_VALID_FROM,
      keyId: SANDBOX_KEY_ID,
      owner: 'cavra-sandbox (published test key: synthetic evidence only)',
    },
    crypto,
  );
  if (!root.ok) throw new Error(`sandbox trust root: ${root.error.message}`);
  return { key: { ...generated, keyId: SANDBOX_KEY_ID }, trustRoot: root.value };
}
