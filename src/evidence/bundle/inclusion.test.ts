import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { JsonObject } from '../../engine';
import { utf8 } from '../canonical';
import { logOrigin, signCheckpoint } from '../checkpoint';
import { nobleCrypto as crypto } from '../crypto';
import { createEntry, entryLeafHash, headOf } from '../entry';
import { generateKeyPair } from '../keys';
import { MerkleTree } from '../merkle';
import { createTrustRoot } from '../trust-root';
import type { EvidenceEntry, LogHead } from '../types';
import { utf8Decode } from './bytes';
import { buildSessionBundle } from './bundle';
import { buildInclusionProofs, INCLUSION_FILE, type InclusionProofs } from './inclusion';
import { pythonJsonFile } from './python-json';
import type { BundleDecision } from './records';
import { verifyBundle, type VerifyBundleOptions } from './verify';

const SAMPLE = join(import.meta.dirname, '../../../fixtures/evidence/bundle-sample/evidence.json');
const { decisions } = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { decisions: BundleDecision[] };
const CREATED_AT = '2026-05-21T15:50:00.000000+00:00';
const logKey = generateKeyPair(new Uint8Array(32).fill(4), crypto);
const origin = logOrigin('inclusion-test');

/** A log with an unrelated entry first, then the sample decisions as logged (before approvals were attached). */
function buildLog(): { entries: EvidenceEntry[]; tree: MerkleTree } {
  const entries: EvidenceEntry[] = [];
  let head: LogHead = null;
  const payloads: JsonObject[] = [{ session_id: 'other', note: 'unrelated' }];
  for (const { approval: _approval, ...logged } of decisions) payloads.push(logged as JsonObject);
  for (const [i, payload] of payloads.entries()) {
    const entry = createEntry(
      head,
      i === 0 ? 'session' : 'decision',
      payload,
      `2026-05-21T15:40:0${i}Z`,
      crypto,
    );
    entries.push(entry);
    head = headOf(entry);
  }
  return {
    entries,
    tree: new MerkleTree(
      crypto,
      entries.map((e) => entryLeafHash(e, crypto)),
    ),
  };
}

function proofs(): InclusionProofs {
  const { entries, tree } = buildLog();
  const checkpoint = signCheckpoint(
    { origin, size: tree.size, rootHash: tree.root(), timestamp: '2026-05-21T15:45:00Z' },
    logKey,
    crypto,
  );
  const result = buildInclusionProofs('sess_demo_001', entries.slice(1), tree, checkpoint, crypto);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function bundle(document: InclusionProofs, bundled = decisions): Map<string, Uint8Array> {
  const built = buildSessionBundle({
    sessionId: 'sess_demo_001',
    createdAt: CREATED_AT,
    decisions: bundled,
    inclusionProofs: document,
    crypto,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value.files;
}

const logRoot = createTrustRoot(
  { publicKeyPem: logKey.publicKeyPem, validFrom: '2026-01-01T00:00:00Z' },
  crypto,
);
const trust = { checkpointTrustRoots: logRoot.ok ? logRoot.value : null, crypto };
const codes = (files: Map<string, Uint8Array>, options: VerifyBundleOptions = trust) => {
  const report = verifyBundle(files, options);
  return { errors: report.errors.map((e) => e.code), warnings: report.warnings.map((w) => w.code), report };
};

test('inclusion-proofs.json is listed in the manifest and every decision proves into the signed checkpoint', () => {
  const files = bundle(proofs());
  const manifest = JSON.parse(utf8Decode(files.get('manifest.json') ?? new Uint8Array()) ?? '') as {
    files: { path: string }[];
  };
  expect(manifest.files.map((f) => f.path)).toContain(INCLUSION_FILE);
  const { errors, warnings, report } = codes(files);
  expect(errors).toEqual([]);
  expect(warnings).toEqual(['manifest_unsigned']);
  expect(report.checked).toMatchObject({ inclusion_proofs: 3, decisions: 3 });
});

test('without trust roots for the log key the checkpoint signature is a warning', () => {
  const { errors, warnings } = codes(bundle(proofs()), { crypto });
  expect(errors).toEqual([]);
  expect(warnings).toContain('checkpoint_signature_unverified');
});

test('a checkpoint signed by a revoked key fails', () => {
  const revoked = createTrustRoot(
    { publicKeyPem: logKey.publicKeyPem, validFrom: '2026-01-01T00:00:00Z', status: 'revoked' },
    crypto,
  );
  const { errors } = codes(bundle(proofs()), {
    checkpointTrustRoots: revoked.ok ? revoked.value : null,
    crypto,
  });
  expect(errors).toEqual(['checkpoint_key_revoked']);
});

test('a bundle decision that differs from the logged one fails, even though the bundle is self-consistent', () => {
  const edited = decisions.map((d, i) => (i === 0 ? { ...d, decision: 'allow' } : d));
  expect(codes(bundle(proofs(), edited)).errors).toEqual(['decision_differs_from_log']);
});

test('an edited entry, leaf or proof hash is caught', () => {
  const base = proofs();
  const first = base.proofs[0] as InclusionProofs['proofs'][number];
  const flip = (hex: string): string => (hex.startsWith('0') ? '1' : '0') + hex.slice(1);
  const cases: [InclusionProofs['proofs'][number], string[]][] = [
    [{ ...first, entry: { ...first.entry, recorded_at: '2026-05-21T15:40:09Z' } }, ['entry_hash_mismatch']],
    [{ ...first, leaf_hash: flip(first.leaf_hash) }, ['leaf_hash_mismatch']],
    [{ ...first, inclusion_proof: first.inclusion_proof.map(flip) }, ['inclusion_proof_invalid']],
    [{ ...first, checkpoint: 3 }, ['checkpoint_missing']],
  ];
  for (const [proof, expected] of cases) {
    const document = { ...base, proofs: [proof, ...base.proofs.slice(1)] };
    expect(codes(bundle(document)).errors).toEqual(expected);
  }
});

test('a decision without a proof is a warning; a malformed file is an error', () => {
  const base = proofs();
  expect(codes(bundle({ ...base, proofs: base.proofs.slice(1) })).warnings).toContain('decision_not_proven');
  const files = bundle(base);
  const broken = buildSessionBundle({
    sessionId: 'sess_demo_001',
    createdAt: CREATED_AT,
    decisions,
    inclusionProofs: { ...base, schema_version: 'x' } as unknown as InclusionProofs,
    crypto,
  });
  expect(broken.ok && codes(broken.value.files).errors).toEqual(['invalid_inclusion_proofs']);
  expect(utf8(pythonJsonFile(base))).toEqual(files.get(INCLUSION_FILE));
});

test('building refuses a checkpoint that is not a head of the tree', () => {
  const { entries, tree } = buildLog();
  const checkpoint = signCheckpoint(
    { origin, size: 2, rootHash: new Uint8Array(32), timestamp: '2026-05-21T15:45:00Z' },
    logKey,
    crypto,
  );
  const result = buildInclusionProofs('s', entries.slice(1), tree, checkpoint, crypto);
  expect(result.ok ? null : result.error.code).toBe('checkpoint_not_of_tree');
});

test('an entry with no canonical form (a lone surrogate) is an error, not an exception', () => {
  const base = proofs();
  const first = base.proofs[0] as InclusionProofs['proofs'][number];
  const lone = { ...first, entry: { ...first.entry, payload: { ...first.entry.payload, reason: '\ud800' } } };
  expect(codes(bundle({ ...base, proofs: [lone, ...base.proofs.slice(1)] })).errors).toEqual([
    'entry_hash_mismatch',
    'decision_differs_from_log',
  ]);
});
