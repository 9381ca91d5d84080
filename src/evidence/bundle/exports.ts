/**
 * SIEM exports of a bundle's `siem-event.json` in upstream's four shapes (§1.12: Splunk HEC, Microsoft
 * Sentinel, Datadog, webhook), plus CAVRA's OCSF and plain JSONL exports (see ./ocsf.ts). Files are written
 * like every upstream JSON file: `json.dumps(obj, indent=2, sort_keys=True) + "\n"`.
 */
import { utf8 } from '../canonical';
import type { EvidenceResult } from '../types';
import { utf8Decode } from './bytes';
import { SIEM_EVENT_FILE } from './bundle';
import { numberField, stringField } from './json-access';
import { parseIsoTimestamp, pythonTimestamp } from './python-time';
import { asPyJsonObject, PyFloat, pythonJsonDumps, pythonJsonFile, type PyJsonObject } from './python-json';
import { parsePythonJson } from './python-json-parse';
import type { BundleDecision } from './records';

/** Upstream's providers (`--provider all|splunk|sentinel|datadog|webhook`). */
export type SiemProvider = 'splunk' | 'sentinel' | 'datadog' | 'webhook';
export const SIEM_PROVIDERS: readonly SiemProvider[] = ['splunk', 'sentinel', 'datadog', 'webhook'];

/** Upstream's output file per provider. */
export const SIEM_EXPORT_FILES: Readonly<Record<SiemProvider, string>> = {
  splunk: 'splunk-hec-events.json',
  sentinel: 'sentinel-log-analytics.json',
  datadog: 'datadog-events.json',
  webhook: 'webhook-payload.json',
};

/** Provider settings with upstream's defaults (index `cavra`, service `cavra`). */
export type SiemOptions = { splunkIndex?: string; datadogService?: string };

/** Reads and parses `siem-event.json` from bundle files (floats kept, so re-serialization is exact). */
export function readSiemEvent(files: ReadonlyMap<string, Uint8Array>): EvidenceResult<PyJsonObject> {
  const bytes = files.get(SIEM_EVENT_FILE);
  const text = bytes === undefined ? null : utf8Decode(bytes);
  const parsed = text === null ? null : parsePythonJson(text);
  const event = parsed?.ok ? asPyJsonObject(parsed.value) : undefined;
  if (event === undefined) {
    const message = `${SIEM_EVENT_FILE} is missing or not a JSON object: export from a complete bundle`;
    return { ok: false, error: { code: 'missing_siem_event', message } };
  }
  return { ok: true, value: event };
}

const str = (event: PyJsonObject, key: string): string => stringField(event, key) ?? '';
const num = (event: PyJsonObject, key: string): number => numberField(event, key) ?? 0;

/** Splunk HEC: `time` is the event timestamp as Python's float `timestamp()`. */
export function splunkHecPayload(
  event: PyJsonObject,
  options: SiemOptions = {},
): EvidenceResult<PyJsonObject> {
  const parsed = parseIsoTimestamp(str(event, 'timestamp'));
  if (parsed === null) {
    const message = `${SIEM_EVENT_FILE} timestamp "${str(event, 'timestamp')}" is not an ISO-8601 time`;
    return { ok: false, error: { code: 'invalid_timestamp', message } };
  }
  const hecEvent = {
    time: new PyFloat(pythonTimestamp(parsed)),
    host: 'cavra',
    source: 'cavra:evidence',
    sourcetype: 'cavra:evidence:json',
    index: options.splunkIndex ?? 'cavra',
    event,
  };
  return { ok: true, value: { events: [hecEvent] } };
}

const SENTINEL_SEVERITY: Readonly<Record<string, string>> = {
  critical: 'High',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Microsoft Sentinel (Log Analytics) records. */
export function sentinelPayload(event: PyJsonObject): PyJsonObject {
  const record = {
    TimeGenerated: str(event, 'timestamp'),
    SourceSystem: 'CAVRA',
    EventName: str(event, 'event_type'),
    ProductName: str(event, 'product'),
    SessionId: str(event, 'session_id'),
    DecisionCount: num(event, 'decision_count'),
    BlockedCount: num(event, 'blocked_count'),
    ApprovalRequiredCount: num(event, 'approval_required_count'),
    Severity: SENTINEL_SEVERITY[str(event, 'max_severity')] ?? 'Informational',
    RawEvent: event,
  };
  return { records: [record] };
}

const DATADOG_STATUS: Readonly<Record<string, string>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** Datadog events. */
export function datadogPayload(event: PyJsonObject, options: SiemOptions = {}): PyJsonObject {
  const sessionId = str(event, 'session_id');
  const severity = str(event, 'max_severity');
  const message =
    `CAVRA evidence bundle ${sessionId} recorded ${num(event, 'decision_count')} decisions, ` +
    `${num(event, 'blocked_count')} blocked, ${num(event, 'approval_required_count')} approval-required.`;
  const datadogEvent = {
    ddsource: 'cavra',
    service: options.datadogService ?? 'cavra',
    status: DATADOG_STATUS[severity] ?? 'info',
    message,
    tags: ['product:cavra', `session_id:${sessionId}`, `max_severity:${severity}`],
    attributes: event,
  };
  return { events: [datadogEvent] };
}

/** The generic webhook payload (`cavra.webhook.evidence.v1`). */
export function webhookPayload(event: PyJsonObject): PyJsonObject {
  return {
    schema_version: 'cavra.webhook.evidence.v1',
    product: str(event, 'product'),
    event_type: str(event, 'event_type'),
    timestamp: str(event, 'timestamp'),
    payload: event,
  };
}

/** The export files for `providers` (`all` = the four upstream providers), as file name → bytes. */
export function siemExportFiles(
  event: PyJsonObject,
  providers: 'all' | SiemProvider,
  options: SiemOptions = {},
): EvidenceResult<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const provider of providers === 'all' ? SIEM_PROVIDERS : [providers]) {
    let payload: PyJsonObject;
    switch (provider) {
      case 'splunk': {
        const splunk = splunkHecPayload(event, options);
        if (!splunk.ok) return splunk;
        payload = splunk.value;
        break;
      }
      case 'sentinel':
        payload = sentinelPayload(event);
        break;
      case 'datadog':
        payload = datadogPayload(event, options);
        break;
      case 'webhook':
        payload = webhookPayload(event);
        break;
      default: {
        const unknown: never = provider;
        throw new Error(`unknown SIEM provider ${String(unknown)}`);
      }
    }
    files.set(SIEM_EXPORT_FILES[provider], utf8(pythonJsonFile(payload)));
  }
  return { ok: true, value: files };
}

/**
 * Plain JSONL: one decision per line as `json.dumps(decision, sort_keys=True)` (upstream's line form for its
 * audit log), newline-terminated. The empty list gives the empty string.
 */
export function decisionsJsonl(decisions: readonly BundleDecision[]): string {
  return decisions.map((decision) => `${pythonJsonDumps(decision)}\n`).join('');
}
