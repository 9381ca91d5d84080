/** Decides one validated request with the engine, the app's policies, clock and ids. */
import type { z } from '@hono/zod-openapi';
import {
  decide,
  type Decision,
  type DecisionRequest,
  type EngineErrorCode,
  type JsonObject,
  type McpRegistry,
} from '../engine';
import type { ApiDeps } from './deps';
import { errorBody, type ErrorBody } from './errors';
import type { DecisionRequestSchema } from './schemas/decision';

/** A validated `POST /decisions` body. */
export type DecisionRequestBody = z.infer<typeof DecisionRequestSchema>;

/** The request field each engine error is about, so the 400 names it. */
const ERROR_FIELDS: Readonly<Record<EngineErrorCode, string>> = {
  unknown_policy_pack: 'policy_pack',
  unknown_action_type: 'action_type',
  invalid_request: 'action_type',
  invalid_policy_mode: 'policy_mode',
  invalid_policy: 'policy_pack',
  policy_inheritance_cycle: 'policy_pack',
};

/**
 * Runs the engine. `now` overrides the clock (the demo seed scripts its timeline); `registry` is the MCP trust
 * registry (src/api/identity/registry-enforcement.ts). Errors a caller can fix are
 * returned as a 400 body; a failure inside the engine is already a `block` decision (fail closed).
 */
export function decideRequest(
  deps: Pick<ApiDeps, 'policies' | 'clock' | 'randomHex12'>,
  body: DecisionRequestBody,
  now?: Date,
  registry?: McpRegistry,
): { ok: true; decision: Decision } | { ok: false; error: ErrorBody } {
  const result = decide(toDecisionRequest(body), deps.policies, {
    now: now === undefined ? deps.clock : () => now,
    randomHex12: deps.randomHex12,
    ...(registry !== undefined && { registry }),
  });
  if (result.ok) return { ok: true, decision: result.value };
  const { code, message, choices } = result.error;
  return {
    ok: false,
    error: errorBody(code, message, { field: ERROR_FIELDS[code], ...(choices && { choices }) }),
  };
}

function toDecisionRequest(body: DecisionRequestBody): DecisionRequest {
  // The zod schema types JSON objects as Record<string, unknown>; they came from JSON text, so they are JSON.
  const { record, release_governance, metadata, ...rest } = body;
  return {
    ...rest,
    ...(record !== undefined && { record: record as JsonObject }),
    ...(release_governance !== undefined && { release_governance: release_governance as JsonObject }),
    ...(metadata !== undefined && { metadata: metadata as JsonObject }),
  };
}
