import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import type { JsonObject } from '../engine';
import { nobleCrypto as crypto } from './crypto';
import { createEntry, headOf } from './entry';
import { summarizeSession, summarizeSessions } from './session';
import type { EvidenceEntry, LogHead } from './types';

const persisted = JSON.parse(
  readFileSync('/work/shared/reference/examples/decision.persisted.example.json', 'utf8'),
) as JsonObject;
const decision = (id: string, outcome: string, timestamp: string, extra: JsonObject = {}): JsonObject => ({
  ...persisted,
  decision_id: id,
  decision: outcome,
  timestamp,
  evidence_refs: [`evidence://sess_demo_001/${id}`],
  ...extra,
});
const demo = [
  decision('dec_0a1b2c3d4e5f', 'allow', '2026-05-21T15:40:01.000000+00:00'),
  decision('dec_1b2c3d4e5f60', 'require_approval', '2026-05-21T15:40:02.000000+00:00'),
  decision('dec_2c3d4e5f6071', 'block', '2026-05-21T15:40:04.000000+00:00'),
];

test("three decisions give upstream's example session summary", () => {
  const example = JSON.parse(
    readFileSync('/work/shared/reference/examples/session.example.json', 'utf8'),
  ) as object;
  const summary = summarizeSession('sess_demo_001', demo, null, '2030-01-01T00:00:00Z');
  expect(summary).toEqual({ ...example, decision_counts: { allow: 1, require_approval: 1, block: 1 } });
});

test('timestamps compare as instants, refs are deduplicated, identity falls back in order', () => {
  const decisions = [
    decision('a', 'allow', '2026-05-21T17:00:00+02:00', { agent_id: '', repository: '' }),
    decision('b', 'warn', '2026-05-21T15:30:00Z', { evidence_refs: ['evidence://sess_demo_001/a', 'x'] }),
  ];
  const summary = summarizeSession(
    's',
    decisions,
    { state: 'completed', agent_id: 'cursor' },
    '2030-01-01T00:00:00Z',
  );
  expect(summary).toMatchObject({
    started_at: '2026-05-21T17:00:00+02:00',
    updated_at: '2026-05-21T15:30:00Z',
    agent_id: 'cursor',
    repository: 'payments/api',
    state: 'completed',
    evidence_refs: ['evidence://sess_demo_001/a', 'x'],
    decision_counts: { allow: 1, warn: 1 },
  });
});

test('without decisions the session record and defaults are used, unset times become now', () => {
  expect(summarizeSession('s', [], null, '2030-01-01T00:00:00Z')).toMatchObject({
    agent_id: 'unknown-agent',
    actor: 'ai-agent',
    repository: 'local',
    policy_pack: 'cavra-ai-agent-baseline',
    state: 'active',
    started_at: '2030-01-01T00:00:00Z',
    decision_count: 0,
    evidence_refs: [],
  });
});

test('a log yields one summary per session, newest first, with session records applied', () => {
  let head: LogHead = null;
  const entries: EvidenceEntry[] = [];
  const append = (kind: 'decision' | 'session', payload: JsonObject, at: string): void => {
    const entry = createEntry(head, kind, payload, at, crypto);
    entries.push(entry);
    head = headOf(entry);
  };
  append(
    'decision',
    decision('d1', 'block', '2026-05-21T15:40:00Z', { session_id: 'old' }),
    '2026-05-21T15:40:00Z',
  );
  for (const d of demo) append('decision', d, d.timestamp as string);
  append('session', { session_id: 'old', state: 'archived' }, '2026-05-21T16:00:00Z');
  const summaries = summarizeSessions(entries, '2030-01-01T00:00:00Z');
  expect(summaries.map((s) => [s.session_id, s.state, s.decision_count])).toEqual([
    ['sess_demo_001', 'active', 3],
    ['old', 'archived', 1],
  ]);
});
