/**
 * `verifyBundle`: upstream's verification (§1.5) over a map of file name → bytes, collecting every problem.
 * Messages start with upstream's strings where upstream has them; codes are stable.
 * docs/evidence-bundles.md lists the rules and how they differ from upstream.
 */
import { bytesEqual, fromHex } from '../canonical';
import { parseTrustRoots, type TrustRoot } from '../trust-root';
import type { EvidenceCrypto, VerificationIssue, VerificationReport } from '../types';
import { ATTESTATION_FILE, verifyPrAttestation } from './attestation';
import { utf8Decode } from './bytes';
import { EVIDENCE_FILE, SANDBOX_SUMMARY_FILE, SIEM_EVENT_FILE } from './bundle';
import { INCLUSION_FILE, verifyInclusionProofs } from './inclusion';
import { arrayField, asRecord, numberField, stringField } from './json-access';
import { BUNDLE_SCHEMA, canonicalManifestBytes, MANIFEST_FILE } from './manifest';
import { asPyJsonObject, pythonJsonFile, type PyJsonObject } from './python-json';
import { parsePythonJson } from './python-json-parse';
import type { BundleDecision } from './records';
import { checkRetention, RETENTION_FILE } from './retention';
import { checkSignature, type SignatureKeys, type SignatureOutcome } from './signature';

/** Options of {@link verifyBundle}. */
export type VerifyBundleOptions = SignatureKeys & {
  /** `--minimum-retention-days`: require a listed retention policy of at least this many days. */
  minimumRetentionDays?: number;
  /** Make "signature not verified" and "manifest is not signed" errors instead of warnings (CI use). */
  requireSignature?: boolean;
  /** Trust roots for the log checkpoints in `inclusion-proofs.json`; defaults to `trustRoots`. */
  checkpointTrustRoots?: unknown;
  crypto: EvidenceCrypto;
};

/** The shared report plus what the signature check concluded and which session the bundle is for. */
export type BundleVerificationReport = VerificationReport & {
  signature: Omit<SignatureOutcome, 'errors' | 'warnings'>;
  session_id: string | null;
};

type Ctx = {
  files: ReadonlyMap<string, Uint8Array>;
  errors: VerificationIssue[];
  warnings: VerificationIssue[];
};

/** A plain file name: what upstream's `Path(path).name` leaves, and nothing a writer could escape with. */
function isBaseName(path: string): boolean {
  return path !== '' && path !== '.' && path !== '..' && !/[/\\]/.test(path) && !path.includes('\u0000');
}
const UNVERIFIED = new Set(['signature_not_verified', 'manifest_unsigned']);

function text(ctx: Ctx, name: string): string | undefined {
  const bytes = ctx.files.get(name);
  return bytes === undefined ? undefined : (utf8Decode(bytes) ?? undefined);
}

/** Checks every listed file's presence and sha256; returns the names that verified. */
function checkFiles(ctx: Ctx, entries: readonly unknown[], crypto: EvidenceCrypto): Set<string> {
  const verified = new Set<string>();
  const seen = new Set<string>();
  for (const entry of entries) {
    const path = stringField(entry, 'path');
    const sha256 = stringField(entry, 'sha256');
    const size = numberField(entry, 'bytes');
    if (path === undefined || sha256 === undefined || size === undefined) {
      ctx.errors.push({
        code: 'invalid_manifest_entry',
        message: 'manifest file entry needs path, sha256 and bytes',
      });
      continue;
    }
    if (!isBaseName(path) || path === MANIFEST_FILE || seen.has(path)) {
      ctx.errors.push({
        code: 'invalid_manifest_path',
        message: `invalid manifest path: ${path}`,
        file: path,
      });
      continue;
    }
    seen.add(path);
    const content = ctx.files.get(path);
    if (content === undefined) {
      ctx.errors.push({ code: 'missing_file', message: `missing file: ${path}`, file: path });
    } else if (!bytesEqual(crypto.sha256(content), fromHex(sha256) ?? new Uint8Array())) {
      ctx.errors.push({ code: 'checksum_mismatch', message: `checksum mismatch: ${path}`, file: path });
    } else if (content.length !== size) {
      ctx.errors.push({ code: 'size_mismatch', message: `size mismatch: ${path}`, file: path });
    } else {
      verified.add(path);
    }
  }
  for (const name of ctx.files.keys()) {
    if (name !== MANIFEST_FILE && !seen.has(name)) {
      const message = `file not listed in the manifest, so not verified: ${name}`;
      ctx.warnings.push({ code: 'unlisted_file', message, file: name });
    }
  }
  return verified;
}

