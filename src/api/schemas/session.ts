/** Session summaries (`cavra.session.v1`, upstream §4) as served and as `POST /sessions` accepts them. */
import { z } from '@hono/zod-openapi';
import { SESSION_DEFAULTS, SESSION_SCHEMA, parseTimestamp, type SessionState } from '../../evidence';
import type { SessionInput, SessionRecord } from '../../store';
import { PageQuery } from './common';
import { Identifier } from './decision';

const STATES = ['active', 'completed', 'failed', 'archived'] as const satisfies readonly SessionState[];

/** A served session: upstream's summary (defaults applied) plus `decision_counts` per outcome. */
export const SessionSchema = z
  .object({
    schema_version: z.literal(SESSION_SCHEMA),
    session_id: z.string().openapi({ example: 'sess_demo_001' }),
    agent_id: z.string(),
    actor: z.string(),
    repository: z.string(),
    policy_pack: z.string(),
    state: z.enum(STATES),
    started_at: z.string(),
    updated_at: z.string(),
    decision_count: z.number().int(),
    blocked_count: z.number().int(),
    approval_required_count: z.number().int(),
    evidence_refs: z.array(z.string()),
    decision_counts: z.record(z.string(), z.number().int()).openapi({
      description: 'CAVRA addition: decisions per outcome',
      example: { allow: 3, block: 1 },
    }),
  })
  .openapi('Session');

/** A session as served. */
export type SessionView = z.infer<typeof SessionSchema>;

/** The stored summary with upstream's defaults for identity fields nothing provided. */
export function sessionView(record: SessionRecord): SessionView {
  return {
    schema_version: SESSION_SCHEMA,
    ...record,
    agent_id: record.agent_id ?? SESSION_DEFAULTS.agent_id,
    actor: record.actor ?? SESSION_DEFAULTS.actor,
    repository: record.repository ?? SESSION_DEFAULTS.repository,
    policy_pack: record.policy_pack ?? SESSION_DEFAULTS.policy_pack,
  };
}

const Timestamp = z
  .string()
  .refine((text) => parseTimestamp(text) !== null, {
    message: 'must be an RFC 3339 timestamp with an offset, e.g. 2026-05-21T15:40:02.000000+00:00',
  })
  .transform(normalizeTimestamp);

const Count = z.number().int().min(0);

/**
 * `POST /sessions` (upstream: "the only way to change `state`"). `status` is accepted for `state`, as upstream.
 * Counts and times are taken only while the session has no decisions; after that they are the decisions'.
 */
export const SessionInputSchema = z
  .strictObject({
    schema_version: z.literal(SESSION_SCHEMA).optional(),
    session_id: Identifier.openapi({ example: 'sess_demo_001' }),
    agent_id: Identifier.optional(),
    actor: Identifier.optional(),
    repository: Identifier.optional(),
    policy_pack: Identifier.optional(),
    state: z.enum(STATES).optional(),
    status: z.enum(STATES).optional().openapi({ description: 'Alias of `state` (upstream)' }),
    started_at: Timestamp.optional(),
    updated_at: Timestamp.optional(),
    decision_count: Count.optional(),
    blocked_count: Count.optional(),
    approval_required_count: Count.optional(),
    evidence_refs: z.array(z.string()).optional(),
    decision_counts: z.record(z.string(), Count).optional().openapi({ description: 'Ignored: derived' }),
  })
  .refine(
    (input) => input.state === undefined || input.status === undefined || input.state === input.status,
    {
      message: 'state and status disagree; send one of them',
      path: ['status'],
    },
  )
  .openapi('SessionInput');

/** The store's input from a validated body. */
export function toSessionInput(body: z.infer<typeof SessionInputSchema>): SessionInput {
  const { schema_version: _schema, status, state, decision_counts: _counts, ...rest } = body;
  const effective = state ?? status;
  return { ...rest, ...(effective !== undefined && { state: effective }) };
}

/** `GET /sessions` filters (upstream §4), every one an exact match, plus paging. */
export const SessionListQuery = PageQuery.extend({
  agent_id: z.string().optional(),
  repository: z.string().optional(),
  policy_pack: z.string().optional(),
  state: z.enum(STATES).optional(),
});

/**
 * One text form for stored times (the engine's: microseconds, `+00:00`), so times sort as strings (0008).
 * Only called on text `parseTimestamp` accepted.
 */
export function normalizeTimestamp(text: string): string {
  const micros = parseTimestamp(text) ?? 0;
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const fraction = String(micros - millis * 1000).padStart(3, '0');
  return `${iso.slice(0, -1)}${fraction}+00:00`;
}
