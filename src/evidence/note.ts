/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 signatures (type 0x01): the envelope of
 * every CAVRA checkpoint, byte-compatible with Go's golang.org/x/mod/sumdb/note and transparency-dev tools.
 */
import { concatBytes, fromBase64, fromHex, isWellFormed, toBase64, utf8 } from './canonical';
import type { EvidenceCrypto, EvidenceResult } from './types';

/** One signature line of a note: `— <name> base64(key id || signature)`. */
export type NoteSignature = {
  name: string;
  /** The 4-byte key id as an unsigned 32-bit number. */
  keyId: number;
  /** The bytes after the key id (64 for Ed25519). */
  signature: Uint8Array;
};

/** A note split into its signed text (ending in a newline) and its signature lines, not yet verified. */
export type ParsedNote = { text: string; signatures: NoteSignature[] };

/** An Ed25519 key that signs notes under `name` (for checkpoints: the log's origin). */
export type NoteSigner = { name: string; privateKey: Uint8Array; publicKey: Uint8Array };

const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_TYPE = 0x01;
/** Go's note package rejects notes with more signatures than this; so do we. */
const MAX_SIGNATURES = 100;
// Control characters other than newline are forbidden anywhere in a note.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

function fail<T>(message: string): EvidenceResult<T> {
  return { ok: false, error: { code: 'note_malformed', message } };
}

/** True for a valid note key name: non-empty, no Unicode spaces, no `+`. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && isWellFormed(name) && !FORBIDDEN_CONTROL.test(name);
}

/** The C2SP key id `SHA-256(name || 0x0A || 0x01 || public key)[:4]`, big-endian. */
export function noteKeyId(name: string, publicKey: Uint8Array, crypto: EvidenceCrypto): number {
  const digest = crypto.sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey));
  return (
    (((digest[0] ?? 0) << 24) | ((digest[1] ?? 0) << 16) | ((digest[2] ?? 0) << 8) | (digest[3] ?? 0)) >>> 0
  );
}

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** The verifier key string `<name>+<hex key id>+<base64(0x01 || public key)>` that note tools accept. */
export function formatVerifierKey(name: string, publicKey: Uint8Array, crypto: EvidenceCrypto): string {
  const id = keyIdHex(noteKeyId(name, publicKey, crypto));
  return `${name}+${id}+${toBase64(concatBytes(Uint8Array.of(ED25519_TYPE), publicKey))}`;
}

/** Parses a verifier key string; the key id must match the name and key it claims to identify. */
export function parseVerifierKey(
  text: string,
  crypto: EvidenceCrypto,
): EvidenceResult<{ name: string; keyId: number; publicKey: Uint8Array }> {
  // Only the first two '+' separate fields: base64 key material may contain '+' itself.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const key = fromBase64(text.slice(second + 1));
  const id = fromHex(idHex);
  if (first < 0 || second < 0 || !isValidKeyName(name) || id?.length !== 4 || key === null) {
    return fail(`verifier key '${text}' is not <name>+<8 hex digits>+<base64 key>`);
  }
  if (key.length !== 33 || key[0] !== ED25519_TYPE) {
    return fail(`verifier key '${name}' is not an Ed25519 key (type 0x01 followed by 32 bytes)`);
  }
  const publicKey = key.subarray(1);
  const keyId = noteKeyId(name, publicKey, crypto);
  if (keyIdHex(keyId) !== idHex)
    return fail(`verifier key '${name}': key id ${idHex} does not match the key`);
  return { ok: true, value: { name, keyId, publicKey } };
}

/**
 * Signs `text` (which must end in a newline and be a valid note text) and returns the whole note.
 * @throws TypeError for an invalid text or key name: notes are built by CAVRA itself, so that is a bug.
 */
export function signNote(text: string, signers: readonly NoteSigner[], crypto: EvidenceCrypto): string {
  if (!text.endsWith('\n') || FORBIDDEN_CONTROL.test(text) || !isWellFormed(text)) {
    throw new TypeError(
      'signNote: the text must end in a newline and contain no control characters but newline',
    );
  }
  const message = utf8(text);
  let note = `${text}\n`;
  for (const signer of signers) {
    if (!isValidKeyName(signer.name))
      throw new TypeError(`signNote: '${signer.name}' is not a valid key name`);
    const id = noteKeyId(signer.name, signer.publicKey, crypto);
    const blob = new Uint8Array(68);
    new DataView(blob.buffer).setUint32(0, id);
    blob.set(crypto.ed25519Sign(message, signer.privateKey), 4);
    note += `${SIGNATURE_PREFIX}${signer.name} ${toBase64(blob)}\n`;
  }
  return note;
}

function parseSignatureLine(line: string): NoteSignature | null {
  if (!line.startsWith(SIGNATURE_PREFIX)) return null;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.lastIndexOf(' ');
  const name = rest.slice(0, space);
  const blob = fromBase64(rest.slice(space + 1));
  if (space < 0 || !isValidKeyName(name) || blob === null || blob.length < 5) return null;
  const keyId = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0);
  return { name, keyId, signature: blob.slice(4) };
}

/**
 * Splits a note into text and signature lines at its last blank line, enforcing the C2SP syntax
 * (UTF-8 text, no control characters but newline, at least one well-formed signature line). Verifies nothing.
 */
export function parseNote(note: string): EvidenceResult<ParsedNote> {
  if (!isWellFormed(note) || FORBIDDEN_CONTROL.test(note)) {
    return fail('the note contains control characters or invalid UTF-16');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return fail('the note has no blank line before its signatures');
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return fail(`the note has more than ${MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    const signature = parseSignatureLine(line);
    if (signature === null) return fail(`signature line ${i + 1} is not '— <key name> <base64 signature>'`);
    signatures.push(signature);
  }
  return { ok: true, value: { text: note.slice(0, split + 1), signatures } };
}

/** True when `signature` is a valid Ed25519 signature of `text` by `publicKey` (the key id is not checked). */
export function verifyNoteSignature(
  text: string,
  signature: NoteSignature,
  publicKey: Uint8Array,
  crypto: EvidenceCrypto,
): boolean {
  return (
    signature.signature.length === 64 && crypto.ed25519Verify(signature.signature, utf8(text), publicKey)
  );
}
