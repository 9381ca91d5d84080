import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fromHex, toHex } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import {
  MerkleFrontier,
  MerkleTree,
  emptyRoot,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// RFC 6962 test vectors, as used by Go's transparency-dev/merkle and certificate-transparency-go.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const h = (hex: string): Uint8Array => fromHex(hex) as Uint8Array;
const vectorTree = (): MerkleTree =>
  new MerkleTree(
    crypto,
    LEAVES.map((l) => leafHash(h(l), crypto)),
  );

/** RFC 6962 §2.1 MTH, written as the recursive definition: the oracle for everything below. */
function naiveRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot(crypto);
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)), crypto);
}

function leavesOf(n: number, salt = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(Uint8Array.of(i & 255, i >> 8, salt), crypto));
}

test('the empty tree hashes to SHA-256 of nothing', () => {
  expect(toHex(new MerkleTree(crypto).root())).toBe(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('roots at every size match the RFC 6962 vectors', () => {
  const tree = vectorTree();
  ROOTS.forEach((root, i) => {
    expect(toHex(tree.root(i + 1))).toBe(root);
  });
});

test('inclusion proofs match the published vectors and verify', () => {
  const tree = vectorTree();
  const proof = tree.inclusionProof(5, 8);
  expect(proof.map(toHex)).toEqual([
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]);
  expect(verifyInclusion(tree.leaf(5), 5, 8, proof, h(ROOTS[7] as string), crypto)).toBe(true);
  expect(verifyInclusion(tree.leaf(5), 4, 8, proof, h(ROOTS[7] as string), crypto)).toBe(false);
  expect(tree.inclusionProof(2, 3).map(toHex)).toEqual([ROOTS[1]]);
});

test('consistency proofs match the published vectors and verify', () => {
  const tree = vectorTree();
  const proof = tree.consistencyProof(6, 8);
  expect(proof.map(toHex)).toEqual([
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]);
  const root = (n: number): Uint8Array => h(ROOTS[n - 1] as string);
  expect(verifyConsistency(6, 8, root(6), root(8), proof, crypto)).toBe(true);
  expect(verifyConsistency(6, 8, root(5), root(8), proof, crypto)).toBe(false);
  expect(tree.consistencyProof(2, 5).map(toHex)).toEqual([
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]);
});

test('the tree, the frontier and the recursive definition agree on every size up to 70', () => {
  const leaves = leavesOf(70);
  const tree = new MerkleTree(crypto);
  const frontier = new MerkleFrontier(crypto);
  for (let n = 0; n <= leaves.length; n++) {
    const expected = toHex(naiveRoot(leaves.slice(0, n)));
    expect(toHex(tree.root())).toBe(expected);
    expect(toHex(frontier.root())).toBe(expected);
    for (let m = 0; m <= n; m++) expect(toHex(tree.root(m))).toBe(toHex(naiveRoot(leaves.slice(0, m))));
    if (n < leaves.length) {
      tree.append(leaves[n] as Uint8Array);
      frontier.append(leaves[n] as Uint8Array);
    }
  }
});

test('every inclusion and consistency proof in trees up to 40 leaves verifies, and fails elsewhere', () => {
  const leaves = leavesOf(40);
  const tree = new MerkleTree(crypto, leaves);
  const wrong = leafHash(Uint8Array.of(255), crypto);
  for (let n = 1; n <= 40; n++) {
    const root = tree.root(n);
    for (let i = 0; i < n; i++) {
      const proof = tree.inclusionProof(i, n);
      expect(verifyInclusion(tree.leaf(i), i, n, proof, root, crypto)).toBe(true);
      expect(verifyInclusion(wrong, i, n, proof, root, crypto)).toBe(false);
      if (n > 1) expect(verifyInclusion(tree.leaf(i), (i + 1) % n, n, proof, root, crypto)).toBe(false);
    }
    for (let m = 0; m <= n; m++) {
      const proof = tree.consistencyProof(m, n);
      expect(verifyConsistency(m, n, tree.root(m), root, proof, crypto)).toBe(true);
      if (m > 0 && m < n) {
        expect(verifyConsistency(m, n, tree.root(m - 1), root, proof, crypto)).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n - 1), proof, crypto)).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m), root, proof.slice(1), crypto)).toBe(false);
      }
    }
  }
});

test('a proof never verifies against a forked tree (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), fc.nat(), (n, a, b) => {
      const m = 1 + (a % (n - 1));
      const changed = b % n;
      const leaves = leavesOf(n);
      const forked = [...leaves];
      forked[changed] = leafHash(Uint8Array.of(9, 9, 9), crypto);
      const tree = new MerkleTree(crypto, leaves);
      const fork = new MerkleTree(crypto, forked);
      const proof = fork.consistencyProof(m, n);
      const isPrefixChanged = changed < m;
      // The old root (from the honest tree) is consistent with the fork only if the change is after it.
      expect(verifyConsistency(m, n, tree.root(m), fork.root(), proof, crypto)).toBe(!isPrefixChanged);
      expect(verifyConsistency(m, n, tree.root(m), tree.root(), tree.consistencyProof(m, n), crypto)).toBe(
        true,
      );
    }),
    { numRuns: 100 },
  );
});

test('malformed proofs and sizes are rejected, not thrown', () => {
  const tree = new MerkleTree(crypto, leavesOf(5));
  const proof = tree.inclusionProof(1, 5);
  expect(
    verifyInclusion(tree.leaf(1), 1, 5, [...proof.slice(0, -1), new Uint8Array(31)], tree.root(), crypto),
  ).toBe(false);
  expect(verifyInclusion(tree.leaf(1), -1, 5, proof, tree.root(), crypto)).toBe(false);
  expect(verifyInclusion(tree.leaf(1), 1, 5, [...proof, tree.leaf(0)], tree.root(), crypto)).toBe(false);
  expect(verifyConsistency(3, 2, tree.root(3), tree.root(2), [], crypto)).toBe(false);
  expect(verifyConsistency(0, 5, emptyRoot(crypto), tree.root(), [], crypto)).toBe(true);
  expect(verifyConsistency(5, 5, tree.root(), tree.root(), [], crypto)).toBe(true);
  expect(() => tree.inclusionProof(5, 5)).toThrow(RangeError);
  expect(() => tree.root(6)).toThrow(RangeError);
});

test('a frontier survives a round trip through its JSON state', () => {
  const leaves = leavesOf(13);
  const frontier = new MerkleFrontier(crypto);
  for (const l of leaves.slice(0, 11)) frontier.append(l);
  const resumed = new MerkleFrontier(crypto, JSON.parse(JSON.stringify(frontier.toState())) as never);
  for (const l of leaves.slice(11)) resumed.append(l);
  expect(toHex(resumed.root())).toBe(toHex(naiveRoot(leaves)));
  expect(() => new MerkleFrontier(crypto, { size: 3, hashes: [] })).toThrow(TypeError);
});
