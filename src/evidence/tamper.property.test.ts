/**
 * Issue 3 §4: every tamper class over generated logs is detected, and a clean log never raises an alarm.
 * Logs are prefixes (1–64 entries) of pre-built, pre-signed logs with a random subset of their checkpoints,
 * so each run costs a verification, not a signing ceremony.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { type CheckpointRecord } from './checkpoint';
import { nobleCrypto as crypto } from './crypto';
import { exportJsonl, verifyJsonl } from './jsonl';
import { generateKeyPair } from './keys';
import { buildTestLog, testTime } from './test-log';
import type { EvidenceEntry, VerificationReport } from './types';
import { verifyLog, type LogTrust } from './verify-log';

const MAX = 64;
const RUNS = { numRuns: 100 };
// One honest log with a checkpoint at every size, a different log under the same key and origin (replays),
// and a rewritten log signed by an attacker's key for the same origin (forgeries).
const honest = buildTestLog({ size: MAX, checkpointEvery: 1 });
const other = buildTestLog({ size: MAX, checkpointEvery: 1, variant: 1000 });
const forged = buildTestLog({
  size: MAX,
  checkpointEvery: 1,
  variant: 1000,
  seed: new Uint8Array(32).fill(9),
});

type Sample = { entries: EvidenceEntry[]; checkpoints: CheckpointRecord[]; trust: LogTrust; size: number };

function checkpointAt(log: typeof honest, size: number): CheckpointRecord {
  const checkpoint = log.checkpoints[size - 1];
  if (checkpoint?.tree_size !== size) throw new Error(`no checkpoint at ${size}`);
  return checkpoint;
}

/** A clean log: n entries, checkpoints at a few sizes and at n, the auditor trusting the one at n. */
const sample: fc.Arbitrary<Sample> = fc
  .integer({ min: 1, max: MAX })
  .chain((size) =>
    fc.record({
      size: fc.constant(size),
      sizes: fc.uniqueArray(fc.integer({ min: 1, max: size }), { maxLength: 3 }),
    }),
  )
  .map(({ size, sizes }) => {
    const checkpoints = [...new Set([...sizes, size])]
      .sort((a, b) => a - b)
      .map((s) => checkpointAt(honest, s));
    const trust: LogTrust = {
      roots: [honest.root],
      origin: honest.origin,
      trustedCheckpoint: checkpointAt(honest, size),
    };
    return { entries: honest.entries.slice(0, size), checkpoints, trust, size };
  });

const verify = (
  s: Sample,
  entries = s.entries,
  checkpoints = s.checkpoints,
  trust = s.trust,
): VerificationReport => verifyLog(entries, checkpoints, trust, crypto);

function expectDetected(report: VerificationReport): void {
  expect(report.valid).toBe(false);
  expect(report.errors.length).toBeGreaterThan(0);
}

/** Flips one byte of one line of the JSONL export; the file is decoded leniently, as a careless reader would. */
function flipByte(text: string, pickLine: (lines: string[]) => number, offset: number, mask: number): string {
  const lines = text.split('\n');
  const index = pickLine(lines);
  const bytes = new TextEncoder().encode(lines[index]);
  const at = offset % bytes.length;
  bytes[at] = (bytes[at] ?? 0) ^ mask;
  lines[index] = new TextDecoder().decode(bytes);
  return lines.join('\n');
}

test('a clean log never raises an alarm', () => {
  fc.assert(
    fc.property(sample, (s) => {
      expect(verify(s)).toMatchObject({ valid: true, errors: [], warnings: [] });
      expect(verifyJsonl(exportJsonl(s.entries, s.checkpoints), s.trust, crypto)).toMatchObject({
        valid: true,
        errors: [],
      });
    }),
    RUNS,
  );
});

test('flipping any byte of any entry in the exported file is detected', () => {
  fc.assert(
    fc.property(sample, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (s, which, offset, mask) => {
      const text = exportJsonl(s.entries, s.checkpoints);
      const entryLines = (lines: string[]): number[] =>
        lines.flatMap((line, i) => (line.startsWith('{"entry_hash"') ? [i] : []));
      const tampered = flipByte(text, (lines) => entryLines(lines)[which % s.size] ?? 0, offset, mask);
      expectDetected(verifyJsonl(tampered, s.trust, crypto));
    }),
    RUNS,
  );
});

test('flipping any byte of any checkpoint in the exported file is detected', () => {
  fc.assert(
    fc.property(sample, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (s, which, offset, mask) => {
      const text = exportJsonl(s.entries, s.checkpoints);
      const checkpointLines = (lines: string[]): number[] =>
        lines.flatMap((line, i) =>
          line.includes('"schema_version":"cavra.evidence.checkpoint.v1"') ? [i] : [],
        );
      const tampered = flipByte(
        text,
        (lines) => checkpointLines(lines)[which % s.checkpoints.length] ?? 0,
        offset,
        mask,
      );
      expectDetected(verifyJsonl(tampered, s.trust, crypto));
    }),
    RUNS,
  );
});

