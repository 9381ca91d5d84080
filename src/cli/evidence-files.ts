/**
 * Files the evidence commands read and write: the key pair and trust root `cavra evidence keygen` makes,
 * trust-root documents, bundles (a folder or a `.zip`), and atomic writes.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  decodePrivateKeyPem,
  keyPairFromPrivateKey,
  parseTrustRoots,
  type EvidenceKeyPair,
  type TrustRoot,
} from '../evidence';
import { zipToBundle } from '../evidence/bundle';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { displayPath, parseJsonText, type Outcome } from './context';
import type { CliIo } from './io';

/** Where `cavra evidence keygen` writes by default, relative to the working directory. */
export const DEFAULT_KEY_DIR = '.cavra/keys';
/** Upstream's file names for the key pair, plus CAVRA's trust root beside them. */
export const PRIVATE_KEY_FILE = 'evidence-ed25519-private.pem';
export const PUBLIC_KEY_FILE = 'evidence-ed25519-public.pem';
export const TRUST_ROOT_FILE = 'evidence-trust-root.json';

/**
 * The default private key: `CAVRA_EVIDENCE_SIGNING_KEY_FILE` (the server's setting) when set, else
 * `.cavra/keys/evidence-ed25519-private.pem`, resolved against the CLI's working directory.
 */
export function defaultPrivateKeyPath(io: CliIo): string {
  const configured = io.env['CAVRA_EVIDENCE_SIGNING_KEY_FILE']?.trim() ?? '';
  return resolve(io.cwd, configured === '' ? join(DEFAULT_KEY_DIR, PRIVATE_KEY_FILE) : configured);
}

/** Why a file could not be read, in a few words. */
function readFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Reads a file as bytes; the message names the file and what it was for. */
export function readBytes(io: CliIo, path: string, what: string): Outcome<Uint8Array> {
  try {
    return { ok: true, value: readFileSync(resolve(io.cwd, path)) };
  } catch (error) {
    return { ok: false, message: `cannot read ${what} '${path}': ${readFailure(error)}` };
  }
}

/** A signing key read from a PKCS#8 PEM file, with the key id its trust root gives it. */
export type SigningKey = {
  key: EvidenceKeyPair;
  /** The trust root's key id when `evidence-trust-root.json` beside the key is this key's, else the default. */
  keyId: string;
  path: string;
  /** That trust root file, when it is this key's (what to tell auditors to verify with). */
  trustRootPath: string | undefined;
};

/**
 * Reads an Ed25519 private key (`--key`/`--private-key`, or `.cavra/keys/evidence-ed25519-private.pem`). A
 * missing default key says how to make one.
 */
export function readSigningKey(io: CliIo, path: string | undefined, flag = '--key'): Outcome<SigningKey> {
  const file = path === undefined ? defaultPrivateKeyPath(io) : resolve(io.cwd, path);
  const shown = displayPath(io, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    if (missing && path === undefined) {
      return {
        ok: false,
        message: `no evidence signing key at ${shown}: create one with 'cavra evidence keygen', or pass ${flag} <private.pem>`,
      };
    }
    return { ok: false, message: `cannot read private key '${shown}': ${readFailure(error)}` };
  }
  const seed = decodePrivateKeyPem(text);
  if (!seed.ok) {
    return {
      ok: false,
      message: `'${shown}' is not an Ed25519 private key (${seed.error.message}): give the ${PRIVATE_KEY_FILE} that 'cavra evidence keygen' wrote`,
    };
  }
  const key = keyPairFromPrivateKey(seed.value, nodeCrypto);
  const sibling = siblingRoot(file, key);
  return {
    ok: true,
    value: { key, keyId: sibling?.root.key_id ?? key.keyId, path: file, trustRootPath: sibling?.path },
  };
}

/** The trust root next to a private key, when that root is for this key. */
function siblingRoot(
  privateKeyFile: string,
  key: EvidenceKeyPair,
): { root: TrustRoot; path: string } | undefined {
  const path = join(dirname(privateKeyFile), TRUST_ROOT_FILE);
  try {
    const document: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const roots = parseTrustRoots(document, nodeCrypto);
    const root = roots.ok ? roots.value.find((r) => r.public_key_sha256 === key.fingerprint) : undefined;
    return root === undefined ? undefined : { root, path };
  } catch {
    return undefined;
  }
}

/** A trust-root file: a single `cavra.evidence.trust-root.v1` or a bundle; `document` is the parsed JSON. */
export type TrustRootFile = { roots: TrustRoot[]; document: unknown };

/** Reads and checks a `--trust-root` file. */
export function readTrustRootFile(io: CliIo, path: string): Outcome<TrustRootFile> {
  const bytes = readBytes(io, path, 'trust root');
  if (!bytes.ok) return bytes;
  const json = parseJsonText(Buffer.from(bytes.value).toString('utf8'), `trust root '${path}'`);
  if (!json.ok) return json;
  const roots = parseTrustRoots(json.value, nodeCrypto);
  if (!roots.ok) return { ok: false, message: `trust root '${path}': ${roots.error.message}` };
  return { ok: true, value: { roots: roots.value, document: json.value } };
}

/** Files of a bundle folder (regular files only, not recursive) or of a bundle `.zip`. */
export function readBundle(io: CliIo, path: string): Outcome<Map<string, Uint8Array>> {
  const full = resolve(io.cwd, path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(full).isDirectory();
  } catch (error) {
    return { ok: false, message: `cannot read bundle '${path}': ${readFailure(error)}` };
  }
  if (!isDirectory) {
    const bytes = readBytes(io, path, 'bundle archive');
    if (!bytes.ok) return bytes;
    const files = zipToBundle(bytes.value);
    if (!files.ok) {
      return {
        ok: false,
        message: `'${path}' is neither a bundle folder nor a bundle .zip (${files.error.message})`,
      };
    }
    return { ok: true, value: files.value };
  }
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(full).sort()) {
    const file = join(full, name);
    if (statSync(file).isFile()) files.set(name, readFileSync(file));
  }
  return { ok: true, value: files };
}

/**
 * Creates a directory and its missing parents. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never
 * returns for a directory the kernel refuses with ENOENT although its parent exists (e.g. under /proc).
 */
export function ensureDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another process may have created it meanwhile; anything else is the caller's error.
    if (!existsSync(dir)) throw error;
  }
}

/**
 * Writes a file atomically (a temporary file in the same folder, then a rename), creating the folder. With
 * `mode`, the file gets it even when it replaces an existing one.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number): void {
  ensureDirectory(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, mode === undefined ? {} : { mode });
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
    throw error;
  }
}
