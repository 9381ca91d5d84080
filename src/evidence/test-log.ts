/**
 * Synthetic logs for tests and benchmarks: deterministic decisions, entries, a key and signed checkpoints.
 * Not part of the public entry; nothing here is fit for production keys.
 */
import type { JsonObject } from '../engine';
import { signCheckpoint, logOrigin, type CheckpointRecord } from './checkpoint';
import { nobleCrypto } from './crypto';
import { createEntry, entryLeafHash, headOf } from './entry';
import { generateKeyPair, type EvidenceKeyPair } from './keys';
import { MerkleFrontier } from './merkle';
import { createTrustRoot, type TrustRoot } from './trust-root';
import type { EvidenceCrypto, EvidenceEntry, LogHead } from './types';

/** The upstream reference test key's seed (bytes 0x00..0x1f). Tests only. */
export const TEST_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);

const START = Date.UTC(2026, 4, 21, 15, 40, 0);

/** An RFC 3339 time `seconds` after the synthetic log's start. */
export function testTime(seconds: number): string {
  return new Date(START + seconds * 1000).toISOString();
}

const OUTCOMES = ['allow', 'block', 'require_approval', 'warn'] as const;

/** A `cavra.decision.v1`-shaped payload, varied by `i`. */
export function testDecision(i: number, session = `sess_${String(i % 3)}`): JsonObject {
  const decision = OUTCOMES[i % OUTCOMES.length] ?? 'allow';
  const id = i.toString(16).padStart(12, '0');
  return {
    schema_version: 'cavra.decision.v1',
    decision_id: `dec_${id}`,
    session_id: session,
    agent_id: 'claude-code',
    actor: 'claude-code',
    repository: 'payments/api',
    action_type: 'write_file',
    target: `src/module-${String(i)}.ts`,
    requested_operation: 'write',
    policy_pack: 'cavra-ai-agent-baseline',
    policy_id: 'cavra-ai-agent-baseline',
    rule_id: `filesystem.write.${decision}`,
    decision,
    severity: i % 5 === 0 ? 'high' : 'low',
    reason: `Matched path policy for module ${String(i)} — “quoted” ✓`,
    evidence_refs: [`evidence://${session}/dec_${id}`],
    approver_group: decision === 'require_approval' ? 'Platform Security' : null,
    timestamp: testTime(i),
    correlation_id: `corr_${id}`,
    mode: 'enforce',
    evidence_required: true,
    matched_rules: [
      { rule_id: `filesystem.write.${decision}`, decision, severity: 'low', pattern: 'src/**' },
    ],
  };
}

/** A synthetic log with its key, trust root and checkpoints. */
export type TestLog = {
  entries: EvidenceEntry[];
  checkpoints: CheckpointRecord[];
  key: EvidenceKeyPair;
  root: TrustRoot;
  origin: string;
};

/** Options for {@link buildTestLog}. */
export type TestLogOptions = {
  size: number;
  /** Checkpoint after every this many entries (default 16); the whole log is always checkpointed at the end. */
  checkpointEvery?: number;
  seed?: Uint8Array;
  logId?: string;
  /** Shifts the synthetic decisions, so two logs of one size differ (default 0). */
  variant?: number;
  crypto?: EvidenceCrypto;
};

/** Builds a log of `size` decision entries, checkpointed every N entries and at its end. */
export function buildTestLog(options: TestLogOptions): TestLog {
  const crypto = options.crypto ?? nobleCrypto;
  const key = generateKeyPair(options.seed ?? TEST_SEED, crypto);
  const trustRoot = createTrustRoot({ publicKeyPem: key.publicKeyPem, validFrom: testTime(-3600) }, crypto);
  if (!trustRoot.ok) throw new Error(trustRoot.error.message);
  const origin = logOrigin(options.logId ?? 'test');
  const every = options.checkpointEvery ?? 16;
  const frontier = new MerkleFrontier(crypto);
  const entries: EvidenceEntry[] = [];
  const checkpoints: CheckpointRecord[] = [];
  let head: LogHead = null;
  const checkpoint = (): void => {
    const input = {
      origin,
      size: frontier.size,
      rootHash: frontier.root(),
      timestamp: testTime(frontier.size + 0.5),
    };
    checkpoints.push(signCheckpoint(input, key, crypto));
  };
  for (let i = 0; i < options.size; i++) {
    const entry = createEntry(
      head,
      'decision',
      testDecision(i + (options.variant ?? 0)),
      testTime(i),
      crypto,
    );
    entries.push(entry);
    head = headOf(entry);
    frontier.append(entryLeafHash(entry, crypto));
    if ((i + 1) % every === 0 && i + 1 < options.size) checkpoint();
  }
  checkpoint();
  return { entries, checkpoints, key, root: trustRoot.value, origin };
}
