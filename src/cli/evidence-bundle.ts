import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckpointRecord, EvidenceEntry, MerkleTree } from '../evidence';
import {
  ATTESTATION_FILE,
  COMPLIANCE_FILE,
  EVIDENCE_FILE,
  INCLUSION_FILE,
  MANIFEST_FILE,
  RETENTION_FILE,
  SANDBOX_SUMMARY_FILE,
  SIEM_EVENT_FILE,
  buildInclusionProofs,
  buildSessionBundle,
  bundleToZip,
  bundleZipName,
  type BundleDecision,
  type InclusionProofs,
  type ManifestSigning,
} from '../evidence/bundle';
import type { Store } from '../store';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { defaultPrivateKeyPath, readSigningKey, writeFileAtomic, type SigningKey } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import {
  StoreInconsistent,
  checkStoredCheckpoints,
  errorText,
  openEvidenceStore,
  readStoredTree,
  signStoreCheckpoint,
  withStore,
} from './evidence-store';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  session: { type: 'string', short: 's' },
  db: { type: 'string' },
  out: { type: 'string', short: 'o' },
  key: { type: 'string', short: 'k' },
  'private-key': { type: 'string' },
  'key-id': { type: 'string' },
  zip: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const COMMAND = 'evidence bundle';

/** Where bundles go by default, relative to the working directory. */
const DEFAULT_BUNDLE_DIR = '.cavra/bundles';

/** Every file a bundle may hold: what `--force` clears from a folder before writing a new bundle. */
const BUNDLE_FILES = new Set([
  EVIDENCE_FILE,
  ATTESTATION_FILE,
  COMPLIANCE_FILE,
  SIEM_EVENT_FILE,
  SANDBOX_SUMMARY_FILE,
  RETENTION_FILE,
  INCLUSION_FILE,
  MANIFEST_FILE,
]);

/** Why a bundle has no `inclusion-proofs.json`, or the proofs it has. */
type Proofs = { proofs: InclusionProofs; signedNow: boolean } | { proofs: null; reason: string };

/**
 * `cavra evidence bundle --session S`: upstream's session bundle from the stored log, plus
 * `inclusion-proofs.json` (each decision's entry and inclusion proof against a signed checkpoint; one is
 * signed first when none covers the session yet and a private key is at hand).
 */
