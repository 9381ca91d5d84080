import fc from 'fast-check';
import { expect, test } from 'vitest';
import { canonicalJson } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import { computeEntryHash, createEntry, entryHashInput, headOf, unhashedEntryText } from './entry';
import { buildTestLog, testDecision, testTime } from './test-log';
import type { EvidenceEntry, VerificationReport } from './types';
import { LogVerifier, verifyLog, type LogTrust, type StoredEntry } from './verify-log';

const log = buildTestLog({ size: 40, checkpointEvery: 16 });
const last = log.checkpoints.at(-1);
const trust: LogTrust = {
  roots: [log.root],
  origin: log.origin,
  ...(last ? { trustedCheckpoint: last } : {}),
};

/** An entry as a store keeps it: columns and the payload's canonical text. */
function stored(entry: EvidenceEntry): StoredEntry {
  return {
    sequence: entry.sequence,
    schema_version: entry.schema_version,
    kind: entry.kind,
    recorded_at: entry.recorded_at,
    previous_hash: entry.previous_hash,
    entry_hash: entry.entry_hash,
    payload: canonicalJson(entry.payload),
  };
}

function verifyStored(
  rows: readonly StoredEntry[],
  checkpoints = log.checkpoints,
  t = trust,
): VerificationReport {
  const verifier = new LogVerifier(checkpoints, t, crypto, { total: rows.length });
  for (const row of rows) verifier.addStored(row);
  return verifier.finish();
}

const codes = (report: VerificationReport): string[] =>
  report.errors.map((e) => `${e.code}@${String(e.sequence)}`);

test('unhashedEntryText is the JCS text the entry hash covers, and createEntry takes a precomputed payload text', () => {
  for (const entry of log.entries) {
    expect(
      unhashedEntryText(
        entry.kind,
        canonicalJson(entry.payload),
        entry.previous_hash,
        entry.recorded_at,
        entry.schema_version,
        entry.sequence,
      ),
    ).toBe(entryHashInput(entry));
    expect(computeEntryHash(entry, crypto)).toBe(entry.entry_hash);
  }
  const head = headOf(log.entries[5] as EvidenceEntry);
  const payload = testDecision(6);
  expect(createEntry(head, 'decision', payload, testTime(6), crypto, canonicalJson(payload))).toEqual(
    createEntry(head, 'decision', payload, testTime(6), crypto),
  );
});

test('stored rows verify exactly as the parsed entries do: clean, with an unverified tail, with progress', () => {
  const clean = verifyStored(log.entries.map(stored));
  expect(clean).toEqual(verifyLog(log.entries, log.checkpoints, trust, crypto));
  expect(clean).toMatchObject({ valid: true, errors: [], warnings: [] });

  // Entries beyond the last checkpoint take the full path (parsed): still valid, tail reported.
  const shorter = log.checkpoints.filter((c) => c.tree_size <= 20);
  const tailTrust: LogTrust = { roots: [log.root], origin: log.origin };
  const tail = verifyStored(log.entries.map(stored), shorter, tailTrust);
  expect(tail).toEqual(verifyLog(log.entries, shorter, tailTrust, crypto));
  expect(tail.warnings.map((w) => w.code)).toContain('tail_not_checkpointed');

  const big = buildTestLog({ size: 10_001, checkpointEvery: 5_000 });
  const progress: number[] = [];
  const verifier = new LogVerifier(big.checkpoints, { roots: [big.root], origin: big.origin }, crypto, {
    total: big.entries.length,
    onProgress: (p) => progress.push(p.done),
  });
  for (const entry of big.entries) verifier.addStored(stored(entry));
  expect(verifier.finish().valid).toBe(true);
  expect(progress).toEqual([10_000, 10_001]);
});

test('every edit of a stored row is reported with the code and sequence the parsed entry gets', () => {
  const rows = log.entries.map(stored);
  const edits: [string, (row: StoredEntry) => StoredEntry][] = [
    ['payload text', (r) => ({ ...r, payload: r.payload.replace('"decision":"', '"decision":"x') })],
    ['payload not JSON', (r) => ({ ...r, payload: `${r.payload.slice(0, -1)},}` })],
    ['payload an array', (r) => ({ ...r, payload: `[${r.payload}]` })],
    ['kind', (r) => ({ ...r, kind: 'approval' })],
    ['unknown kind', (r) => ({ ...r, kind: 'mystery' })],
    ['recorded_at', (r) => ({ ...r, recorded_at: testTime(1) })],
    ['recorded_at unreadable', (r) => ({ ...r, recorded_at: 'yesterday' })],
    ['schema_version', (r) => ({ ...r, schema_version: 'cavra.evidence.entry.v2' })],
    ['previous_hash', (r) => ({ ...r, previous_hash: 'f'.repeat(64) })],
    ['entry_hash', (r) => ({ ...r, entry_hash: 'f'.repeat(64) })],
    ['entry_hash uppercase', (r) => ({ ...r, entry_hash: r.entry_hash.toUpperCase() })],
    ['sequence', (r) => ({ ...r, sequence: r.sequence + 1 })],
  ];
  for (const [what, edit] of edits) {
    for (const at of [0, 7, 39]) {
      const edited = rows.map((row, i) => (i === at ? edit(row) : row));
      const report = verifyStored(edited);
      // The same rows as parsed entries (an unparseable payload stays a string, which is not an object).
      const parsed = edited.map((row) => {
        let payload: unknown;
        try {
          payload = JSON.parse(row.payload);
        } catch {
          payload = row.payload;
        }
        return { ...row, payload } as unknown as EvidenceEntry;
      });
      const expected = verifyLog(parsed, log.checkpoints, trust, crypto);
      expect(report.valid, `${what} at ${String(at)}`).toBe(what === 'unknown kind' ? expected.valid : false);
      expect(codes(report), `${what} at ${String(at)}`).toEqual(codes(expected));
    }
  }
  // Removing, duplicating and reordering rows.
  const without = rows.filter((_, i) => i !== 12);
  expect(codes(verifyStored(without))).toEqual(
    codes(
      verifyLog(
        log.entries.filter((_, i) => i !== 12),
        log.checkpoints,
        trust,
        crypto,
      ),
    ),
  );
  const twice = [...rows.slice(0, 13), rows[12] as StoredEntry, ...rows.slice(13)];
  expect(verifyStored(twice).errors.map((e) => e.code)).toContain('sequence_duplicate');
  const swapped = [...rows];
  [swapped[3], swapped[4]] = [swapped[4] as StoredEntry, swapped[3] as StoredEntry];
  expect(verifyStored(swapped).valid).toBe(false);
});

test('flipping any byte of any stored payload text is detected', () => {
  const rows = log.entries.map(stored);
  fc.assert(
    fc.property(fc.nat(rows.length - 1), fc.nat(), fc.integer({ min: 1, max: 0x7e }), (at, offset, code) => {
      const row = rows[at] as StoredEntry;
      const i = offset % row.payload.length;
      if (row.payload.charCodeAt(i) === code) return;
      const payload = row.payload.slice(0, i) + String.fromCharCode(code) + row.payload.slice(i + 1);
      const edited = rows.map((r, j) => (j === at ? { ...r, payload } : r));
      expect(verifyStored(edited).valid).toBe(false);
    }),
    { numRuns: 100 },
  );
});
