/**
 * The evidence side of the API: records decisions and session changes together with their log entries (one
 * unit of work), signs checkpoints (by policy and on demand), cuts inclusion proofs, builds session bundles
 * and verifies the stored log. One instance per app; it serialises its own tree and signing work.
 */
import type { Decision, JsonObject } from '../../engine';
import {
  buildInclusionProofs,
  buildPrAttestation,
  buildSessionBundle,
  bundleExportFiles,
  bundleToZip,
  bundleZipName,
  verifyPrAttestation,
  type AttestationVerification,
  type BundleDecision,
  type ExportProvider,
  type InclusionProofs,
} from '../../evidence/bundle';
import {
  formatVerifierKey,
  isCheckpointDue,
  signCheckpoint,
  toHex,
  type CheckpointRecord,
  type EvidenceEntry,
  type VerificationReport,
} from '../../evidence';
import type { FollowingAppend, SessionInput, SessionRecord, Store } from '../../store';
import type { EvidenceSigner } from '../deps';
import { ApiError } from '../errors';
import { sessionView } from '../schemas/session';
import { LogTree } from './log-tree';

/** A built session bundle archive. */
export type BundleArchive = { bytes: Uint8Array<ArrayBuffer>; fileName: string; sha256: string };

/** What `GET /evidence/verify` returns. */
export type LogVerification = VerificationReport & {
  schema_version: 'cavra.evidence.log-verification.v1';
  origin: string;
  verified_at: string;
  trusted_key_ids: string[];
  trusted_checkpoint: { tree_size: number; root_hash: string } | null;
};

/** Options of {@link EvidenceService}. */
export type EvidenceServiceOptions = {
  store: Store;
  signer: EvidenceSigner;
  clock: () => Date;
  /** Manifest `signer` of bundles. */
  bundleSigner: string;
  onBackgroundError: (error: unknown) => void;
};

/** Records, checkpoints, proofs, bundles and verification over one store and one signing key. */
export class EvidenceService {
  readonly #store: Store;
  readonly #signer: EvidenceSigner;
  readonly #clock: () => Date;
  readonly #bundleSigner: string;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #tree: LogTree;
  #queue: Promise<unknown> = Promise.resolve();
  /** The newest checkpoint known to this process (undefined: not read yet). */
  #latest: CheckpointRecord | null | undefined;
  /** The newest checkpoint this process signed: an anchor outside the database for rollback checks. */
  #signedHere: CheckpointRecord | null = null;

  constructor(options: EvidenceServiceOptions) {
    this.#store = options.store;
    this.#signer = options.signer;
    this.#clock = options.clock;
    this.#bundleSigner = options.bundleSigner;
    this.#onBackgroundError = options.onBackgroundError;
    this.#tree = new LogTree(options.signer.crypto);
  }

  /** The log's origin. */
  get origin(): string {
    return this.#signer.origin;
  }

  /** The signing key as `GET /evidence` shows it. */
  signingKey(): {
    key_id: string;
    algorithm: 'Ed25519';
    public_key_sha256: string;
    public_key_pem: string;
    note_verifier_key: string;
  } {
    const { key, origin, crypto } = this.#signer;
    return {
      key_id: key.keyId,
      algorithm: 'Ed25519',
      public_key_sha256: key.fingerprint,
      public_key_pem: key.publicKeyPem,
      note_verifier_key: formatVerifierKey(origin, key.publicKey, crypto),
    };
  }

  /**
   * Stores a decision, its session summary and its log entry in one unit of work, then signs a checkpoint if
   * the policy says one is due (a failure there is reported, not thrown: the decision is already stored).
   * @throws ApiError 409 when a decision with this id is already stored.
   */
  async recordDecision(decision: Decision): Promise<EvidenceEntry> {
    // The store's decision append is the unit of work: row, session summary and entry in one transaction,
    // group-committed with the other requests in flight (0008 addendum).
    const entry = await this.#store.evidence.appendDecision(decision, this.#clock().toISOString());
    if (entry === null) throw decisionExists(decision);
    try {
      await this.checkpointIfDue(entry.sequence + 1);
    } catch (error) {
      this.#onBackgroundError(error);
    }
    return entry;
  }

  /**
   * {@link recordDecision} with an entry logged right after the decision's (and the approval it records stored)
   * in the same transaction, group-committed with the other requests in flight: a `require_approval` decision
   * and its approval's `requested` entry. The caller checks for a due checkpoint with the follow-up entry.
   * @throws ApiError 409 when a decision with this id is already stored (nothing is written).
   */
  async recordDecisionFollowedBy(
    decision: Decision,
    recordedAt: string,
    follow: FollowingAppend,
  ): Promise<[decision: EvidenceEntry, follow: EvidenceEntry]> {
    const appended = await this.#store.evidence.appendDecisionWith(decision, recordedAt, follow);
    if (appended === null) throw decisionExists(decision);
    return appended;
  }