test('reordering entries is detected', () => {
  const reordered = sample
    .filter((s) => s.size >= 2)
    .chain((s) =>
      fc.tuple(fc.constant(s), fc.shuffledSubarray(s.entries, { minLength: s.size, maxLength: s.size })),
    );
  fc.assert(
    fc.property(reordered, ([s, entries]) => {
      fc.pre(entries.some((e, i) => e.sequence !== i));
      expectDetected(verify(s, entries));
    }),
    RUNS,
  );
});

test('deleting any entries is detected', () => {
  fc.assert(
    fc.property(sample, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (s, picks) => {
      const removed = new Set(picks.map((p) => p % s.size));
      expectDetected(
        verify(
          s,
          s.entries.filter((_, i) => !removed.has(i)),
        ),
      );
    }),
    RUNS,
  );
});

test('duplicating an entry anywhere is detected', () => {
  fc.assert(
    fc.property(sample, fc.nat(), fc.nat(), (s, from, to) => {
      const entries = [...s.entries];
      entries.splice(to % (s.size + 1), 0, s.entries[from % s.size] as EvidenceEntry);
      expectDetected(verify(s, entries));
    }),
    RUNS,
  );
});

test('truncating the log, with or without its checkpoints, or the file at any byte, is detected', () => {
  fc.assert(
    fc.property(sample, fc.nat(), fc.nat(), (s, keep, cut) => {
      const kept = keep % s.size;
      expectDetected(verify(s, s.entries.slice(0, kept)));
      expectDetected(
        verify(
          s,
          s.entries.slice(0, kept),
          s.checkpoints.filter((c) => c.tree_size <= kept),
        ),
      );
      const text = exportJsonl(s.entries, s.checkpoints);
      expectDetected(verifyJsonl(text.slice(0, cut % (text.length - 1)), s.trust, crypto));
    }),
    RUNS,
  );
});

test('rolling back to an older tree is detected against the previously trusted checkpoint', () => {
  fc.assert(
    fc.property(sample, fc.integer({ min: 1, max: MAX }), (s, newer) => {
      fc.pre(newer > s.size);
      // The log served is an honest older state; the auditor has already seen a bigger tree.
      const trust = { ...s.trust, trustedCheckpoint: checkpointAt(honest, newer) };
      expect(verify(s, s.entries, s.checkpoints, trust).errors.map((e) => e.code)).toContain('log_rollback');
    }),
    RUNS,
  );
});

test('forging a checkpoint (another key, or an edited note) is detected', () => {
  fc.assert(
    fc.property(sample, fc.boolean(), (s, isTrustedKnown) => {
      // A rewritten history signed by an attacker's key for the same origin.
      const entries = forged.entries.slice(0, s.size);
      const trust = isTrustedKnown ? s.trust : { roots: s.trust.roots };
      expectDetected(verify(s, entries, [checkpointAt(forged, s.size)], trust));
      // The honest checkpoint's note edited to claim the rewritten root.
      const genuine = checkpointAt(honest, s.size);
      const claimed = checkpointAt(other, s.size);
      const edited = {
        ...claimed,
        note: claimed.note.replace(/\n\n[^]*$/, genuine.note.slice(genuine.note.indexOf('\n\n'))),
      };
      expectDetected(verify(s, other.entries.slice(0, s.size), [edited], { roots: s.trust.roots }));
    }),
    RUNS,
  );
});

test('replaying a checkpoint from another log under the same key is detected', () => {
  fc.assert(
    fc.property(sample, fc.nat(), (s, which) => {
      const index = which % s.checkpoints.length;
      const replayed = checkpointAt(other, (s.checkpoints[index] as CheckpointRecord).tree_size);
      const checkpoints = s.checkpoints.map((c, i) => (i === index ? replayed : c));
      expectDetected(verify(s, s.entries, checkpoints, { roots: s.trust.roots, origin: honest.origin }));
    }),
    RUNS,
  );
});

test('swapping keys (another key in the trust root, revoked or retired-before-signing) is detected', () => {
  const stranger = generateKeyPair(new Uint8Array(32).fill(5), crypto);
  const swaps = [
    { ...honest.root, public_key_pem: stranger.publicKeyPem, public_key_sha256: stranger.fingerprint },
    { ...honest.root, status: 'revoked' as const },
    { ...honest.root, status: 'retired' as const, valid_until: testTime(0) },
    { ...honest.root, valid_from: testTime(MAX + 1) },
  ];
  fc.assert(
    fc.property(sample, fc.constantFrom(...swaps), (s, root) => {
      expectDetected(verify(s, s.entries, s.checkpoints, { ...s.trust, roots: [root] }));
    }),
    RUNS,
  );
});
