import { expect, test } from 'vitest';
import { signCheckpoint } from './checkpoint';
import { nobleCrypto as crypto } from './crypto';
import { createEntry, headOf } from './entry';
import { generateKeyPair } from './keys';
import { MerkleTree } from './merkle';
import { canonicalEntryText, entryLeafHash } from './entry';
import { canonicalJson } from './canonical';
import { buildTestLog, testDecision, testTime } from './test-log';
import type { EvidenceEntry } from './types';
import { verifyLog, type LogTrust } from './verify-log';

const log = buildTestLog({ size: 40, checkpointEvery: 16 });
const last = log.checkpoints.at(-1);
const trust: LogTrust = {
  roots: [log.root],
  origin: log.origin,
  ...(last ? { trustedCheckpoint: last } : {}),
};
const codes = (entries: readonly EvidenceEntry[], checkpoints = log.checkpoints, t: LogTrust = trust) =>
  verifyLog(entries, checkpoints, t, crypto).errors.map((e) => e.code);

test('a clean log of 1,000 entries verifies without errors or warnings, reporting progress', () => {
  const big = buildTestLog({ size: 1000, checkpointEvery: 100 });
  const progress: number[] = [];
  const report = verifyLog(
    big.entries,
    big.checkpoints,
    { roots: [big.root], origin: big.origin, trustedCheckpoint: big.checkpoints[4] },
    crypto,
    (p) => progress.push(p.done),
  );
  expect(report).toMatchObject({ valid: true, errors: [], warnings: [] });
  expect(report.checked).toEqual({
    entries: 1000,
    checkpoints: 10,
    checkpoints_verified: 10,
    covered_entries: 1000,
  });
  expect(progress).toEqual([1000]);
});

test('an edited payload is one entry_hash error naming the sequence', () => {
  const entries = log.entries.map((e, i) =>
    i === 7 ? { ...e, payload: { ...e.payload, decision: 'allow' } } : e,
  );
  const report = verifyLog(entries, log.checkpoints, trust, crypto);
  expect(report.errors).toMatchObject([{ code: 'entry_hash_mismatch', sequence: 7, message: /^entry 7:/ }]);
});

test('a rewritten entry with a recomputed hash breaks the chain and the checkpoints', () => {
  const entries = [...log.entries];
  const forged = createEntry(
    headOf(log.entries[6] as EvidenceEntry),
    'decision',
    testDecision(99),
    testTime(7),
    crypto,
  );
  entries[7] = forged;
  expect(codes(entries)).toEqual([
    'previous_hash_mismatch',
    'checkpoint_root_mismatch',
    'checkpoint_root_mismatch',
    'log_fork',
    'checkpoint_root_mismatch',
  ]);
});

test('sequence problems: gap, duplicate, reorder', () => {
  const e = log.entries;
  expect(codes([...e.slice(0, 5), ...e.slice(6)])).toContain('sequence_gap');
  expect(codes([...e.slice(0, 5), e[4] as EvidenceEntry, ...e.slice(5)])).toContain('sequence_duplicate');
  const swapped = [...e];
  [swapped[3], swapped[4]] = [e[4] as EvidenceEntry, e[3] as EvidenceEntry];
  expect(codes(swapped)).toEqual(
    expect.arrayContaining(['sequence_gap', 'sequence_out_of_order', 'previous_hash_mismatch']),
  );
});

test('truncation and rollback are errors; without a trusted checkpoint rollback is a warning', () => {
  expect(codes(log.entries.slice(0, 35))).toEqual(['log_rollback', 'checkpoint_beyond_log']);
  const older = log.checkpoints.filter((c) => c.tree_size <= 32);
  expect(codes(log.entries.slice(0, 32), older)).toEqual(['log_rollback']);
  const report = verifyLog(log.entries.slice(0, 32), older, { roots: [log.root] }, crypto);
  expect(report.valid).toBe(true);
  expect(report.warnings.map((w) => w.code)).toEqual(['rollback_unchecked']);
});

test('an uncovered tail and missing trust roots are warnings, never silent', () => {
  const extra = createEntry(
    headOf(log.entries.at(-1) as EvidenceEntry),
    'session',
    { session_id: 's' },
    testTime(50),
    crypto,
  );
  const report = verifyLog([...log.entries, extra], log.checkpoints, trust, crypto);
  expect(report.valid).toBe(true);
  expect(report.warnings).toMatchObject([
    { code: 'tail_not_checkpointed', sequence: 40, message: /entries 40\.\.40/ },
  ]);
  const unkeyed = verifyLog(log.entries, log.checkpoints, { roots: [] }, crypto);
  expect(unkeyed.valid).toBe(true);
  expect(unkeyed.warnings.map((w) => w.code)).toEqual([
    'checkpoint_signature_unverified',
    'rollback_unchecked',
  ]);
});

