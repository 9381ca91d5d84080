/**
 * The evidence benchmark's workload builders leave a valid log (so `npm run bench:evidence` cannot silently
 * measure something broken): every mode the benchmark times, on sql.js, then the log read back from the store
 * and verified with the stored canonical texts, checkpoints and all.
 */
import { expect, test } from 'vitest';
import { buildPolicySet, decide } from '../src/engine';
import {
  LogWriter,
  MerkleTree,
  createTrustRoot,
  entryLeafHash,
  generateKeyPair,
  logOrigin,
  toHex,
  verifyLog,
  type EvidenceEntry,
} from '../src/evidence';
import { bundledPolicyDir, readPackSources } from '../src/cli/load-policies';
import { nodeCrypto } from '../src/store/drivers/node-crypto';
import { sqlJsDatabase } from './evidence/stores';
import { SESSION_LENGTH, createDecider, runAppends, type Checkpointer } from './evidence/workload';

test('the workload decides real requests and leaves a chain that verifies from the store', async () => {
  const crypto = nodeCrypto;
  const decider = createDecider(decide, buildPolicySet(readPackSources([bundledPolicyDir()])));
  const key = generateKeyPair(new Uint8Array(32).fill(7), crypto);
  const root = createTrustRoot(
    { publicKeyPem: key.publicKeyPem, validFrom: new Date(Date.now() - 60_000).toISOString() },
    crypto,
  );
  if (!root.ok) throw new Error(root.error.message);
  const signer: Checkpointer = { origin: logOrigin('bench-test'), crypto, key };
  const store = await sqlJsDatabase(crypto).open();
  try {
    const every = { checkpointEvery: 50, checkpointer: signer };
    const logged = [
      await runAppends([store], decider, { run: 'single', count: 30, mode: { kind: 'single' }, ...every }),
      await runAppends([store], decider, {
        run: 'group',
        count: 260,
        mode: { kind: 'concurrent', writers: 8 },
        ...every,
      }),
      await runAppends([store], decider, {
        run: 'batch',
        count: 210,
        mode: { kind: 'batch', size: 25 },
        ...every,
      }),
    ];
    expect(logged).toEqual([30, 260, 210]);

    const entries: EvidenceEntry[] = [];
    const texts: (string | undefined)[] = [];
    for await (const page of store.evidence.pages({ pageSize: 64 })) {
      entries.push(...page.entries);
      texts.push(...page.texts);
    }
    expect(entries).toHaveLength(500);
    expect(texts.every((t) => t !== undefined)).toBe(true);
    const checkpoints = (await store.evidence.checkpoints.list({}, { limit: 500 })).items;
    expect(checkpoints.length).toBeGreaterThanOrEqual(9);
    const report = verifyLog(
      entries,
      checkpoints,
      { roots: [root.value], origin: signer.origin, trustedCheckpoint: checkpoints[0] },
      crypto,
      { texts },
    );
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.checked.checkpoints_verified).toBe(checkpoints.length);

    // What the benchmark's goal measures: the store's streaming verification agrees.
    const streamed = await store.evidence.verify({
      roots: [root.value],
      origin: signer.origin,
      trustedCheckpoint: checkpoints[0],
    });
    expect(streamed).toEqual(report);

    // Real decisions of the bundled packs, several outcomes and action types, sessions of SESSION_LENGTH.
    const payloads = entries.map((e) => e.payload);
    expect(new Set(payloads.map((p) => p.schema_version))).toEqual(new Set(['cavra.decision.v1']));
    expect(new Set(payloads.map((p) => p.decision)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(payloads.map((p) => p.action_type)).size).toBeGreaterThanOrEqual(4);
    expect((await store.decisions.list({}, { limit: 1 })).total).toBe(500);
    const session = await store.sessions.get('sess_group_0');
    expect(session?.decision_count).toBe(SESSION_LENGTH);
    expect(session?.evidence_refs).toHaveLength(SESSION_LENGTH);

    // The stored writer state is the tree of what was read back.
    const state = await store.evidence.state();
    const tree = new MerkleTree(
      crypto,
      entries.map((e) => entryLeafHash(e, crypto)),
    );
    expect(toHex(new LogWriter(signer.origin, crypto, state).root())).toBe(toHex(tree.root()));
  } finally {
    await store.close();
  }
});