/** Reads and parses manifest.json; `undefined` (with an error recorded) when that is impossible. */
function readManifest(ctx: Ctx): PyJsonObject | undefined {
  if (!ctx.files.has(MANIFEST_FILE)) {
    ctx.errors.push({
      code: 'missing_manifest',
      message: `missing manifest: ${MANIFEST_FILE}`,
      file: MANIFEST_FILE,
    });
    return undefined;
  }
  const manifestText = text(ctx, MANIFEST_FILE);
  const parsed = manifestText === undefined ? undefined : parsePythonJson(manifestText);
  const manifest = parsed?.ok ? asPyJsonObject(parsed.value) : undefined;
  if (!parsed?.ok || manifest === undefined) {
    const message = 'manifest.json is not a UTF-8 JSON object';
    ctx.errors.push({ code: 'invalid_manifest', message, file: MANIFEST_FILE });
    return undefined;
  }
  // Upstream always writes json.dumps(indent=2, sort_keys=True) + "\n". Any other text with the same content
  // (re-indented, duplicate keys) has the same canonical bytes, so an edit there would otherwise go unseen.
  if (pythonJsonFile(parsed.value) !== manifestText) {
    const message =
      'manifest.json is not in canonical form (json.dumps indent=2, sort_keys, trailing newline)';
    ctx.errors.push({ code: 'manifest_not_canonical', message, file: MANIFEST_FILE });
  }
  if (manifest['schema_version'] !== BUNDLE_SCHEMA) {
    const message = `manifest schema_version is not ${BUNDLE_SCHEMA}`;
    ctx.errors.push({ code: 'unsupported_manifest_schema', message, file: MANIFEST_FILE });
  }
  return manifest;
}

function checkpointRoots(ctx: Ctx, options: VerifyBundleOptions): TrustRoot[] {
  const document = options.checkpointTrustRoots ?? options.trustRoots;
  if (document === undefined) return [];
  const parsed = parseTrustRoots(document, options.crypto);
  if (parsed.ok) return parsed.value;
  ctx.errors.push({ ...parsed.error, file: INCLUSION_FILE });
  return [];
}

/** Verifies a bundle given as file name → bytes. Never throws on bad input: every problem is an issue. */
export function verifyBundle(
  files: ReadonlyMap<string, Uint8Array>,
  options: VerifyBundleOptions,
): BundleVerificationReport {
  const ctx: Ctx = { files, errors: [], warnings: [] };
  const manifest = readManifest(ctx);
  if (manifest === undefined) {
    return {
      valid: false,
      ...ctx,
      checked: { files: 0 },
      signature: { algorithm: null, verified: false },
      session_id: null,
    };
  }
  const entries = arrayField(manifest, 'files') ?? [];
  const verified = checkFiles(ctx, entries, options.crypto);
  const createdAt = stringField(manifest, 'created_at') ?? '';
  const canonical = canonicalManifestBytes(manifest);
  const { errors, warnings, ...signature } = checkSignature(
    manifest['signature'],
    canonical,
    createdAt,
    options,
    options.crypto,
  );
  ctx.errors.push(...errors);
  for (const warning of warnings) {
    (options.requireSignature && UNVERIFIED.has(warning.code) ? ctx.errors : ctx.warnings).push(warning);
  }

  const listedJson = (name: string): unknown => {
    const content = verified.has(name) ? text(ctx, name) : undefined;
    const parsed = content === undefined ? undefined : parsePythonJson(content);
    return parsed?.ok ? parsed.value : undefined;
  };
  if (options.minimumRetentionDays !== undefined) {
    ctx.errors.push(...checkRetention(listedJson(RETENTION_FILE), options.minimumRetentionDays));
  }
  const evidence = listedJson(EVIDENCE_FILE);
  const sessionId = stringField(evidence, 'session_id') ?? null;
  // Untrusted content: only objects are read as decisions (their members are type-checked where used).
  const decisions = (arrayField(evidence, 'decisions') ?? []).filter(
    (d) => asRecord(d) !== undefined,
  ) as readonly BundleDecision[];
  if (sessionId !== null) checkConsistency(ctx, sessionId, decisions, verified, listedJson);
  let proofs = 0;
  if (verified.has(INCLUSION_FILE)) {
    let document: unknown;
    try {
      document = JSON.parse(text(ctx, INCLUSION_FILE) ?? '');
    } catch {
      document = undefined;
    }
    const result = verifyInclusionProofs(document, decisions, checkpointRoots(ctx, options), options.crypto);
    ctx.errors.push(...result.errors);
    ctx.warnings.push(...result.warnings);
    proofs = result.checked;
  }
  const checked = {
    files: verified.size,
    decisions: decisions.length,
    signatures: signature.verified ? 1 : 0,
    inclusion_proofs: proofs,
  };
  return { valid: ctx.errors.length === 0, ...ctx, checked, signature, session_id: sessionId };
}

/** CAVRA: the derived files should agree with evidence.json (warnings: the signature already covers bytes). */
function checkConsistency(
  ctx: Ctx,
  sessionId: string,
  decisions: readonly BundleDecision[],
  verified: ReadonlySet<string>,
  listedJson: (name: string) => unknown,
): void {
  for (const name of [SIEM_EVENT_FILE, SANDBOX_SUMMARY_FILE, RETENTION_FILE]) {
    const other = stringField(listedJson(name), 'session_id');
    if (other !== undefined && other !== sessionId) {
      const message = `${name} is for session ${other}, evidence.json for ${sessionId}`;
      ctx.warnings.push({ code: 'session_id_inconsistent', message, file: name });
    }
  }
  const count = numberField(listedJson(SIEM_EVENT_FILE), 'decision_count');
  if (count !== undefined && count !== decisions.length) {
    const message = `${SIEM_EVENT_FILE} counts ${count} decisions, evidence.json has ${decisions.length}`;
    ctx.warnings.push({ code: 'decision_count_inconsistent', message, file: SIEM_EVENT_FILE });
  }
  if (verified.has(ATTESTATION_FILE)) {
    const attestation = verifyPrAttestation(text(ctx, ATTESTATION_FILE), sessionId, decisions);
    ctx.warnings.push(...attestation.issues.map((i) => ({ ...i, code: `attestation_${i.code}` })));
  }
}
