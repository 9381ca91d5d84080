import { expect, test } from 'vitest';
import { fromBase64, toHex } from './canonical';
import {
  checkpointTimestamp,
  formatCheckpoint,
  isCheckpointDue,
  openCheckpointRecord,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint';
import { nobleCrypto as crypto } from './crypto';
import { generateKeyPair } from './keys';
import { formatVerifierKey, parseNote, parseVerifierKey, verifyNoteSignature } from './note';
import { TEST_SEED, buildTestLog, testTime } from './test-log';
import { createTrustRoot } from './trust-root';
import { verifyCheckpoint } from './verify-checkpoint';

const key = generateKeyPair(TEST_SEED, crypto);
const root = new Uint8Array(32).fill(7);
const signed = signCheckpoint(
  { origin: 'cavra.dev/evidence/t', size: 12, rootHash: root, timestamp: testTime(20) },
  key,
  crypto,
);
const trust = (
  overrides: Parameters<typeof createTrustRoot>[0] = {
    publicKeyPem: key.publicKeyPem,
    validFrom: testTime(0),
  },
) => {
  const made = createTrustRoot(overrides, crypto);
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
};

test("the tlog-checkpoint spec's example body parses", () => {
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const parsed = parseCheckpoint(text);
  expect(parsed).toMatchObject({
    ok: true,
    value: { origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] },
  });
  expect(parsed.ok && formatCheckpoint(parsed.value)).toBe(text);
});

test('checkpoint bodies are parsed strictly', () => {
  const b64 = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
  for (const text of [
    `o\n012\n${b64}\n`,
    `o\n-1\n${b64}\n`,
    `o\n12\n${b64.slice(4)}\n`,
    `o\n12\n${b64}`,
    `\n12\n${b64}\n`,
    `o\n12\n${b64}\n\nx\n`,
    `o\n99999999999999999999\n${b64}\n`,
  ]) {
    expect(parseCheckpoint(text)).toMatchObject({ ok: false, error: { code: 'checkpoint_malformed' } });
  }
});

test('a signed checkpoint is a C2SP note that Go tooling verifies with the log verifier key', () => {
  const note = parseNote(signed.note);
  const vkey = parseVerifierKey(formatVerifierKey('cavra.dev/evidence/t', key.publicKey, crypto), crypto);
  if (!note.ok || !vkey.ok) throw new Error('must parse');
  expect(note.value.text).toBe(
    `cavra.dev/evidence/t\n12\n${Buffer.from(root).toString('base64')}\ntimestamp ${testTime(20)}\n`,
  );
  const [signature] = note.value.signatures;
  expect(signature?.keyId).toBe(vkey.value.keyId);
  expect(signature && verifyNoteSignature(note.value.text, signature, vkey.value.publicKey, crypto)).toBe(
    true,
  );
  expect(signed).toMatchObject({
    tree_size: 12,
    root_hash: toHex(root),
    timestamp: testTime(20),
    origin: 'cavra.dev/evidence/t',
  });
});

test('records whose copied fields disagree with their note are refused', () => {
  expect(openCheckpointRecord(signed)).toMatchObject({ ok: true });
  expect(openCheckpointRecord({ ...signed, tree_size: 13 })).toMatchObject({
    ok: false,
    error: { code: 'checkpoint_malformed' },
  });
  expect(openCheckpointRecord({ ...signed, root_hash: 'ab'.repeat(32) })).toMatchObject({ ok: false });
  expect(openCheckpointRecord({ ...signed, extra: 1 })).toMatchObject({ ok: false });
  expect(
    openCheckpointRecord({ ...signed, note: signed.note.replace('timestamp', 'timestamp ') }),
  ).toMatchObject({ ok: false });
  const opened = openCheckpointRecord(signed);
  expect(opened.ok && checkpointTimestamp(opened.value.checkpoint)).toBe(testTime(20));
});

test('verifyCheckpoint applies trust roots and key status', () => {
  expect(verifyCheckpoint(signed, [trust()], crypto)).toMatchObject({
    errors: [],
    warnings: [],
    signedBy: [key.keyId],
  });
  expect(verifyCheckpoint(signed, [], crypto).warnings).toMatchObject([
    { code: 'checkpoint_signature_unverified' },
  ]);
  const other = generateKeyPair(new Uint8Array(32).fill(1), crypto);
  const unknown = verifyCheckpoint(
    signed,
    [trust({ publicKeyPem: other.publicKeyPem, validFrom: testTime(0) })],
    crypto,
  );
  expect(unknown.errors).toMatchObject([{ code: 'checkpoint_key_unknown' }]);
  const revoked = { ...trust(), status: 'revoked' as const };
  expect(verifyCheckpoint(signed, [revoked], crypto).errors).toMatchObject([
    { code: 'checkpoint_key_revoked' },
  ]);
  const retiredBefore = { ...trust(), status: 'retired' as const, valid_until: testTime(10) };
  expect(verifyCheckpoint(signed, [retiredBefore], crypto).errors).toMatchObject([
    { code: 'checkpoint_key_not_valid' },
  ]);
  const retiredAfter = { ...trust(), status: 'retired' as const, valid_until: testTime(30) };
  expect(verifyCheckpoint(signed, [retiredAfter], crypto).errors).toEqual([]);
  expect(verifyCheckpoint(signed, [trust()], crypto, 'cavra.dev/evidence/other').errors).toMatchObject([
    { code: 'checkpoint_origin_mismatch' },
  ]);
});

test('a forged signature from a trusted key name and id fails the whole note', () => {
  const blob = signed.note.slice(signed.note.lastIndexOf(' ') + 1, -1);
  const bytes = fromBase64(blob) as Uint8Array;
  bytes[10] = (bytes[10] ?? 0) ^ 1;
  const forged = { ...signed, note: signed.note.replace(blob, Buffer.from(bytes).toString('base64')) };
  expect(verifyCheckpoint(forged, [trust()], crypto).errors).toMatchObject([
    { code: 'checkpoint_signature_invalid' },
  ]);
});

test('checkpoints are due every N entries or T seconds, never on an unchanged log', () => {
  const policy = { everyEntries: 100, everySeconds: 60 };
  const last = { size: 10, timestamp: testTime(0) };
  expect(isCheckpointDue(policy, null, { size: 0, now: testTime(0) })).toBe(false);
  expect(isCheckpointDue(policy, null, { size: 1, now: testTime(0) })).toBe(true);
  expect(isCheckpointDue(policy, last, { size: 10, now: testTime(999) })).toBe(false);
  expect(isCheckpointDue(policy, last, { size: 11, now: testTime(59) })).toBe(false);
  expect(isCheckpointDue(policy, last, { size: 11, now: testTime(60) })).toBe(true);
  expect(isCheckpointDue(policy, last, { size: 110, now: testTime(1) })).toBe(true);
});

test('the synthetic log builder checkpoints every N entries and at the end', () => {
  const log = buildTestLog({ size: 40, checkpointEvery: 16 });
  expect(log.checkpoints.map((c) => c.tree_size)).toEqual([16, 32, 40]);
});
