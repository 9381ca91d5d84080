import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { expect, test } from 'vitest';
import { canonicalJson, toHex, utf8 } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import {
  canonicalEntryText,
  computeEntryHash,
  createEntry,
  entryLeafHash,
  headOf,
  verifyEntryHash,
} from './entry';
import { testDecision, testTime } from './test-log';

test('the first entry starts the chain and hashes its JCS form without entry_hash', () => {
  const entry = createEntry(null, 'decision', testDecision(0), testTime(0), crypto);
  const { entry_hash, ...rest } = entry;
  expect(entry).toMatchObject({
    schema_version: 'cavra.evidence.entry.v1',
    sequence: 0,
    previous_hash: null,
  });
  expect(entry_hash).toBe(toHex(sha256(utf8(canonicalize(rest) as string))));
  expect(verifyEntryHash(entry, crypto)).toBe(true);
});

test('each entry chains onto the head it was created from', () => {
  const first = createEntry(null, 'decision', testDecision(0), testTime(0), crypto);
  const second = createEntry(headOf(first), 'approval', { approval_id: 'apr_1' }, testTime(1), crypto);
  expect(second).toMatchObject({ sequence: 1, previous_hash: first.entry_hash, kind: 'approval' });
  expect(verifyEntryHash({ ...second, kind: 'decision' }, crypto)).toBe(false);
  expect(verifyEntryHash({ ...second, sequence: 2 }, crypto)).toBe(false);
});

test('fields outside the schema are covered by the hash, not silently ignored', () => {
  const entry = createEntry(null, 'decision', testDecision(0), testTime(0), crypto);
  expect(computeEntryHash({ ...entry, note: 'added later' } as typeof entry, crypto)).not.toBe(
    entry.entry_hash,
  );
});

test('the Merkle leaf is the RFC 6962 leaf of the 32-byte entry hash', () => {
  const entry = createEntry(null, 'decision', testDecision(0), testTime(0), crypto);
  const expected = sha256(Uint8Array.of(0, ...Buffer.from(entry.entry_hash, 'hex')));
  expect(entryLeafHash(entry, crypto)).toEqual(expected);
  expect(() => entryLeafHash({ entry_hash: 'xyz' }, crypto)).toThrow(TypeError);
});

test('caller bugs throw: a bad clock value or a payload without canonical form', () => {
  expect(() => createEntry(null, 'decision', {}, '2026-05-21 15:40', crypto)).toThrow(/RFC 3339/);
  expect(() => createEntry(null, 'decision', { text: '\ud800' }, testTime(0), crypto)).toThrow(
    /lone surrogate/,
  );
});

test("an entry's canonical text can be assembled from its payload's canonical text", () => {
  const first = createEntry(null, 'decision', testDecision(0), testTime(0), crypto);
  const second = createEntry(headOf(first), 'session', { session_id: 'é\u2028' }, testTime(1), crypto);
  for (const entry of [first, second]) {
    expect(canonicalEntryText(entry, canonicalJson(entry.payload))).toBe(canonicalJson(entry));
  }
});
