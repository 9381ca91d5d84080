import { expect, test } from 'vitest';
import { rootFromInclusionProof } from './merkle';

type Hash = Uint8Array;
const hex = (bytes: Hash) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
async function sha(prefix: number, ...parts: Hash[]): Promise<Hash> {
  const joined = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  joined[0] = prefix;
  let at = 1;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}
const leaf = (i: number) => sha(0, new TextEncoder().encode(`entry ${i}`));

/** RFC 6962 tree hash and audit path, written independently of the code under test. */
function split(size: number): number {
  return 2 ** Math.floor(Math.log2(size - 1));
}
async function treeHash(leaves: Hash[]): Promise<Hash> {
  if (leaves.length === 1) return leaves[0] as Hash;
  const k = split(leaves.length);
  return sha(1, await treeHash(leaves.slice(0, k)), await treeHash(leaves.slice(k)));
}
async function auditPath(index: number, leaves: Hash[]): Promise<Hash[]> {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...(await auditPath(index, leaves.slice(0, k))), await treeHash(leaves.slice(k))]
    : [...(await auditPath(index - k, leaves.slice(k))), await treeHash(leaves.slice(0, k))];
}

test('every leaf of trees of 1 to 20 leaves proves to the root', { timeout: 30_000 }, async () => {
  for (let size = 1; size <= 20; size += 1) {
    const leaves = await Promise.all(Array.from({ length: size }, (_, i) => leaf(i)));
    const root = hex(await treeHash(leaves));
    for (let i = 0; i < size; i += 1) {
      const path = (await auditPath(i, leaves)).map(hex);
      expect(await rootFromInclusionProof(hex(leaves[i] as Hash), i, size, path)).toEqual({
        ok: true,
        rootHex: root,
      });
    }
  }
});

test('a wrong leaf, index or path does not reach the root', async () => {
  const leaves = await Promise.all(Array.from({ length: 7 }, (_, i) => leaf(i)));
  const root = hex(await treeHash(leaves));
  const path = (await auditPath(3, leaves)).map(hex);
  const good = hex(leaves[3] as Hash);
  const wrongLeaf = await rootFromInclusionProof(hex(await leaf(99)), 3, 7, path);
  expect(wrongLeaf.ok && wrongLeaf.rootHex === root).toBe(false);
  const wrongIndex = await rootFromInclusionProof(good, 2, 7, path);
  expect(wrongIndex.ok && wrongIndex.rootHex === root).toBe(false);
  expect(await rootFromInclusionProof(good, 3, 7, path.slice(1))).toMatchObject({ ok: false });
  expect(await rootFromInclusionProof(good, 7, 7, path)).toMatchObject({ ok: false });
});
