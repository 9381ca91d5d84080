/**
 * OCSF export (CAVRA addition; upstream has none): one OCSF 1.6.0 **API Activity** event (class 6003,
 * category 6 Application Activity) per decision, with the Security Control profile (`action_id`,
 * `disposition_id`, `policy`, `is_alert`). Why this class, and the full mapping: docs/evidence-bundles.md.
 */
import { parseTimestamp } from '../time';
import type { EvidenceResult } from '../types';
import { arrayField, asRecord, numberField } from './json-access';
import { pythonJsonDumps, type PyJsonObject } from './python-json';
import type { BundleDecision } from './records';

export const OCSF_VERSION = '1.6.0';
export const OCSF_CLASS_UID = 6003;
export const OCSF_CATEGORY_UID = 6;

/** OCSF API Activity `activity_id`: reads and writes are Read/Update; every other action type is Other. */
const ACTIVITY: Readonly<Record<string, readonly [number, string]>> = {
  read_file: [2, 'Read'],
  write_file: [3, 'Update'],
};

/** OCSF `severity_id` for upstream severities (unknown strings → 0 Unknown). */
export const OCSF_SEVERITY: Readonly<Record<string, readonly [number, string]>> = {
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

/** The control's verdict in OCSF terms: action, disposition, status, alert. */
type Verdict = {
  action: [number, string];
  disposition: [number, string];
  status: [number, string];
  isAlert: boolean;
};

const ALLOWED: Verdict = {
  action: [1, 'Allowed'],
  disposition: [1, 'Allowed'],
  status: [1, 'Success'],
  isAlert: false,
};

/**
 * Decision → verdict. `require_approval` holds the operation until a human decides: Denied / Delayed /
 * Failure; an attached approval outcome refines it (approved → Allowed / Approved, denied or expired →
 * Denied / Rejected).
 */
function verdict(decision: BundleDecision): Verdict {
  switch (decision.decision) {
    case 'allow':
    case 'allow_with_attestation':
      return ALLOWED;
    case 'block':
      return { action: [2, 'Denied'], disposition: [2, 'Blocked'], status: [2, 'Failure'], isAlert: true };
    case 'warn':
      return { action: [1, 'Allowed'], disposition: [19, 'Alert'], status: [1, 'Success'], isAlert: true };
    case 'audit_only':
      return { action: [3, 'Observed'], disposition: [17, 'Logged'], status: [1, 'Success'], isAlert: false };
    case 'require_approval': {
      const state = decision.approval?.state;
      if (state === 'approved') return { ...ALLOWED, disposition: [8, 'Approved'] };
      if (state === 'denied' || state === 'expired' || state === 'rejected') {
        return {
          action: [2, 'Denied'],
          disposition: [25, 'Rejected'],
          status: [2, 'Failure'],
          isAlert: true,
        };
      }
      return { action: [2, 'Denied'], disposition: [14, 'Delayed'], status: [2, 'Failure'], isAlert: true };
    }
    default:
      return { action: [0, 'Unknown'], disposition: [0, 'Unknown'], status: [0, 'Unknown'], isAlert: true };
  }
}

const RESOURCE_TYPE: Readonly<Record<string, string>> = {
  read_file: 'file',
  write_file: 'file',
  execute_command: 'command',
  git_operation: 'git_ref',
  mcp_tool_call: 'mcp_tool',
  pull_request: 'pull_request',
};

function text(decision: BundleDecision, key: string): string | undefined {
  const value = decision[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function offsetMinutes(timestamp: string): number {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(timestamp);
  return zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
}

/** Options for OCSF events: the CAVRA version that made them (`metadata.product.version`). */
export type OcsfOptions = { productVersion: string };

/** One decision as an OCSF API Activity event; an error when its timestamp is not RFC 3339. */
export function decisionToOcsf(decision: BundleDecision, options: OcsfOptions): EvidenceResult<PyJsonObject> {
  const timestamp = decision.timestamp ?? '';
  const micros = parseTimestamp(timestamp);
  if (micros === null) {
    const message = `decision ${decision.decision_id ?? '?'}: timestamp "${timestamp}" is not RFC 3339`;
    return { ok: false, error: { code: 'invalid_timestamp', message } };
  }
  const [activityId, activityName] = ACTIVITY[decision.action_type] ?? [99, 'Other'];
  const [severityId, severity] = OCSF_SEVERITY[decision.severity] ?? [0, 'Unknown'];
  const v = verdict(decision);
  const policy = {
    uid: text(decision, 'policy_id'),
    name: text(decision, 'policy_pack'),
    version: text(decision, 'policy_revision'),
    desc: text(decision, 'reason'),
  };
  const event = {
    class_uid: OCSF_CLASS_UID,
    class_name: 'API Activity',
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Application Activity',
    activity_id: activityId,
    activity_name: activityId === 99 ? decision.action_type : activityName,
    type_uid: OCSF_CLASS_UID * 100 + activityId,
    type_name: `API Activity: ${activityId === 99 ? 'Other' : activityName}`,
    time: Math.floor(micros / 1000),
    timezone_offset: offsetMinutes(timestamp),
    severity_id: severityId,
    severity,
    status_id: v.status[0],
    status: v.status[1],
    status_detail: text(decision, 'reason'),
    action_id: v.action[0],
    action: v.action[1],
    disposition_id: v.disposition[0],
    disposition: v.disposition[1],
    is_alert: v.isAlert,
    message: `${decision.decision} ${decision.action_type} ${decision.target} via ${decision.rule_id}`,
    metadata: {
      version: OCSF_VERSION,
      uid: text(decision, 'decision_id'),
      correlation_uid: text(decision, 'correlation_id'),
      original_time: timestamp,
      event_code: decision.rule_id,
      log_name: 'cavra.decisions',
      profiles: ['security_control'],
      product: { name: 'CAVRA', vendor_name: 'CAVRA', version: options.productVersion },
    },
    actor: {
      user: { name: text(decision, 'actor') ?? 'ai-agent', uid: text(decision, 'actor') ?? 'ai-agent' },
      app_name: text(decision, 'agent_id') ?? 'unknown-agent',
      session: { uid: text(decision, 'session_id') ?? 'local' },
    },
    api: {
      operation: decision.action_type,
      request: { uid: text(decision, 'correlation_id') ?? decision.decision_id },
    },
    src_endpoint: { name: text(decision, 'agent_id') ?? 'unknown-agent' },
    resources: [{ name: decision.target, type: RESOURCE_TYPE[decision.action_type] ?? decision.action_type }],
    policy,
    authorizations: [{ decision: decision.decision, policy }],
    unmapped: {
      rule_id: decision.rule_id,
      decision: decision.decision,
      requested_operation: text(decision, 'requested_operation'),
      repository: text(decision, 'repository'),
      approver_group: text(decision, 'approver_group'),
      approval_state: decision.approval?.state,
      evidence_refs: decision['evidence_refs'],
    },
  } satisfies PyJsonObject;
  return { ok: true, value: event };
}

/** OCSF JSONL: one event per decision per line; the first bad decision is an error. */
export function ocsfJsonl(
  decisions: readonly BundleDecision[],
  options: OcsfOptions,
): EvidenceResult<string> {
  let out = '';
  for (const decision of decisions) {
    const event = decisionToOcsf(decision, options);
    if (!event.ok) return event;
    out += `${pythonJsonDumps(event.value)}\n`;
  }
  return { ok: true, value: out };
}

const DISPOSITIONS_FOR_ACTION: Readonly<Record<number, readonly number[]>> = {
  0: [0],
  1: [1, 8, 14, 16, 17, 19, 20],
  2: [2, 14, 25, 26],
  3: [15, 17, 19, 20],
};

/**
 * The requirements this export promises (OCSF 1.6.0 base event + API Activity + Security Control profile),
 * checked on an event: returns what is violated (empty: conforming). Used by tests and by consumers.
 */
export function ocsfViolations(event: unknown): string[] {
  const id = (key: string): number => numberField(event, key) ?? NaN;
  const member = (value: unknown, key: string): unknown => asRecord(value)?.[key];
  const isText = (value: unknown): boolean => typeof value === 'string' && value !== '';
  const checks: [boolean, string][] = [
    [
      id('class_uid') === OCSF_CLASS_UID && id('category_uid') === OCSF_CATEGORY_UID,
      'class_uid 6003, category_uid 6',
    ],
    [[0, 1, 2, 3, 4, 99].includes(id('activity_id')), 'activity_id in the API Activity enum'],
    [id('type_uid') === OCSF_CLASS_UID * 100 + id('activity_id'), 'type_uid = class_uid * 100 + activity_id'],
    [Number.isSafeInteger(id('time')) && id('time') > 0, 'time as integer epoch milliseconds'],
    [[0, 1, 2, 3, 4, 5, 6, 99].includes(id('severity_id')), 'severity_id in the enum'],
    [[0, 1, 2, 99].includes(id('status_id')), 'status_id in the enum'],
    [
      DISPOSITIONS_FOR_ACTION[id('action_id')]?.includes(id('disposition_id')) ?? false,
      'disposition_id fits action_id',
    ],
    [typeof member(event, 'is_alert') === 'boolean', 'is_alert'],
    [member(member(event, 'metadata'), 'version') === OCSF_VERSION, 'metadata.version'],
    [isText(member(member(event, 'metadata'), 'uid')), 'metadata.uid'],
    [
      ['name', 'vendor_name', 'version'].every((k) =>
        isText(member(member(member(event, 'metadata'), 'product'), k)),
      ),
      'metadata.product name, vendor_name, version',
    ],
    [
      ['name', 'uid'].some((k) => isText(member(member(member(event, 'actor'), 'user'), k))),
      'actor.user name or uid',
    ],
    [isText(member(member(event, 'api'), 'operation')), 'api.operation'],
    [isText(member(member(event, 'src_endpoint'), 'name')), 'src_endpoint.name'],
    [(arrayField(event, 'resources')?.length ?? 0) > 0, 'resources'],
  ];
  return checks.filter(([ok]) => !ok).map(([, what]) => what);
}
