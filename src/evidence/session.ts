/**
 * Session summaries (`cavra.session.v1`, reference §4) derived from the decisions recorded in the log:
 * counts and first/last timestamps come from the decisions, never from a client's claim.
 */
import type { JsonObject, JsonValue } from '../engine';
import { parseTimestamp } from './time';
import type { EvidenceEntry } from './types';

/** Schema tag of a session summary. */
export const SESSION_SCHEMA = 'cavra.session.v1';

/** Session lifecycle; only an explicit session record changes it. */
export type SessionState = 'active' | 'completed' | 'failed' | 'archived';

const STATES: readonly SessionState[] = ['active', 'completed', 'failed', 'archived'];

/** Upstream's session summary plus `decision_counts` (every outcome, not only block and approval). */
export type SessionSummary = {
  schema_version: typeof SESSION_SCHEMA;
  session_id: string;
  agent_id: string;
  actor: string;
  repository: string;
  policy_pack: string;
  state: SessionState;
  started_at: string;
  updated_at: string;
  decision_count: number;
  blocked_count: number;
  approval_required_count: number;
  /** Deduplicated union of the decisions' evidence refs, in decision order. */
  evidence_refs: string[];
  /** CAVRA addition: decisions per outcome (`allow`, `block`, `require_approval` …). */
  decision_counts: Record<string, number>;
};

/** Upstream's defaults for identity fields no record provides. */
export const SESSION_DEFAULTS = {
  agent_id: 'unknown-agent',
  actor: 'ai-agent',
  repository: 'local',
  policy_pack: 'cavra-ai-agent-baseline',
} as const;

type IdentityField = keyof typeof SESSION_DEFAULTS;

function text(record: JsonObject | null | undefined, key: string): string | undefined {
  const value: JsonValue | undefined = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The decision timestamps' extremes, compared as instants (offsets differ between writers). */
function timeRange(decisions: readonly JsonObject[]): { first: string; last: string } | null {
  let range: { first: string; last: string; min: number; max: number } | null = null;
  for (const decision of decisions) {
    const stamp = text(decision, 'timestamp');
    const at = stamp === undefined ? null : parseTimestamp(stamp);
    if (stamp === undefined || at === null) continue;
    if (range === null) range = { first: stamp, last: stamp, min: at, max: at };
    if (at < range.min) [range.first, range.min] = [stamp, at];
    if (at > range.max) [range.last, range.max] = [stamp, at];
  }
  return range;
}

/**
 * Derives one session's summary. Identity fields come from `existing` (the latest session record), else the
 * first decision that has them, else {@link SESSION_DEFAULTS}; state from `existing` (default active).
 * @param now - used only for timestamps nothing provides (no decisions, no existing record).
 */
export function summarizeSession(
  sessionId: string,
  decisions: readonly JsonObject[],
  existing: JsonObject | null,
  now: string,
): SessionSummary {
  const identity = (field: IdentityField): string =>
    text(existing, field) ??
    decisions.map((d) => text(d, field)).find((v) => v !== undefined) ??
    SESSION_DEFAULTS[field];
  const counts: Record<string, number> = {};
  const refs = new Set<string>();
  for (const decision of decisions) {
    const outcome = text(decision, 'decision') ?? 'audit_only';
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    const decisionRefs = decision.evidence_refs;
    if (Array.isArray(decisionRefs))
      for (const ref of decisionRefs) if (typeof ref === 'string') refs.add(ref);
  }
  const range = timeRange(decisions);
  const existingRefs = existing?.evidence_refs;
  const state = text(existing, 'state') ?? text(existing, 'status');
  return {
    schema_version: SESSION_SCHEMA,
    session_id: sessionId,
    agent_id: identity('agent_id'),
    actor: identity('actor'),
    repository: identity('repository'),
    policy_pack: identity('policy_pack'),
    state: STATES.includes(state as SessionState) ? (state as SessionState) : 'active',
    started_at: range?.first ?? text(existing, 'started_at') ?? now,
    updated_at: range?.last ?? text(existing, 'updated_at') ?? now,
    decision_count: decisions.length,
    blocked_count: counts.block ?? 0,
    approval_required_count: counts.require_approval ?? 0,
    evidence_refs:
      decisions.length > 0 || !Array.isArray(existingRefs)
        ? [...refs]
        : existingRefs.filter((r): r is string => typeof r === 'string'),
    decision_counts: counts,
  };
}

/**
 * Summaries of every session in a log: `decision` entries grouped by `payload.session_id` (default `local`),
 * with the latest `session` entry per id as the existing record. Ordered by `updated_at`, newest first.
 */
export function summarizeSessions(entries: readonly EvidenceEntry[], now: string): SessionSummary[] {
  const decisions = new Map<string, JsonObject[]>();
  const records = new Map<string, JsonObject>();
  for (const entry of entries) {
    const id = text(entry.payload, 'session_id') ?? 'local';
    if (entry.kind === 'decision') {
      const list = decisions.get(id);
      if (list === undefined) decisions.set(id, [entry.payload]);
      else list.push(entry.payload);
    } else if (entry.kind === 'session') records.set(id, entry.payload);
  }
  const ids = new Set([...decisions.keys(), ...records.keys()]);
  const summaries = [...ids].map((id) =>
    summarizeSession(id, decisions.get(id) ?? [], records.get(id) ?? null, now),
  );
  const instant = (s: SessionSummary): number => parseTimestamp(s.updated_at) ?? 0;
  return summaries.sort((a, b) => instant(b) - instant(a) || (a.session_id < b.session_id ? -1 : 1));
}