  /** Upserts a session summary and logs the result (a `session` entry) in one unit of work. */
  async recordSession(input: SessionInput): Promise<SessionRecord> {
    return this.#store.transaction(async (tx) => {
      const record = await tx.sessions.upsert(input);
      await tx.evidence.append('session', toJsonObject(sessionView(record)), this.#clock().toISOString());
      return record;
    });
  }

  /**
   * Signs a checkpoint when the policy says one is due (every N entries or T seconds with new entries).
   * @param size - the log size the caller just saw; read from the store when absent.
   */
  async checkpointIfDue(size?: number): Promise<CheckpointRecord | null> {
    const current = size ?? (await this.#logSize());
    const last = await this.#latestCheckpoint();
    const isDue = isCheckpointDue(
      this.#signer.checkpointPolicy,
      last === null ? null : { size: last.tree_size, timestamp: last.timestamp ?? '' },
      { size: current, now: this.#clock().toISOString() },
    );
    if (!isDue) return null;
    return (await this.#exclusive(() => this.#checkpointCovering(current))).checkpoint;
  }

  /**
   * Signs a checkpoint over the whole log now, unless the latest one already covers it.
   * @throws ApiError 409 when the log is empty.
   */
  async checkpoint(): Promise<{ checkpoint: CheckpointRecord; isNew: boolean }> {
    return this.#exclusive(async () => {
      const size = await this.#logSize();
      if (size === 0) {
        throw new ApiError(
          409,
          'evidence_log_empty',
          'the evidence log is empty: there is nothing to checkpoint',
        );
      }
      return this.#checkpointCovering(size);
    });
  }

  /** Checkpoints of this log, largest first. */
  listCheckpoints(page: { limit?: number; offset?: number }) {
    return this.#store.evidence.checkpoints.list({ origin: this.origin }, page);
  }

  /** The latest checkpoint of this log, or null. */
  latestCheckpoint(): Promise<CheckpointRecord | null> {
    return this.#latestCheckpoint(true);
  }

  /**
   * The inclusion proof of a decision's log entry against the latest signed checkpoint, signing a new one if
   * none covers the entry yet. Null when no such decision is stored.
   */
  async proof(decisionId: string): Promise<InclusionProofs | null> {
    const decision = await this.#store.decisions.get(decisionId);
    if (decision === null) return null;
    const entries = await this.#decisionEntries(decision.session_id);
    const entry = entries.find((e) => e.payload['decision_id'] === decisionId);
    if (entry === undefined) {
      throw new ApiError(
        409,
        'decision_not_logged',
        `decision '${decisionId}' is stored but has no evidence entry (it was written around the log)`,
      );
    }
    return this.#proofs(decision.session_id, [entry]);
  }

  /**
   * The session's upstream-compatible evidence bundle (`cavra.evidence.bundle.v1`, Ed25519-signed manifest)
   * with `inclusion-proofs.json`, zipped. Null when the log has no decisions of this session.
   */
  async sessionBundle(sessionId: string): Promise<BundleArchive | null> {
    const files = await this.#sessionBundleFiles(sessionId);
    if (files === null) return null;
    // fflate returns a fresh array over its own ArrayBuffer (never a shared one).
    const bytes = bundleToZip(files) as Uint8Array<ArrayBuffer>;
    return { bytes, fileName: bundleZipName(sessionId), sha256: toHex(this.#signer.crypto.sha256(bytes)) };
  }

  /**
   * A session's SIEM export (upstream's Splunk HEC, Sentinel, Datadog, webhook payloads, or OCSF / JSONL), cut
   * from the same signed bundle `sessionBundle` serves, as file name → text. Null when the session has no
   * logged decisions.
   */
  async sessionExport(
    sessionId: string,
    provider: ExportProvider,
    productVersion: string,
  ): Promise<{ name: string; text: string }[] | null> {
    const files = await this.#sessionBundleFiles(sessionId);
    if (files === null) return null;
    const exported = bundleExportFiles(files, provider, { productVersion });
    if (!exported.ok) throw new Error(`exporting session ${sessionId}: ${exported.error.message}`);
    const decoder = new TextDecoder();
    return [...exported.value].map(([name, bytes]) => ({ name, text: decoder.decode(bytes) }));
  }

  /** The session's PR attestation (upstream's Markdown), or null without logged decisions. */
  async attestation(sessionId: string): Promise<string | null> {
    const entries = await this.#decisionEntries(sessionId);
    return entries.length === 0 ? null : buildPrAttestation(sessionId, entries.map(loggedDecision));
  }

  /**
   * Checks a PR attestation (e.g. pasted from a pull request) against the session's logged decisions: title,
   * session line, summary counts and one line per decision; `missing_targets` lists what it leaves out.
   */
  async verifyAttestation(sessionId: string, markdown: string): Promise<AttestationVerification | null> {
    const entries = await this.#decisionEntries(sessionId);
    if (entries.length === 0) return null;
    return verifyPrAttestation(markdown, sessionId, entries.map(loggedDecision));
  }

  async #sessionBundleFiles(sessionId: string): Promise<Map<string, Uint8Array> | null> {
    const entries = await this.#decisionEntries(sessionId);
    if (entries.length === 0) return null;
    const proofs = await this.#proofs(sessionId, entries);
    const { key, crypto } = this.#signer;
    const bundle = buildSessionBundle({
      sessionId,
      createdAt: this.#clock(),
      decisions: entries.map(loggedDecision),
      signer: this.#bundleSigner,
      signing: {
        mode: 'ed25519',
        privateKeyPem: key.privateKeyPem,
        publicKeyPem: key.publicKeyPem,
        keyId: key.keyId,
      },
      inclusionProofs: proofs,
      crypto,
    });
    if (!bundle.ok) throw new Error(`building the bundle of session ${sessionId}: ${bundle.error.message}`);
    return new Map(bundle.value.files);
  }

  /**
   * Verifies the whole stored log and this origin's checkpoints against the trust roots (docs/evidence-log.md
   * §6), with the newest checkpoint this process signed as the trusted one.
   */
  async verify(): Promise<LogVerification> {
    const trusted = this.#signedHere;
    const { trustRoots, origin } = this.#signer;
    // Streamed from the store (its checkpoints of this origin first, then the entries they cover and any after).
    const report = await this.#store.evidence.verify({
      roots: trustRoots,
      origin,
      ...(trusted !== null && { trustedCheckpoint: trusted }),
    });
    return {
      schema_version: 'cavra.evidence.log-verification.v1',
      origin,
      verified_at: this.#clock().toISOString(),
      trusted_key_ids: trustRoots.map((root) => root.key_id),
      trusted_checkpoint:
        trusted === null ? null : { tree_size: trusted.tree_size, root_hash: trusted.root_hash },
      ...report,
    };
  }

  async #proofs(sessionId: string, entries: readonly EvidenceEntry[]): Promise<InclusionProofs> {
    const needed = Math.max(...entries.map((entry) => entry.sequence)) + 1;
    return this.#exclusive(async () => {
      const latest = await this.#latestCheckpoint(true);
      const { checkpoint } =
        latest !== null && latest.tree_size >= needed
          ? { checkpoint: latest }
          : await this.#checkpointCovering(await this.#logSize());
      await this.#tree.syncTo(this.#store.evidence, checkpoint.tree_size);
      this.#tree.assertMatches(checkpoint);
      const built = buildInclusionProofs(
        sessionId,
        entries,
        this.#tree.tree,
        checkpoint,
        this.#signer.crypto,
      );
      if (!built.ok) throw new Error(`inclusion proofs for session ${sessionId}: ${built.error.message}`);
      return built.value;
    });
  }

  /** Inside the queue: the latest checkpoint if it covers `size` entries, else a new one over the whole log. */
  async #checkpointCovering(size: number): Promise<{ checkpoint: CheckpointRecord; isNew: boolean }> {
    // The cache never runs ahead of the store, so a cached checkpoint that covers `size` is good enough.
    const cached = this.#latest;
    if (cached != null && cached.tree_size >= size) return { checkpoint: cached, isNew: false };
    const latest = await this.#latestCheckpoint(true);
    if (latest !== null && latest.tree_size >= size) return { checkpoint: latest, isNew: false };
    const current = await this.#logSize();
    await this.#tree.syncTo(this.#store.evidence, current);
    if (latest !== null) this.#tree.assertMatches(latest);
    const { origin, key, crypto } = this.#signer;
    const record = signCheckpoint(
      { origin, size: current, rootHash: this.#tree.root(current), timestamp: this.#clock().toISOString() },
      key,
      crypto,
    );
    const isNew = await this.#store.evidence.checkpoints.insert(record);
    // Another process may have signed this very size first; theirs is kept (same root, by the assertion above).
    const checkpoint = isNew ? record : ((await this.#latestCheckpoint(true)) ?? record);
    if (isNew) this.#signedHere = record;
    this.#latest = checkpoint;
    return { checkpoint, isNew };
  }

  async #latestCheckpoint(isFresh = false): Promise<CheckpointRecord | null> {
    if (isFresh || this.#latest === undefined) {
      this.#latest = await this.#store.evidence.checkpoints.latest(this.origin);
    }
    return this.#latest;
  }

  async #decisionEntries(sessionId: string): Promise<EvidenceEntry[]> {
    const entries = await this.#store.evidence.forSession(sessionId);
    return entries.filter((entry) => entry.kind === 'decision');
  }

  /**
   * How many entries the log holds: its head's sequence + 1 (sequences are contiguous from 0; a gap is found by
   * the tree sync). One index lookup, where counting the rows reads the whole table.
   */
  async #logSize(): Promise<number> {
    const head = await this.#store.evidence.head();
    return head === null ? 0 : head.sequence + 1;
  }

  /** Runs `fn` after every earlier queued task: one tree sync or signature at a time. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function decisionExists(decision: Decision): ApiError {
  return new ApiError(409, 'decision_exists', `decision '${decision.decision_id}' is already stored`);
}

/** The decision a `decision` entry records (its payload is the decision object, as stored). */
function loggedDecision(entry: EvidenceEntry): BundleDecision {
  const payload: unknown = entry.payload;
  return payload as BundleDecision;
}

/** A record as the JSON object it is stored as (drops `undefined` members, as JSON does). */
function toJsonObject(record: object): JsonObject {
  return JSON.parse(JSON.stringify(record)) as JsonObject;
}
