/**
 * A session evidence bundle (`cavra.evidence.bundle.v1`, upstream §1.3) as a map of file name → bytes, in
 * manifest order with `manifest.json` last. Every JSON file is written as Python
 * `json.dumps(obj, indent=2, sort_keys=True) + "\n"`, so the hashes agree with upstream's tools.
 */
import { utf8 } from '../canonical';
import type { EvidenceCrypto, EvidenceResult } from '../types';
import {
  buildComplianceMapping,
  buildPrAttestation,
  ATTESTATION_FILE,
  COMPLIANCE_FILE,
  TAGLINE,
} from './attestation';
import { INCLUSION_FILE, type InclusionProofs } from './inclusion';
import { buildManifest, MANIFEST_FILE, type BundleManifest, type ManifestSigning } from './manifest';
import { pythonJsonFile, type PyJsonObject, type PyJsonValue } from './python-json';
import { countDecisions, maxSeverity, type BundleDecision, type SeverityOrder } from './records';
import { buildRetentionPolicy, RETENTION_FILE, type RetentionOptions } from './retention';
import { parseIsoTimestamp, pythonIsoformat } from './python-time';

export const EVIDENCE_FILE = 'evidence.json';
export const SIEM_EVENT_FILE = 'siem-event.json';
export const SANDBOX_SUMMARY_FILE = 'sandbox-run-summary.json';
export const SIEM_EVENT_TYPE = 'cavra.evidence_bundle';

/** What a bundle is built from. */
export type SessionBundleInput = {
  sessionId: string;
  /** Python `isoformat()` text, written as given; a `Date` is formatted the way Python formats `now()`. */
  createdAt: string | Date;
  decisions: readonly BundleDecision[];
  /** Manifest `signer`; upstream's default is `local`. */
  signer?: string;
  /** Default: the unsigned SHA256 digest, as upstream. */
  signing?: ManifestSigning;
  retention?: RetentionOptions;
  /** CAVRA: the log's inclusion proofs for these decisions, written as `inclusion-proofs.json`. */
  inclusionProofs?: InclusionProofs;
  /** Default `rank`; `lexicographic` reproduces upstream's `max_severity` quirk (for compatibility tests). */
  severityOrder?: SeverityOrder;
  crypto: EvidenceCrypto;
};

/** A built bundle: its files (manifest last) and the manifest object. */
export type SessionBundle = { files: Map<string, Uint8Array>; manifest: BundleManifest };

/** The JSON documents of a bundle, before serialization. */
export function bundleDocuments(
  sessionId: string,
  createdAt: string,
  decisions: readonly BundleDecision[],
  severityOrder: SeverityOrder = 'rank',
): { evidence: PyJsonObject; siemEvent: PyJsonObject; sandboxSummary: PyJsonObject } {
  const counts = countDecisions(decisions);
  return {
    evidence: { product: 'CAVRA', tagline: TAGLINE, session_id: sessionId, created_at: createdAt, decisions },
    siemEvent: {
      event_type: SIEM_EVENT_TYPE,
      product: 'CAVRA',
      session_id: sessionId,
      decision_count: counts.total,
      blocked_count: counts.blocked,
      approval_required_count: counts.approvalRequired,
      max_severity: maxSeverity(decisions, severityOrder),
      timestamp: createdAt,
      decisions,
    },
    sandboxSummary: {
      session_id: sessionId,
      created_at: createdAt,
      events: counts.total,
      blocked: counts.blocked,
      approval_required: counts.approvalRequired,
    },
  };
}

/** Builds every bundle file and signs the manifest. Errors are values (bad timestamp, retention, keys). */
export function buildSessionBundle(input: SessionBundleInput): EvidenceResult<SessionBundle> {
  const createdAt = typeof input.createdAt === 'string' ? input.createdAt : pythonIsoformat(input.createdAt);
  if (parseIsoTimestamp(createdAt) === null) {
    return {
      ok: false,
      error: { code: 'invalid_created_at', message: `created_at "${createdAt}" is not ISO-8601` },
    };
  }
  const retention = buildRetentionPolicy(input.sessionId, createdAt, input.retention);
  if (!retention.ok) return retention;
  const docs = bundleDocuments(input.sessionId, createdAt, input.decisions, input.severityOrder);
  const json = (value: PyJsonValue): Uint8Array => utf8(pythonJsonFile(value));
  const files = new Map<string, Uint8Array>([
    [EVIDENCE_FILE, json(docs.evidence)],
    [ATTESTATION_FILE, utf8(buildPrAttestation(input.sessionId, input.decisions))],
    [COMPLIANCE_FILE, utf8(buildComplianceMapping(input.sessionId))],
    [SIEM_EVENT_FILE, json(docs.siemEvent)],
    [SANDBOX_SUMMARY_FILE, json(docs.sandboxSummary)],
    [RETENTION_FILE, json(retention.value)],
  ]);
  if (input.inclusionProofs) files.set(INCLUSION_FILE, json(input.inclusionProofs));
  const manifest = buildManifest(files, {
    createdAt,
    signing: input.signing ?? { mode: 'digest' },
    crypto: input.crypto,
    ...(input.signer === undefined ? {} : { signer: input.signer }),
  });
  if (!manifest.ok) return manifest;
  files.set(MANIFEST_FILE, manifest.value.bytes);
  return { ok: true, value: { files, manifest: manifest.value.manifest } };
}
