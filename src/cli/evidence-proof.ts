import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  entryLeafHash,
  fromHex,
  toHex,
  verifyCheckpoint,
  verifyInclusion,
  type CheckpointRecord,
  type EvidenceEntry,
  type TrustRoot,
} from '../evidence';
import type { Store } from '../store';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { DEFAULT_KEY_DIR, TRUST_ROOT_FILE, readTrustRootFile } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import {
  StoreInconsistent,
  checkStoredCheckpoints,
  inconsistentMessage,
  openEvidenceStore,
  readStoredTree,
  withStore,
} from './evidence-store';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  db: { type: 'string' },
  'trust-root': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const COMMAND = 'evidence proof';

/**
 * `cavra evidence proof <decision_id>`: the decision's log entry, its leaf and its inclusion proof against the
 * latest checkpoint, checked (proof against the signed root, signature against the trust root) before it is
 * printed. Exit 1 when no checkpoint covers the entry yet or a check fails.
 */
export async function runProof(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, COMMAND);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.proof);
    return EXIT.ok;
  }
  const [decisionId, extra] = positionals;
  if (decisionId === undefined || decisionId.trim() === '') {
    return usageError(io, 'missing <decision_id> (e.g. dec_07edaafbe99b)', COMMAND);
  }
  if (extra !== undefined) return usageError(io, `unexpected argument '${extra}'`, COMMAND);
  const trust = readProofTrust(io, values['trust-root']);
  if (!trust.ok) return usageError(io, trust.message);
  const opened = await openEvidenceStore(io, values.db, { mustExist: true });
  if (!opened.ok) return usageError(io, opened.message);
  const { label } = opened.value;
  return withStore(opened.value, async (store) => {
    const entry = await findDecisionEntry(store, decisionId);
    if (entry === null) {
      const stored = (await store.decisions.get(decisionId)) !== null;
      return stored
        ? fail(
            io,
            `decision ${decisionId} is stored in ${label} but has no evidence entry: it was not recorded as evidence`,
          )
        : usageError(io, `no decision '${decisionId}' in the evidence log at ${label}`);
    }
    const checkpoint = await store.evidence.checkpoints.latest();
    if (checkpoint === null || checkpoint.tree_size <= entry.sequence) {
      const latest =
        checkpoint === null
          ? 'the log has no checkpoint yet'
          : `the latest checkpoint covers entries 0..${checkpoint.tree_size - 1}`;
      const message = `entry ${entry.sequence} is not covered by a signed checkpoint yet (${latest}): run 'cavra evidence checkpoint', then ask again`;
      if (values.json === true)
        printJson(io, {
          decision_id: decisionId,
          sequence: entry.sequence,
          entry,
          proof: null,
          reason: message,
        });
      else io.stdout(renderEntry(entry, shouldColor(io)));
      return fail(io, message);
    }
    let tree;
    try {
      tree = await readStoredTree(store, checkpoint.tree_size);
      checkStoredCheckpoints(tree, [checkpoint]);
    } catch (error) {
      if (error instanceof StoreInconsistent)
        return fail(io, inconsistentMessage(label, error).replace('nothing was signed', 'no proof was made'));
      throw error;
    }
    const leaf = entryLeafHash(entry, nodeCrypto);
    const proof = tree.inclusionProof(entry.sequence, checkpoint.tree_size);
    const root = fromHex(checkpoint.root_hash) ?? new Uint8Array();
    if (!verifyInclusion(leaf, entry.sequence, checkpoint.tree_size, proof, root, nodeCrypto)) {
      return fail(
        io,
        `the inclusion proof of entry ${entry.sequence} does not lead to the checkpoint root: please report this`,
      );
    }
    const signature = verifyCheckpoint(checkpoint, trust.value?.roots ?? [], nodeCrypto);
    const result = {
      decision_id: decisionId,
      sequence: entry.sequence,
      entry,
      leaf_hash: toHex(leaf),
      inclusion_proof: proof.map(toHex),
      checkpoint,
      verified: {
        inclusion: true,
        signature:
          trust.value === null ? 'not_checked' : signature.errors.length === 0 ? 'verified' : 'invalid',
        signed_by: signature.signedBy,
        errors: signature.errors,
      },
    };
    if (values.json === true) printJson(io, result);
    else io.stdout(renderProof(io, result, checkpoint, trust.value?.path));
    if (signature.errors.length > 0) {
      return fail(
        io,
        `the checkpoint's signature does not verify: ${signature.errors.map((e) => e.message).join('; ')}`,
      );
    }
    return EXIT.ok;
  });
}

