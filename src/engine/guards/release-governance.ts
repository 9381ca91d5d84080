import type { JsonObject, JsonValue, Outcome, Severity } from '../types';
import { APPROVER, single, type Verdict } from '../verdict';
import { isJsonObject } from '../policy/document';

/** Kinds that always need an approval record (upstream `APPROVAL_REQUIRED`). */
const APPROVAL_REQUIRED = new Set([
  'release-channel-promotion-request',
  'endpoint-reconciliation-automation',
  'endpoint-drift-remediation-request',
  'endpoint-drift-remediation-execution',
  'endpoint-remediation-handoff',
  'rollout-promotion-execution',
  'rollout-rollback-execution',
]);

/** Kinds that execute a change: missing approval blocks instead of asking (upstream `EXECUTION`). */
const EXECUTION = new Set([
  'endpoint-drift-remediation-execution',
  'rollout-promotion-execution',
  'rollout-rollback-execution',
]);

/**
 * Recognised release-governance evidence kinds (upstream `KNOWN`, reconstructed from its documentation:
 * the reference lists the families, not every name; see docs/policy-semantics.md).
 */
const KNOWN = new Set([
  ...APPROVAL_REQUIRED,
  'endpoint-inventory-ingestion',
  'endpoint-inventory-freshness-report',
  'managed-endpoint-reconciliation',
  'endpoint-reconciliation-drift-report',
  'endpoint-management-export',
  'endpoint-management-publication-delivery',
  'endpoint-remediation-handoff-status',
  'endpoint-remediation-sla-report',
  'endpoint-remediation-sla-notification-plan',
  'endpoint-remediation-sla-notification-ack',
  'endpoint-remediation-sla-escalation-plan',
  'endpoint-remediation-sla-escalation-ack',
  'endpoint-remediation-sla-review',
  'endpoint-remediation-sla-recurrence',
  'endpoint-remediation-sla-suppression',
  'endpoint-remediation-sla-owner-digest',
  'endpoint-remediation-sla-automation-run',
  'endpoint-remediation-sla-health-alert-plan',
  'endpoint-remediation-sla-health-alert-ack',
  'release-connector-delivery',
  'rollout-evidence-capture',
  'rollout-evidence-verification',
  'rollout-artifact-retrieval',
  'rollout-artifact-integrity',
]);

const DELIVERY_KINDS = new Set(['endpoint-management-publication-delivery', 'release-connector-delivery']);
const DENIED_STATES = new Set(['denied', 'rejected', 'expired', 'cancelled', 'canceled']);
const SIGNAL_VALUES: Readonly<Record<string, readonly string[]>> = {
  alert_level: ['critical', 'blocked', 'breached'],
  drift_status: ['drifted', 'non_compliant', 'drift_detected'],
  handoff_status: ['blocked', 'failed'],
  verification_status: ['failed', 'blocked', 'mismatch'],
  integrity_status: ['failed', 'mismatch', 'tampered'],
};
const SIGNAL_COUNTS = [
  'blocked_count',
  'critical_count',
  'breached_count',
  'failed_delivery_count',
  'connector_delivery_failure_count',
  'failed_verification_count',
  'integrity_failure_count',
];

function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function count(value: JsonValue | undefined): number {
  // INVARIANT: upstream counts only numbers; booleans and strings count as 0.
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function hasCriticalSignal(record: JsonObject): boolean {
  const textual = Object.entries(SIGNAL_VALUES).some(([key, values]) =>
    values.includes(str(record[key]).trim().toLowerCase()),
  );
  return textual || SIGNAL_COUNTS.some((key) => count(record[key]) > 0);
}

function deliverySucceeded(value: JsonValue | undefined): boolean {
  if (value === true) return true;
  return (
    typeof value === 'string' && ['true', 'yes', 'success', 'succeeded'].includes(value.trim().toLowerCase())
  );
}

/** The `release_governance_record` guard (upstream §4.6). */
export function releaseGovernanceGuard(record: JsonObject | undefined, target: string): Verdict {
  const verdict = (
    rule: string,
    decision: Outcome,
    severity: Severity,
    reason: string,
    group: boolean,
  ): Verdict =>
    single(
      { rule_id: `release_governance.${rule}`, decision, severity, reason },
      group ? APPROVER.releaseGovernance : null,
    );
  if (record === undefined || Object.keys(record).length === 0) {
    return verdict(
      'record.missing',
      'require_approval',
      'medium',
      'Release governance record payload is missing.',
      true,
    );
  }
  const approval = isJsonObject(record['approval']) ? record['approval'] : {};
  const kind = str(record['metadata_kind']) || target || 'release-governance-record';
  const state = (str(record['approval_state']) || str(approval['state']))
    .trim()
    .toLowerCase()
    .replace(/-/g, '_');
  const approvalId = str(record['approval_id']) || str(approval['approval_id']);
  const requiresApproval =
    count(record['approval_required_count']) > 0 || state !== '' || APPROVAL_REQUIRED.has(kind);
  if (state === 'approved') {
    return approvalId === '' && requiresApproval
      ? verdict(
          'approval.missing',
          'block',
          'critical',
          `${kind} is approved but does not include an approval_id.`,
          true,
        )
      : verdict(
          'approval.approved',
          'allow',
          'low',
          `${kind} is backed by an approved release governance approval.`,
          false,
        );
  }
  if (state === 'pending') {
    return verdict(
      'approval.pending',
      'require_approval',
      'high',
      `${kind} is waiting for release governance approval.`,
      true,
    );
  }
  if (DENIED_STATES.has(state)) {
    return verdict(
      'approval.denied',
      'block',
      'critical',
      `${kind} is bound to a non-approved approval state: ${state}.`,
      true,
    );
  }
  if (state !== '') {
    return verdict(
      'approval.unknown',
      'require_approval',
      'medium',
      `${kind} has an unknown approval state: ${state}.`,
      true,
    );
  }
  if (DELIVERY_KINDS.has(kind) && !deliverySucceeded(record['delivery_success'])) {
    return verdict(
      'delivery.failed',
      'block',
      'high',
      `${kind} includes failed release delivery evidence.`,
      true,
    );
  }
  if (hasCriticalSignal(record)) {
    return verdict(
      'signal.critical',
      'require_approval',
      'high',
      `${kind} contains critical release governance signals.`,
      true,
    );
  }
  if (requiresApproval) {
    return EXECUTION.has(kind)
      ? verdict(
          'approval.missing',
          'block',
          'critical',
          `${kind} requires an approval record before execution.`,
          true,
        )
      : verdict(
          'approval.required',
          'require_approval',
          'high',
          `${kind} requires an approval record before execution.`,
          true,
        );
  }
  return KNOWN.has(kind)
    ? verdict(
        'record.verified',
        'allow',
        'low',
        `${kind} is recognized release governance evidence with no blocking signal.`,
        false,
      )
    : verdict(
        'approval.not_required',
        'allow',
        'low',
        `${kind} does not require release governance approval.`,
        false,
      );
}