export async function runBundle(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, COMMAND);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.bundle);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    return usageError(
      io,
      `unexpected argument '${positionals[0] ?? ''}': name the session with --session`,
      COMMAND,
    );
  }
  const sessionId = values.session;
  if (sessionId === undefined || sessionId.trim() === '') {
    return usageError(io, 'missing --session <session_id>: the session to bundle', COMMAND);
  }
  if (values.key !== undefined && values['private-key'] !== undefined) {
    return usageError(
      io,
      'give --key (HS256) or --private-key (Ed25519), not both: a manifest has one signature',
      COMMAND,
    );
  }
  if (values.key === '') return usageError(io, 'the --key (HMAC) is empty', COMMAND);
  if (values['key-id'] !== undefined && values.key !== undefined) {
    return usageError(
      io,
      "option '--key-id' names an Ed25519 key: it does not apply to --key (HS256)",
      COMMAND,
    );
  }
  // The manifest is signed with Ed25519 by --private-key, else by the key 'cavra evidence keygen' made when
  // there is one; with --key by HMAC; with neither, it carries upstream's SHA256 digest only.
  let manifestKey: SigningKey | undefined;
  const useDefaultKey = values.key === undefined && existsSync(defaultPrivateKeyPath(io));
  if (values['private-key'] !== undefined || useDefaultKey) {
    const read = readSigningKey(io, values['private-key'], '--private-key');
    if (!read.ok) return usageError(io, read.message);
    manifestKey = read.value;
  } else if (values['key-id'] !== undefined) {
    return usageError(
      io,
      `option '--key-id' names the Ed25519 key, and there is none: pass --private-key (or run 'cavra evidence keygen')`,
      COMMAND,
    );
  }
  const target = outputPath(io, sessionId, values.out, values.zip === true);
  const clash = checkTarget(io, target, values.zip === true, values.force === true);
  if (clash !== undefined) return usageError(io, clash, COMMAND);

  const opened = await openEvidenceStore(io, values.db, { mustExist: true });
  if (!opened.ok) return usageError(io, opened.message);
  const { label } = opened.value;
  return withStore(opened.value, async (store) => {
    const entries = (await store.evidence.forSession(sessionId)).filter((e) => e.kind === 'decision');
    if (entries.length === 0) return unknownSession(io, store, sessionId, label);
    let proofs: Proofs;
    try {
      proofs = await inclusionProofs(io, store, sessionId, entries, manifestKey);
    } catch (error) {
      if (error instanceof StoreInconsistent) {
        io.stderr(
          `cavra: the evidence log in ${label} is inconsistent (${error.message}): no bundle was written. run 'cavra evidence verify --db ${label}' for the full report\n`,
        );
        return EXIT.failed;
      }
      throw error;
    }
    const signing: ManifestSigning =
      manifestKey !== undefined
        ? {
            mode: 'ed25519',
            privateKeyPem: manifestKey.key.privateKeyPem,
            publicKeyPem: manifestKey.key.publicKeyPem,
            keyId: values['key-id'] ?? manifestKey.keyId,
          }
        : values.key !== undefined
          ? { mode: 'hmac', key: values.key }
          : { mode: 'digest' };
    const built = buildSessionBundle({
      sessionId,
      createdAt: new Date(),
      decisions: entries.map(bundleDecision),
      signing,
      ...(proofs.proofs !== null && { inclusionProofs: proofs.proofs }),
      crypto: nodeCrypto,
    });
    if (!built.ok) return usageError(io, `cannot build the bundle: ${built.error.message}`, COMMAND);
    const { files, manifest } = built.value;
    try {
      writeBundle(target, files, values.zip === true);
    } catch (error) {
      io.stderr(`cavra: cannot write the bundle to ${displayPath(io, target)}: ${errorText(error)}\n`);
      return EXIT.failed;
    }
    const shown = displayPath(io, target);
    const proofText =
      proofs.proofs === null
        ? `not written: ${proofs.reason}`
        : `${proofs.proofs.proofs.length} proofs against the checkpoint of tree size ${proofs.proofs.checkpoints[0]?.tree_size ?? '?'}${proofs.signedNow ? ' (signed now)' : ''}`;
    if (values.json === true) {
      printJson(io, {
        session_id: sessionId,
        out: target,
        format: values.zip === true ? 'zip' : 'directory',
        decisions: entries.length,
        signature: manifest.signature.algorithm,
        key_id: 'key_id' in manifest.signature ? manifest.signature.key_id : null,
        inclusion_proofs: proofs.proofs === null ? null : proofs.proofs.proofs.length,
        inclusion_proofs_reason: proofs.proofs === null ? proofs.reason : null,
        files: manifest.files,
      });
    } else {
      const signature = manifest.signature;
      const signatureText =
        signature.algorithm === 'Ed25519'
          ? `Ed25519, key ${signature.key_id}`
          : signature.algorithm === 'HS256'
            ? 'HS256 (HMAC)'
            : 'SHA256 digest only: integrity, not authenticity (sign with --private-key or --key, or run cavra evidence keygen)';
      const color = shouldColor(io);
      io.stdout(
        renderTable(
          [
            ['session', sessionId],
            ['decisions', String(entries.length)],
            ['signature', signatureText],
            ['inclusion proofs', proofText],
            ['written', `${shown}${values.zip === true ? ` (${files.size} files)` : ''}`],
          ],
          { color },
        ),
      );
      if (values.zip !== true) {
        const rows = manifest.files.map((f) => [f.path, `${f.bytes} bytes`]);
        rows.push([MANIFEST_FILE, `${files.get(MANIFEST_FILE)?.length ?? 0} bytes`]);
        io.stdout(`\n${renderTable(rows, { color, indent: '  ' })}`);
      }
      const trustRoot = manifestKey?.trustRootPath;
      const keyHint =
        signature.algorithm === 'Ed25519'
          ? ` --trust-root ${trustRoot === undefined ? '<trust-root.json>' : displayPath(io, trustRoot)}`
          : signature.algorithm === 'HS256'
            ? ' --key <key>'
            : '';
      io.stdout(`\nverify: cavra evidence verify ${shown}${keyHint}\n`);
    }
    if (proofs.proofs === null) io.stderr(`cavra: warning: inclusion-proofs.json ${proofText}\n`);
    return EXIT.ok;
  });
}

/** The folder (or `.zip`) to write: `--out`, else `.cavra/bundles/<session>` (`<session>-evidence-bundle.zip`). */
function outputPath(io: CliIo, sessionId: string, out: string | undefined, zip: boolean): string {
  // A session id is data from an agent: it must not steer the path (no separators, no '..').
  const safe = sessionId.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  if (!zip) return resolve(io.cwd, out ?? join(DEFAULT_BUNDLE_DIR, safe));
  if (out?.toLowerCase().endsWith('.zip') === true) return resolve(io.cwd, out);
  return resolve(io.cwd, out ?? DEFAULT_BUNDLE_DIR, bundleZipName(safe));
}

