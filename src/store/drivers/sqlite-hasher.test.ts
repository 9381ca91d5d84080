/**
 * Parallel verification on a SQLite file: a log large enough for the hashing thread verifies as valid, and an
 * edited row, a broken link or an entry beyond the last checkpoint is reported exactly as the single-threaded
 * verifier over the same rows reports it (the evidence layer's `verifyLog` over `pages()` is the reference).
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  LogWriter,
  createTrustRoot,
  generateKeyPair,
  logOrigin,
  verifyLog,
  type LogTrust,
  type VerificationReport,
} from '../../evidence';
import type { Store } from '../index';
import type { StoredHasher } from '../evidence-log';
import { openSqliteStore } from './better-sqlite3';
import { nodeCrypto } from './node-crypto';
import { startSqliteHasher } from './sqlite-hasher';

const ENTRIES = 24_000;
const origin = logOrigin('hasher-test');
const key = generateKeyPair(new Uint8Array(32).fill(7), nodeCrypto);
const root = createTrustRoot(
  { publicKeyPem: key.publicKeyPem, validFrom: '2020-01-01T00:00:00Z' },
  nodeCrypto,
);
if (!root.ok) throw new Error(root.error.message);
const trust: LogTrust = { roots: [root.value], origin };

let dir: string;
let path: string;

/** Appends `count` entries and signs a checkpoint over the log. */
async function grow(store: Store, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i += 2000) {
    await store.evidence.appendMany(
      Array.from({ length: Math.min(2000, count - i) }, (_, k) => ({
        kind: 'decision' as const,
        payload: { n: i + k, tag, session_id: `s${String((i + k) % 7)}`, text: 'ü'.repeat(40) },
        recordedAt: new Date(Date.UTC(2026, 0, 1) + i + k).toISOString(),
      })),
    );
  }
  const writer = new LogWriter(origin, nodeCrypto, await store.evidence.state());
  await store.evidence.checkpoints.insert(writer.checkpoint(new Date().toISOString(), key));
}

/** What the single-threaded verifier says about the same rows. */
async function reference(store: Store): Promise<VerificationReport> {
  const entries = [];
  const texts = [];
  for await (const page of store.evidence.pages()) {
    entries.push(...page.entries);
    texts.push(...page.texts);
  }
  const checkpoints = (await store.evidence.checkpoints.list({ origin }, { limit: 500 })).items;
  return verifyLog(entries, checkpoints, trust, nodeCrypto, { texts });
}

const comparable = (report: VerificationReport) => ({
  valid: report.valid,
  errors: report.errors,
  warnings: report.warnings,
  checked: report.checked,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cavra-hasher-'));
  path = join(dir, 'cavra.db');
  const store = await openSqliteStore({ path });
  try {
    await grow(store, ENTRIES, 'a');
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The driver's hasher, recording the ranges it is asked for. */
function countingHasher(ranges: [number, number][]): () => StoredHasher {
  return () => {
    const hasher = startSqliteHasher({ path, busyTimeoutMs: 5000 });
    return {
      hash: (from, to) => {
        ranges.push([from, to]);
        return hasher.hash(from, to);
      },
      close: () => hasher.close(),
    };
  };
}

test('a large signed log verifies on two threads with the same report as one thread', async () => {
  const ranges: [number, number][] = [];
  const store = await openSqliteStore({ path, startHasher: countingHasher(ranges) });
  try {
    const progress: number[] = [];
    const report = await store.evidence.verify(trust, { onProgress: (p) => progress.push(p.done) });
    expect(report.valid).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.checked.covered_entries).toBe(ENTRIES);
    expect(progress.at(-1)).toBe(ENTRIES);
    expect(comparable(report)).toEqual(comparable(await reference(store)));
    // The hashing thread hashed the whole log, in order.
    expect(ranges[0]?.[0]).toBe(0);
    expect(ranges.at(-1)?.[1]).toBe(ENTRIES);
    expect(ranges.every(([from], i) => i === 0 || from === ranges[i - 1]?.[1])).toBe(true);
  } finally {
    await store.close();
  }
}, 120_000);

test('edits anywhere, and entries no checkpoint covers, are reported as the single-threaded verifier does', async () => {
  // A tail beyond the checkpoint, then edits: a payload, a link, a kind, in different hashed ranges.
  const grown = await openSqliteStore({ path });
  await grow(grown, 10, 'tail');
  await grown.evidence.appendMany([
    { kind: 'operations', payload: { unsigned: true }, recordedAt: '2027-01-01T00:00:00Z' },
  ]);
  await grown.close();
  const raw = new BetterSqlite3(path);
  raw
    .prepare(
      'update evidence_entries set payload = replace(payload, \'"tag":"a"\', \'"tag":"b"\') where sequence = 777',
    )
    .run();
  raw.prepare('update evidence_entries set previous_hash = entry_hash where sequence = 12001').run();
  raw.prepare("update evidence_entries set kind = 'approval' where sequence = 19999").run();
  raw.close();

  const ranges: [number, number][] = [];
  const store = await openSqliteStore({ path, startHasher: countingHasher(ranges) });
  try {
    const report = await store.evidence.verify(trust);
    expect(ranges.at(-1)?.[1]).toBe(ENTRIES + 10);
    expect(report.valid).toBe(false);
    const sequences = report.errors.map((e) => (e as { sequence?: number }).sequence);
    expect(sequences).toEqual(expect.arrayContaining([777, 12001, 19999]));
    expect(comparable(report)).toEqual(comparable(await reference(store)));
  } finally {
    await store.close();
  }
}, 120_000);
