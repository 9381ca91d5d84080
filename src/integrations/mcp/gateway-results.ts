/**
 * What the gateway answers and how it identifies calls: the result shapes, the `_meta` it adds, the call
 * fingerprint approvals are keyed by, and which of a call's decisions governs it.
 */
import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Decision, JsonObject, JsonValue } from '../../engine';
import { canonicalJson } from '../../evidence';

/** The `_meta` key under which results say what the gateway did. */
export const GATEWAY_META_KEY = 'cavra/gateway';

/** What became of one call, as recorded in its `operations` evidence entry. */
export type CallOutcome =
  'forwarded' | 'downstream_error' | 'blocked' | 'approval_pending' | 'approval_denied' | 'refused';

/** Outcomes stricter first: the strictest decision of a call is the one obeyed. */
const STRICTNESS: Record<string, number> = { block: 3, require_approval: 2 };

/** What identifies one call in evidence. */
export type CallFacts = { call_id: string; server: string; tool: string; fingerprint: string };

/** SHA-256 (hex) of the canonical JSON of the call: an approval covers exactly this call. */
export function fingerprint(server: string, tool: string, args: Record<string, unknown> | undefined): string {
  const text = canonicalJson({ server, tool, arguments: (args ?? {}) as JsonValue });
  return createHash('sha256').update(text).digest('hex');
}

/** The strictest decision (block, then require_approval, then the first); the MCP decision wins ties. */
export function strictest(decisions: readonly Decision[]): Decision {
  let best = decisions[0];
  if (best === undefined) throw new Error('strictest() needs at least one decision');
  for (const decision of decisions) {
    if ((STRICTNESS[decision.decision] ?? 0) > (STRICTNESS[best.decision] ?? 0)) best = decision;
  }
  return best;
}

export function decisionMeta(decision: Decision): JsonObject {
  return {
    decision: decision.decision,
    decision_id: decision.decision_id,
    rule_id: decision.rule_id,
    severity: decision.severity,
    reason: decision.reason,
  };
}

export function errorResult(text: string, meta: JsonObject): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }], _meta: { [GATEWAY_META_KEY]: meta } };
}

/** A reason as a sentence of its own in a longer message (engine reasons may lack the final stop). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
