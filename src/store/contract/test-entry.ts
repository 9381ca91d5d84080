/** The `nextEntry` the store tests use (the evidence layer's real one), and a chain verifier. Node only. */
import { createHash } from 'node:crypto';
import { createEntry, nobleCrypto, verifyEntryHash } from '../../evidence';
import type { EvidenceCrypto, EvidenceEntry } from '../../evidence';
import type { NextEntry } from '../evidence-log';

/** The evidence layer's crypto with Node's native SHA-256 (the hot path), as the server would bind it. */
const crypto: EvidenceCrypto = {
  ...nobleCrypto,
  sha256: (data) => createHash('sha256').update(data).digest(),
};

/** `createEntry` with its crypto bound: what the server, the CLI and hooks inject into the store. */
export const testNextEntry: NextEntry = (head, kind, payload, recordedAt) =>
  createEntry(head, kind, payload, recordedAt, crypto);

/** Problems in a log read back in order: gaps, broken links, hashes that do not match the content. */
export function chainProblems(entries: readonly EvidenceEntry[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const previous = i === 0 ? null : (entries[i - 1]?.entry_hash ?? null);
    if (entry.sequence !== i) problems.push(`entry ${i}: sequence ${entry.sequence}`);
    if (entry.previous_hash !== previous) problems.push(`entry ${i}: previous_hash does not link`);
    if (!verifyEntryHash(entry, crypto)) problems.push(`entry ${i}: entry_hash does not match`);
  });
  return problems;
}
