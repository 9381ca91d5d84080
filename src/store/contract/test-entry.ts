/** The `nextEntry` the contract tests use, and a chain verifier. Node only (tests). */
import { createHash } from 'node:crypto';
import type { EvidenceEntry } from '../../evidence/types';
import type { NextEntry } from '../evidence-log';

/**
 * Stand-in for the evidence layer's `createEntry` (sha256 over JSON.stringify of the unhashed entry). The store
 * only needs a deterministic function of the head; the contract checks chaining, not canonicalisation.
 */
export const testNextEntry: NextEntry = (head, kind, payload, recordedAt) => {
  const unhashed = {
    schema_version: 'cavra.evidence.entry.v1' as const,
    sequence: head === null ? 0 : head.sequence + 1,
    kind,
    recorded_at: recordedAt,
    payload,
    previous_hash: head === null ? null : head.entry_hash,
  };
  return { ...unhashed, entry_hash: testEntryHash(unhashed) };
};

function testEntryHash(entry: Omit<EvidenceEntry, 'entry_hash'>): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex');
}

/** Problems in a log read back in order: gaps, broken links, hashes that do not match the content. */
export function chainProblems(entries: readonly EvidenceEntry[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const previous = i === 0 ? null : (entries[i - 1]?.entry_hash ?? null);
    if (entry.sequence !== i) problems.push(`entry ${i}: sequence ${entry.sequence}`);
    if (entry.previous_hash !== previous) problems.push(`entry ${i}: previous_hash does not link`);
    const { entry_hash, ...unhashed } = entry;
    if (testEntryHash(unhashed) !== entry_hash) problems.push(`entry ${i}: entry_hash does not match`);
  });
  return problems;
}
