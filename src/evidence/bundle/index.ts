/**
 * Session evidence bundles: upstream-compatible files (`cavra.evidence.bundle.v1`), their verification,
 * SIEM/OCSF/JSONL exports and `.zip` packaging. Pure: a bundle is a map of file name → bytes; callers do I/O.
 * Reference: docs/evidence-bundles.md; decision record 0009.
 */
export {
  buildSessionBundle,
  bundleDocuments,
  EVIDENCE_FILE,
  SANDBOX_SUMMARY_FILE,
  SIEM_EVENT_FILE,
  type SessionBundle,
  type SessionBundleInput,
} from './bundle';
export {
  buildManifest,
  canonicalManifestBytes,
  BUNDLE_SCHEMA,
  MANIFEST_FILE,
  type BundleManifest,
  type ManifestFileEntry,
  type ManifestSignature,
  type ManifestSigning,
} from './manifest';
export { verifyBundle, type BundleVerificationReport, type VerifyBundleOptions } from './verify';
export { formatBundleReport, isUnverifiedPass } from './report-text';
export type { SignatureKeys, SignatureOutcome } from './signature';
export {
  ATTESTATION_FILE,
  COMPLIANCE_FILE,
  buildComplianceMapping,
  buildPrAttestation,
  verifyPrAttestation,
  type AttestationVerification,
} from './attestation';
export {
  buildRetentionPolicy,
  checkRetention,
  DEFAULT_RETENTION_DAYS,
  RETENTION_FILE,
  type RetentionOptions,
  type RetentionPolicy,
} from './retention';
export {
  buildInclusionProofs,
  verifyInclusionProofs,
  INCLUSION_FILE,
  INCLUSION_SCHEMA,
  type DecisionInclusionProof,
  type InclusionProofs,
} from './inclusion';
export {
  datadogPayload,
  decisionsJsonl,
  readSiemEvent,
  sentinelPayload,
  siemExportFiles,
  splunkHecPayload,
  webhookPayload,
  SIEM_EXPORT_FILES,
  SIEM_PROVIDERS,
  type SiemOptions,
  type SiemProvider,
} from './exports';
export {
  bundleExportFiles,
  EXPORT_PROVIDERS,
  JSONL_EXPORT_FILE,
  OCSF_EXPORT_FILE,
  type ExportProvider,
} from './export-files';
export { decisionToOcsf, ocsfJsonl, ocsfViolations, OCSF_VERSION, type OcsfOptions } from './ocsf';
export { bundleToZip, bundleZipName, zipToBundle, MAX_UNZIPPED_BYTES } from './zip';
export {
  countDecisions,
  maxSeverity,
  type BundleDecision,
  type ApprovalSummary,
  type SeverityOrder,
} from './records';
export { PyFloat, pythonJsonDumps, pythonJsonFile, type PyJsonObject, type PyJsonValue } from './python-json';
export { parsePythonJson } from './python-json-parse';
export { utf8Decode } from './bytes';