/** Refuses to mix a new bundle into an old one: a folder must be empty (or cleared with --force). */
function checkTarget(io: CliIo, target: string, zip: boolean, force: boolean): string | undefined {
  if (!existsSync(target)) return undefined;
  const shown = displayPath(io, target);
  if (zip) {
    if (statSync(target).isDirectory()) return `${shown} is a folder: give the .zip file name with --out`;
    return force ? undefined : `${shown} already exists: pass --force to replace it`;
  }
  if (!statSync(target).isDirectory()) return `${shown} is a file: give a folder with --out (or use --zip)`;
  const names = readdirSync(target);
  if (names.length === 0) return undefined;
  const foreign = names.filter((name) => !BUNDLE_FILES.has(name));
  if (!force)
    return `${shown} is not empty: pass --force to replace the bundle in it, or choose another --out`;
  if (foreign.length > 0) {
    return `${shown} holds files that are not part of a bundle (${foreign.slice(0, 5).join(', ')}): choose another --out`;
  }
  return undefined;
}

function writeBundle(target: string, files: ReadonlyMap<string, Uint8Array>, zip: boolean): void {
  if (zip) {
    writeFileAtomic(target, bundleToZip(files));
    return;
  }
  // --force: an old bundle's files that the new one lacks (inclusion-proofs.json) would be unlisted files.
  if (existsSync(target)) {
    for (const name of readdirSync(target))
      if (BUNDLE_FILES.has(name) && !files.has(name)) unlinkSync(join(target, name));
  }
  // The manifest last: a bundle interrupted half-way has no manifest (or the old one) and fails verification.
  for (const [name, bytes] of files) if (name !== MANIFEST_FILE) writeFileAtomic(join(target, name), bytes);
  const manifest = files.get(MANIFEST_FILE);
  if (manifest !== undefined) writeFileAtomic(join(target, MANIFEST_FILE), manifest);
}

/** A logged decision as the bundle records it (the payload is the `cavra.decision.v1` decision). */
function bundleDecision(entry: EvidenceEntry): BundleDecision {
  const payload: unknown = entry.payload;
  return payload as BundleDecision;
}

async function unknownSession(io: CliIo, store: Store, sessionId: string, label: string): Promise<number> {
  const sessions = await store.sessions.list({}, { limit: 10 });
  const known = sessions.items.map((s) => s.session_id);
  const choices =
    known.length === 0
      ? 'the store has no sessions yet'
      : `recent sessions: ${known.join(', ')}${sessions.total > known.length ? ` (and ${sessions.total - known.length} more)` : ''}`;
  return usageError(
    io,
    `no decisions of session '${sessionId}' in the evidence log at ${label}: ${choices}`,
    COMMAND,
  );
}

/**
 * The session's inclusion proofs against the latest checkpoint when it covers every one of its entries;
 * otherwise against a checkpoint signed now (with `--private-key`, else the default key when there is one).
 * @throws StoreInconsistent when the stored log does not check out.
 */
async function inclusionProofs(
  io: CliIo,
  store: Store,
  sessionId: string,
  entries: readonly EvidenceEntry[],
  manifestKey: SigningKey | undefined,
): Promise<Proofs> {
  const last = Math.max(...entries.map((e) => e.sequence));
  const latest = await store.evidence.checkpoints.latest();
  let checkpoint: CheckpointRecord;
  let tree: MerkleTree;
  let signedNow = false;
  if (latest !== null && latest.tree_size > last) {
    checkpoint = latest;
    tree = await readStoredTree(store, latest.tree_size);
    checkStoredCheckpoints(tree, [latest]);
  } else {
    const covered =
      latest === null
        ? 'the log has no checkpoint yet'
        : `the latest checkpoint covers entries 0..${latest.tree_size - 1}`;
    let signer = manifestKey;
    if (signer === undefined && existsSync(defaultPrivateKeyPath(io))) {
      const read = readSigningKey(io, undefined, '--private-key');
      if (!read.ok)
        return {
          proofs: null,
          reason: `no checkpoint covers entry ${last} (${covered}) and ${read.message}`,
        };
      signer = read.value;
    }
    if (signer === undefined) {
      return {
        proofs: null,
        reason: `no checkpoint covers entry ${last} (${covered}) and there is no key to sign one: run 'cavra evidence keygen' and 'cavra evidence checkpoint', or pass --private-key`,
      };
    }
    const signed = await signStoreCheckpoint(store, signer.key, io.env);
    checkpoint = signed.record;
    tree = signed.tree;
    signedNow = signed.isNew;
  }
  const built = buildInclusionProofs(sessionId, entries, tree, checkpoint, nodeCrypto);
  if (!built.ok) return { proofs: null, reason: built.error.message };
  return { proofs: built.value, signedNow };
}