function fail(io: CliIo, message: string): number {
  io.stderr(`cavra: ${message}\n`);
  return EXIT.failed;
}

/** `--trust-root`, else the trust root `keygen` wrote when there is one, else none (reported as not checked). */
function readProofTrust(
  io: CliIo,
  path: string | undefined,
): { ok: true; value: { roots: TrustRoot[]; path: string } | null } | { ok: false; message: string } {
  const file = path ?? join(DEFAULT_KEY_DIR, TRUST_ROOT_FILE);
  if (path === undefined && !existsSync(resolve(io.cwd, file))) return { ok: true, value: null };
  const read = readTrustRootFile(io, file);
  if (!read.ok) return read;
  return { ok: true, value: { roots: read.value.roots, path: displayPath(io, resolve(io.cwd, file)) } };
}

/** The log entry of a decision: through its session when the decision is stored, else by scanning the log. */
async function findDecisionEntry(store: Store, decisionId: string): Promise<EvidenceEntry | null> {
  const isIt = (entry: EvidenceEntry): boolean =>
    entry.kind === 'decision' && entry.payload['decision_id'] === decisionId;
  const decision = await store.decisions.get(decisionId);
  if (decision !== null) {
    const found = (await store.evidence.forSession(decision.session_id)).find(isIt);
    if (found !== undefined) return found;
  }
  const size = await store.evidence.count();
  for (let from = 0; from < size; from += 5000) {
    const found = (await store.evidence.range(from, Math.min(size, from + 5000))).find(isIt);
    if (found !== undefined) return found;
  }
  return null;
}

function renderEntry(entry: EvidenceEntry, color: boolean): string {
  const payload = entry.payload;
  const text = (key: string): string => {
    const value = payload[key];
    return typeof value === 'string' ? value : '-';
  };
  return renderTable(
    [
      ['decision', `${text('decision_id')} (${text('decision')}, ${text('action_type')} ${text('target')})`],
      ['session', text('session_id')],
      ['entry', `${entry.sequence}, recorded ${entry.recorded_at}`],
      ['entry hash', entry.entry_hash],
      ['leaf hash', toHex(entryLeafHash(entry, nodeCrypto))],
    ],
    { color },
  );
}

function renderProof(
  io: CliIo,
  result: {
    entry: EvidenceEntry;
    inclusion_proof: string[];
    verified: { signature: string; signed_by: string[] };
  },
  checkpoint: CheckpointRecord,
  trustPath: string | undefined,
): string {
  const color = shouldColor(io);
  const signature =
    result.verified.signature === 'verified'
      ? `verified: trust root ${result.verified.signed_by.join(', ')} (${trustPath ?? ''})`
      : result.verified.signature === 'invalid'
        ? 'INVALID (see below)'
        : 'NOT checked: no trust root (pass --trust-root <file>)';
  const head = renderTable(
    [
      ['checkpoint', `tree size ${checkpoint.tree_size}, signed ${checkpoint.timestamp ?? '(no time)'}`],
      ['root', checkpoint.root_hash],
      ['origin', checkpoint.origin],
      ['signature', signature],
    ],
    { color },
  );
  const path = result.inclusion_proof.map((hash, i) => [String(i + 1), hash]);
  const proof =
    path.length === 0 ? '  (none: the tree has one entry)\n' : renderTable(path, { color, indent: '  ' });
  return (
    `${renderEntry(result.entry, color)}${head}\ninclusion proof (${path.length} hashes, leaf up)\n${proof}` +
    `\nverified: entry ${result.entry.sequence} is leaf ${result.entry.sequence} of the ${checkpoint.tree_size}-entry tree whose root the checkpoint signs\n`
  );
}
