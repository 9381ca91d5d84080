/**
 * The evidence benchmark's workload: realistic agent requests decided by the real engine against the bundled
 * packs, then stored and logged through the real store (`appendDecision` / `appendDecisions`: decision row,
 * session summary, hash-chained entry, Merkle frontier, one transaction). The test `bench/evidence-bench.test.ts`
 * runs these same builders on sql.js and verifies the chain they leave, so the benchmark cannot measure
 * something broken.
 */
import type { DecideOptions, Decision, DecisionRequest, PolicySet } from '../../src/engine';
import { LogWriter, type EvidenceCrypto, type EvidenceKeyPair } from '../../src/evidence';
import type { Store } from '../../src/store';
import { requestsFor } from '../requests';

/** The engine's `decide`, from the shipped bundle (the benchmark) or the sources (the test). */
export type Decide = (
  request: DecisionRequest,
  policies: PolicySet,
  context: DecideOptions,
) => { ok: true; value: Decision } | { ok: false; error: { message: string } };

/** Decisions per agent session (a long coding session; summaries are rewritten on every batch). */
export const SESSION_LENGTH = 100;

const AGENTS = ['claude-code', 'cursor', 'codex', 'copilot'] as const;
const REPOSITORIES = ['acme/payments', 'acme/web', 'acme/infra'] as const;

/** The 21 request shapes of the engine benchmark (everyday commands, files, git, MCP, compound commands). */
const SHAPES = requestsFor(undefined).map((r) => r.request);

/**
 * Request number `i` of a run: one of the 21 shapes with the identity of its session (`SESSION_LENGTH` requests
 * per session, agents and repositories rotating). `run` keeps sessions of different runs apart.
 */
export function requestAt(run: string, i: number): DecisionRequest {
  const shape = SHAPES[i % SHAPES.length] ?? { action_type: 'read_file', target: 'README.md' };
  const session = Math.floor(i / SESSION_LENGTH);
  return {
    ...shape,
    session_id: `sess_${run}_${String(session)}`,
    agent_id: AGENTS[session % AGENTS.length] ?? 'claude-code',
    actor: `dev${String(session % 7)}@example.com`,
    repository: REPOSITORIES[session % REPOSITORIES.length] ?? 'acme/payments',
  };
}

/** What every decision needs besides the request: the packs, a clock and ids (a counter, as the engine bench). */
export type Decider = { decide: Decide; policies: PolicySet; context: DecideOptions };

/** A decider over `policies` with the real clock and counter ids (unique across the process). */
export function createDecider(decide: Decide, policies: PolicySet): Decider {
  let counter = 0;
  return {
    decide,
    policies,
    context: {
      now: () => new Date(),
      randomHex12: () => {
        counter = (counter + 1) % 0x1000000000000;
        return counter.toString(16).padStart(12, '0');
      },
      workspaceRoot: '/work/repo',
    },
  };
}

/** Decides request `i` of a run. */
export function decideAt(decider: Decider, run: string, i: number): Decision {
  const result = decider.decide(requestAt(run, i), decider.policies, decider.context);
  if (!result.ok) throw new Error(`request ${String(i)}: ${result.error.message}`);
  return result.value;
}

/** Signs checkpoints from the store's writer state (O(log n): no log is re-read). */
export type Checkpointer = { origin: string; crypto: EvidenceCrypto; key: EvidenceKeyPair };

/** Signs a checkpoint over the whole log from `state()` and stores it; returns whether it was new. */
export async function checkpointNow(store: Store, signer: Checkpointer): Promise<boolean> {
  const writer = new LogWriter(signer.origin, signer.crypto, await store.evidence.state());
  return store.evidence.checkpoints.insert(writer.checkpoint(new Date().toISOString(), signer.key));
}

/** How a run appends. */
export type AppendMode =
  /** One decide + record + chain at a time, each its own transaction (and commit). */
  | { kind: 'single' }
  /** `writers` concurrent callers of `appendDecision` on each store: the store's group commit coalesces them. */
  | { kind: 'concurrent'; writers: number }
  /**
   * `appendDecisions` with `size` decisions per call (one transaction each). `inFlight` (default 1): how many
   * calls may be unanswered at once, i.e. the next batches are decided while earlier ones commit (a producer
   * that does not wait for each commit before deciding more; every append is still counted once committed).
   */
  | { kind: 'batch'; size: number; inFlight?: number };

/** Options of {@link runAppends}. */
export type RunOptions = {
  run: string;
  count: number;
  mode: AppendMode;
  /** Sign a checkpoint (from the stored state) whenever the log has grown by this many entries. */
  checkpointEvery?: number;
  checkpointer?: Checkpointer;
};

/**
 * Decides and appends `count` requests through `stores` (several stores on one database stand for several
 * processes: each gets `writers` callers in concurrent mode, and single/batch runs use the first only).
 * Returns how many entries were logged (a decision id that was already stored is not logged).
 */
export async function runAppends(
  stores: readonly Store[],
  decider: Decider,
  options: RunOptions,
): Promise<number> {
  const [first] = stores;
  if (first === undefined) throw new Error('runAppends: no store');
  const { run, count, mode } = options;
  let logged = 0;
  let sinceCheckpoint = 0;
  const after = async (entries: number): Promise<void> => {
    logged += entries;
    sinceCheckpoint += entries;
    const every = options.checkpointEvery;
    if (every !== undefined && options.checkpointer !== undefined && sinceCheckpoint >= every) {
      sinceCheckpoint = 0;
      await checkpointNow(first, options.checkpointer);
    }
  };
  const recordedAt = (): string => new Date().toISOString();
  if (mode.kind === 'batch') {
    const inFlight: Promise<void>[] = [];
    for (let from = 0; from < count; from += mode.size) {
      const records = [];
      for (let i = from; i < Math.min(count, from + mode.size); i += 1) {
        records.push({ decision: decideAt(decider, run, i), recordedAt: recordedAt() });
      }
      inFlight.push(
        first.evidence
          .appendDecisions(records)
          .then((entries) => after(entries.filter((e) => e !== null).length)),
      );
      if (inFlight.length >= (mode.inFlight ?? 1)) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } else if (mode.kind === 'single') {
    for (let i = 0; i < count; i += 1) {
      const entry = await first.evidence.appendDecision(decideAt(decider, run, i), recordedAt());
      await after(entry === null ? 0 : 1);
    }
  } else {
    let next = 0;
    const writer = async (store: Store): Promise<void> => {
      // Bounded: each writer takes the next request number until `count` are taken.
      while (next < count) {
        const i = next;
        next += 1;
        const entry = await store.evidence.appendDecision(decideAt(decider, run, i), recordedAt());
        await after(entry === null ? 0 : 1);
      }
    };
    await Promise.all(stores.flatMap((store) => Array.from({ length: mode.writers }, () => writer(store))));
  }
  return logged;
}
