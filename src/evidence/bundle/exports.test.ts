import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { utf8Decode } from './bytes';
import {
  datadogPayload,
  decisionsJsonl,
  readSiemEvent,
  sentinelPayload,
  siemExportFiles,
  splunkHecPayload,
  webhookPayload,
} from './exports';
import { PyFloat, type PyJsonObject } from './python-json';
import type { BundleDecision } from './records';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/evidence');
const SAMPLE = join(FIXTURES, 'bundle-sample');
const sample = new Map(
  readdirSync(SAMPLE).map((name) => [name, new Uint8Array(readFileSync(join(SAMPLE, name)))]),
);
const example = (provider: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, `siem-export.${provider}.example.json`), 'utf8')) as Record<
    string,
    unknown
  >;

function event(): PyJsonObject {
  const result = readSiemEvent(sample);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The example files are illustrative: the embedded event is a placeholder there, so it is compared apart. */
function withoutEvent(value: unknown, eventKey: string): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === eventKey ? '<event>' : v instanceof PyFloat ? v.value : v,
    ),
  ) as unknown;
}

test('Splunk HEC matches upstream: float epoch time of the event timestamp, fixed host/source/sourcetype/index', () => {
  const ours = splunkHecPayload(event());
  expect(ours.ok && withoutEvent(ours.value, 'event')).toEqual(withoutEvent(example('splunk-hec'), 'event'));
  const files = siemExportFiles(event(), 'splunk');
  const text = files.ok ? utf8Decode(files.value.get('splunk-hec-events.json') ?? new Uint8Array()) : null;
  expect(text).toContain('"time": 1779378000.0\n');
});

test('Sentinel, Datadog and webhook match the upstream examples field for field', () => {
  const ours = [
    [sentinelPayload(event()), 'sentinel', 'RawEvent'],
    [datadogPayload(event()), 'datadog', 'attributes'],
    [webhookPayload(event()), 'webhook', 'payload'],
  ] as const;
  for (const [payload, provider, eventKey] of ours) {
    const theirs = example(provider);
    const normalise = (value: unknown): unknown => {
      const v = withoutEvent(value, eventKey) as Record<string, unknown>;
      // The examples show the illustrative timestamp without microseconds; ours carries the event's own text.
      return JSON.parse(
        JSON.stringify(v).replaceAll('2026-05-21T15:40:00.000000+00:00', '2026-05-21T15:40:00+00:00'),
      );
    };
    expect(normalise(payload), provider).toEqual(normalise(theirs));
    expect(JSON.stringify(payload)).toContain(JSON.stringify(event()));
  }
});

test('severity maps as upstream: critical/high → High/error, medium → Medium/warning, other → Informational/info', () => {
  const at = (max_severity: string) => ({ ...event(), max_severity });
  expect(
    ['critical', 'high', 'medium', 'low', 'x'].map((s) => [sentinelPayload(at(s)), datadogPayload(at(s))]),
  ).toMatchObject([
    [{ records: [{ Severity: 'High' }] }, { events: [{ status: 'error' }] }],
    [{ records: [{ Severity: 'High' }] }, { events: [{ status: 'error' }] }],
    [{ records: [{ Severity: 'Medium' }] }, { events: [{ status: 'warning' }] }],
    [{ records: [{ Severity: 'Low' }] }, { events: [{ status: 'info' }] }],
    [{ records: [{ Severity: 'Informational' }] }, { events: [{ status: 'info' }] }],
  ]);
});

test('all providers write upstream file names; options override index and service', () => {
  const files = siemExportFiles(event(), 'all', { splunkIndex: 'sec', datadogService: 'gate' });
  if (!files.ok) throw new Error(files.error.message);
  expect([...files.value.keys()]).toEqual([
    'splunk-hec-events.json',
    'sentinel-log-analytics.json',
    'datadog-events.json',
    'webhook-payload.json',
  ]);
  const text = (name: string): string => utf8Decode(files.value.get(name) ?? new Uint8Array()) ?? '';
  expect(JSON.parse(text('splunk-hec-events.json'))).toMatchObject({ events: [{ index: 'sec' }] });
  expect(JSON.parse(text('datadog-events.json'))).toMatchObject({ events: [{ service: 'gate' }] });
  expect(text('webhook-payload.json').endsWith('}\n')).toBe(true);
});

test('a bundle without siem-event.json or with a bad timestamp is an error value', () => {
  expect(readSiemEvent(new Map())).toMatchObject({ ok: false, error: { code: 'missing_siem_event' } });
  expect(splunkHecPayload({ ...event(), timestamp: 'soon' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_timestamp' },
  });
});

test('JSONL has one sorted-key decision per line', () => {
  const { decisions } = JSON.parse(utf8Decode(sample.get('evidence.json') ?? new Uint8Array()) ?? '') as {
    decisions: BundleDecision[];
  };
  const lines = decisionsJsonl(decisions).split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[3]).toBe('');
  expect(lines.slice(0, 3).map((line) => (JSON.parse(line) as BundleDecision).decision_id)).toEqual(
    decisions.map((d) => d.decision_id),
  );
  expect(lines[0]?.startsWith('{"action_type": "read_file", "actor": "claude-code"')).toBe(true);
  expect(decisionsJsonl([])).toBe('');
});