test('checkpoints by unknown, revoked or out-of-window keys are errors', () => {
  expect(
    codes(log.entries, log.checkpoints, { ...trust, roots: [{ ...log.root, status: 'revoked' }] }),
  ).toEqual(['checkpoint_key_revoked', 'checkpoint_key_revoked', 'checkpoint_key_revoked']);
  const retired = { ...log.root, status: 'retired' as const, valid_until: testTime(20) };
  expect(codes(log.entries, log.checkpoints, { ...trust, roots: [retired] })).toEqual([
    'checkpoint_key_not_valid',
    'checkpoint_key_not_valid',
  ]);
  const other = generateKeyPair(new Uint8Array(32).fill(3), crypto);
  const tree = new MerkleTree(
    crypto,
    log.entries.map((e) => entryLeafHash(e, crypto)),
  );
  const foreign = signCheckpoint(
    { origin: log.origin, size: 40, rootHash: tree.root(), timestamp: testTime(41) },
    other,
    crypto,
  );
  expect(codes(log.entries, [foreign])).toEqual(['checkpoint_key_unknown']);
});

test('a checkpoint replayed from another log is refused by origin or by root', () => {
  const [elsewhere] = buildTestLog({ size: 40, logId: 'other', variant: 1 }).checkpoints;
  const [sameOrigin] = buildTestLog({ size: 40, variant: 1 }).checkpoints;
  if (elsewhere === undefined || sameOrigin === undefined) throw new Error('logs have checkpoints');
  expect(codes(log.entries, [...log.checkpoints, elsewhere])).toEqual([
    'checkpoint_origin_mismatch',
    'checkpoint_root_mismatch',
  ]);
  expect(codes(log.entries, [...log.checkpoints, sameOrigin])).toEqual(['checkpoint_root_mismatch']);
});

test('schema problems are reported per field, with positions when the sequence is unreadable', () => {
  const broken = { ...log.entries[2], sequence: 'two', extra: true } as unknown as EvidenceEntry;
  const report = verifyLog(
    [...log.entries.slice(0, 2), broken, ...log.entries.slice(3)],
    [],
    { roots: [log.root] },
    crypto,
  );
  expect(report.errors.map((e) => e.code)).toEqual(
    expect.arrayContaining(['entry_sequence_invalid', 'entry_field_unexpected', 'entry_hash_mismatch']),
  );
  expect(report.errors.find((e) => e.code === 'entry_sequence_invalid')?.message).toMatch(
    /^entry at position 2:/,
  );
  expect(verifyLog([null as unknown as EvidenceEntry], [], { roots: [] }, crypto).errors[0]?.code).toBe(
    'entry_malformed',
  );
});

test('an empty log with no checkpoints is valid', () => {
  expect(verifyLog([], [], { roots: [log.root] }, crypto)).toMatchObject({ valid: true, errors: [] });
});

test('canonical texts from a store are hashed as given, and a wrong one is an error', () => {
  const texts = log.entries.map((e) => canonicalEntryText(e, canonicalJson(e.payload)));
  expect(verifyLog(log.entries, log.checkpoints, trust, crypto, { texts })).toMatchObject({
    valid: true,
    warnings: [],
  });
  const wrong = texts.map((t, i) => (i === 3 ? t.replace('"kind":', '"kind" :') : t));
  expect(verifyLog(log.entries, log.checkpoints, trust, crypto, { texts: wrong }).errors).toMatchObject([
    { code: 'entry_text_not_canonical', sequence: 3 },
  ]);
});

test('a trusted checkpoint of another log and an unreadable trust root are errors', () => {
  const elsewhere = buildTestLog({ size: 40, logId: 'other' }).checkpoints.at(-1);
  if (elsewhere === undefined) throw new Error('the log has checkpoints');
  expect(codes(log.entries, log.checkpoints, { ...trust, trustedCheckpoint: elsewhere })).toEqual([
    'trusted_checkpoint_origin_mismatch',
  ]);
  const unreadable = { ...log.root, public_key_pem: 'not a key' };
  expect(codes(log.entries, log.checkpoints, { ...trust, roots: [log.root, unreadable] })).toEqual([
    'trust_root_invalid',
  ]);
});
