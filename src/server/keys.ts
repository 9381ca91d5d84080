/**
 * The server's evidence signing key: loaded from `CAVRA_EVIDENCE_SIGNING_KEY_FILE`, or the one in `.cavra/keys/`
 * (shared with `cavra evidence keygen` and the CLI's evidence commands), generated there on first start
 * (private PEM 0600, public PEM and its trust root beside it). The trust root is written when
 * the key is made, so its `valid_from` stays the key's birth and old checkpoints keep verifying after restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTrustRoot,
  decodePrivateKeyPem,
  generateKeyPair,
  keyPairFromPrivateKey,
  parseTrustRoots,
  type EvidenceCrypto,
  type EvidenceKeyPair,
  type TrustRoot,
} from '../evidence';

/** File names inside the keys directory: upstream's, as `cavra evidence keygen` writes them (one key for both). */
export const KEY_FILES = {
  privateKey: 'evidence-ed25519-private.pem',
  publicKey: 'evidence-ed25519-public.pem',
  trustRoot: 'evidence-trust-root.json',
} as const;

/** Where the key comes from. */
export type KeySource = { kind: 'file'; path: string } | { kind: 'generated'; dir: string; isNew: boolean };

/** The loaded key, the roots verification trusts, and where the key came from. */
export type LoadedKey = { key: EvidenceKeyPair; trustRoots: TrustRoot[]; source: KeySource };

/** Options of {@link loadSigningKey}. */
export type KeyOptions = {
  /** `CAVRA_EVIDENCE_SIGNING_KEY_FILE`: a PKCS#8 Ed25519 PEM managed outside CAVRA. */
  keyFile?: string;
  /** Where a generated key lives (default `.cavra/keys`). */
  keysDir: string;
  /** `CAVRA_EVIDENCE_TRUST_ROOTS`: a trust root or bundle with older (or externally managed) keys. */
  trustRootsFile?: string;
  crypto: EvidenceCrypto;
  now: () => Date;
};

/**
 * Loads or creates the signing key and assembles the trust roots: those of `trustRootsFile`, plus the key's own
 * root (the stored one for a generated key; for an external key without one, a root valid since the epoch).
 * @throws Error with a message for the operator when a file is unreadable or holds no Ed25519 key.
 */
export function loadSigningKey(options: KeyOptions): LoadedKey {
  const extra =
    options.trustRootsFile === undefined ? [] : readTrustRoots(options.trustRootsFile, options.crypto);
  if (options.keyFile !== undefined) {
    const key = readPrivateKey(options.keyFile, options.crypto, 'CAVRA_EVIDENCE_SIGNING_KEY_FILE');
    const own = extra.find((root) => root.public_key_sha256 === key.fingerprint);
    const roots =
      own === undefined ? [...extra, rootFor(key, '1970-01-01T00:00:00Z', options.crypto)] : extra;
    return { key, trustRoots: roots, source: { kind: 'file', path: options.keyFile } };
  }
  const { key, root, isNew } = loadOrGenerate(options);
  const others = extra.filter((r) => r.public_key_sha256 !== key.fingerprint);
  // The trust root may name the key differently from the default id; manifests must use the root's id.
  return {
    key: { ...key, keyId: root.key_id },
    trustRoots: [...others, root],
    source: { kind: 'generated', dir: options.keysDir, isNew },
  };
}

function loadOrGenerate(options: KeyOptions): { key: EvidenceKeyPair; root: TrustRoot; isNew: boolean } {
  const privatePath = join(options.keysDir, KEY_FILES.privateKey);
  const rootPath = join(options.keysDir, KEY_FILES.trustRoot);
  mkdirSync(options.keysDir, { recursive: true, mode: 0o700 });
  const generated = generateKeyPair(randomBytes(32), options.crypto);
  let isNew = true;
  try {
    // 'wx': two servers starting at once on one directory must not each write a key.
    writeFileSync(privatePath, generated.privateKeyPem, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    isNew = false;
  }
  if (isNew) {
    chmodSync(privatePath, 0o600);
    const root = rootFor(generated, options.now().toISOString(), options.crypto);
    writeFileSync(join(options.keysDir, KEY_FILES.publicKey), generated.publicKeyPem);
    writeFileSync(rootPath, `${JSON.stringify(root, null, 2)}\n`);
    return { key: generated, root, isNew };
  }
  const key = readPrivateKey(privatePath, options.crypto, 'the evidence signing key');
  const stored = readStoredRoot(rootPath, key, options.crypto);
  return { key, root: stored ?? rootFor(key, '1970-01-01T00:00:00Z', options.crypto), isNew };
}

function readPrivateKey(path: string, crypto: EvidenceCrypto, what: string): EvidenceKeyPair {
  const decoded = decodePrivateKeyPem(readText(path, what));
  if (!decoded.ok) throw new Error(`${what} '${path}': ${decoded.error.message}`);
  return keyPairFromPrivateKey(decoded.value, crypto);
}

/** The stored root of a generated key, when it is there and is this key's. */
function readStoredRoot(path: string, key: EvidenceKeyPair, crypto: EvidenceCrypto): TrustRoot | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const parsed = parseTrustRoots(JSON.parse(text) as unknown, crypto);
  if (!parsed.ok) throw new Error(`trust root '${path}': ${parsed.error.message}`);
  return parsed.value.find((root) => root.public_key_sha256 === key.fingerprint) ?? null;
}

function readTrustRoots(path: string, crypto: EvidenceCrypto): TrustRoot[] {
  let document: unknown;
  try {
    document = JSON.parse(readText(path, 'CAVRA_EVIDENCE_TRUST_ROOTS'));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new Error(`CAVRA_EVIDENCE_TRUST_ROOTS '${path}' is not JSON`, { cause: error });
    }
    throw error;
  }
  const parsed = parseTrustRoots(document, crypto);
  if (!parsed.ok) throw new Error(`CAVRA_EVIDENCE_TRUST_ROOTS '${path}': ${parsed.error.message}`);
  return parsed.value;
}

function rootFor(key: EvidenceKeyPair, validFrom: string, crypto: EvidenceCrypto): TrustRoot {
  const root = createTrustRoot({ publicKeyPem: key.publicKeyPem, validFrom, owner: 'cavra-server' }, crypto);
  if (!root.ok) throw new Error(`trust root of the signing key: ${root.error.message}`);
  return root.value;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what} '${path}': ${code === 'ENOENT' ? 'no such file' : String(error)}`, {
      cause: error,
    });
  }
}
