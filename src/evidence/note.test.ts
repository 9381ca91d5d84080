import { expect, test } from 'vitest';
import { fromBase64 } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import { ed25519PublicKey } from './crypto';
import { formatVerifierKey, parseNote, parseVerifierKey, signNote, verifyNoteSignature } from './note';

// The reference example of golang.org/x/mod/sumdb/note (note_test.go): key, text and signature.
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY_SEED = (fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz') as Uint8Array).subarray(1);
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const signer = { name: 'PeterNeumann', privateKey: SKEY_SEED, publicKey: ed25519PublicKey(SKEY_SEED) };

test("signing Go's reference text reproduces its note byte for byte", () => {
  expect(signNote(TEXT, [signer], crypto)).toBe(NOTE);
  expect(formatVerifierKey(signer.name, signer.publicKey, crypto)).toBe(VKEY);
});

test("Go's reference note parses and verifies with its verifier key", () => {
  const key = parseVerifierKey(VKEY, crypto);
  const note = parseNote(NOTE);
  if (!key.ok || !note.ok) throw new Error('reference vectors must parse');
  expect(note.value.text).toBe(TEXT);
  const [signature] = note.value.signatures;
  expect(signature).toMatchObject({ name: 'PeterNeumann', keyId: key.value.keyId });
  expect(signature && verifyNoteSignature(TEXT, signature, key.value.publicKey, crypto)).toBe(true);
  expect(
    signature &&
      verifyNoteSignature(
        TEXT.replace('cryptography', 'cryptographY'),
        signature,
        key.value.publicKey,
        crypto,
      ),
  ).toBe(false);
});

test('manglings of the verifier key are refused', () => {
  expect(parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4'), crypto)).toMatchObject({ ok: false });
  expect(parseVerifierKey(VKEY.replace('Peter', 'Pete r'), crypto)).toMatchObject({ ok: false });
  expect(parseVerifierKey(VKEY.replace('+ARpc', '+AhRpc'), crypto)).toMatchObject({ ok: false });
  expect(parseVerifierKey(`${VKEY}+x`, crypto)).toMatchObject({ ok: false });
});

test('malformed notes are refused with a reason', () => {
  const bad = [
    TEXT, // no signatures
    `${TEXT}\n`, // blank line but no signature
    NOTE.replace('— ', '-- '),
    NOTE.replace('PeterNeumann x08', 'Peter+Neumann x08'),
    NOTE.replace('x08go/', 'x08go_'),
    NOTE.slice(0, -1), // no final newline
    NOTE.replace('problem,', 'problem,\u0007'),
    `${TEXT}\n— PeterNeumann AAAA\n`, // shorter than a key id and one byte
  ];
  for (const note of bad)
    expect(parseNote(note)).toMatchObject({ ok: false, error: { code: 'note_malformed' } });
});

test('texts with blank lines keep them; the last blank line separates the signatures', () => {
  const text = 'a\n\nb\n';
  const note = parseNote(signNote(text, [signer], crypto));
  expect(note.ok && note.value.text).toBe(text);
  expect(() => signNote('no newline', [signer], crypto)).toThrow(TypeError);
  expect(() => signNote(TEXT, [{ ...signer, name: 'a b' }], crypto)).toThrow(TypeError);
});
