import {
  POLICY_MODES,
  SEVERITY_RANK,
  type DecisionRequest,
  type JsonObject,
  type PolicyMode,
  type Severity,
} from '../engine';
import { isOneOf, isRecord } from './registry';

/** Request fields that hold text (upstream's request shape, reference §2.2, plus cwd and the mode fields). */
const TEXT_FIELDS = [
  'action_type',
  'target',
  'operation',
  'requested_operation',
  'server',
  'tool',
  'capability',
  'policy_pack',
  'session_id',
  'agent_id',
  'actor',
  'repository',
  'cwd',
  'break_glass_actor',
  'break_glass_reason',
  'action_id',
  'adapter_id',
  'tenant_id',
  'workspace_id',
] as const;
const OBJECT_FIELDS = ['record', 'release_governance', 'metadata'] as const;
const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

/** Defaults from the command line; a request's own fields win. */
export type RequestDefaults = {
  policy_pack?: string;
  policy_mode?: PolicyMode;
  break_glass_actor?: string;
  break_glass_reason?: string;
};

/**
 * Checks one request read from `--input` (a trust boundary) and applies the command-line defaults.
 * Known fields must have the right type; `null` counts as absent; unknown fields are dropped (the engine
 * ignores them). Returns the request, or what is wrong with it.
 */
export function toDecisionRequest(value: unknown, defaults: RequestDefaults): DecisionRequest | string {
  if (!isRecord(value)) return `expected a JSON object, got ${describeType(value)}`;
  const request: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  for (const key of TEXT_FIELDS) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return `"${key}" must be a string, got ${describeType(field)}`;
    request[key] = field;
  }
  const objects: Partial<Record<(typeof OBJECT_FIELDS)[number], JsonObject>> = {};
  for (const key of OBJECT_FIELDS) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (!isRecord(field)) return `"${key}" must be an object, got ${describeType(field)}`;
    objects[key] = field as JsonObject;
  }
  const mode = value['policy_mode'] ?? defaults.policy_mode;
  if (mode !== undefined && !isOneOf(POLICY_MODES, mode)) {
    return `"policy_mode" must be one of ${POLICY_MODES.join(', ')}, got ${JSON.stringify(mode)}`;
  }
  const risk = value['risk_level'] ?? undefined;
  if (risk !== undefined && !isOneOf(SEVERITIES, risk)) {
    return `"risk_level" must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(risk)}`;
  }
  if (request.action_type === undefined) return `"action_type" is required`;
  return {
    ...defaults,
    ...request,
    action_type: request.action_type,
    ...objects,
    ...(mode !== undefined && { policy_mode: mode }),
    ...(risk !== undefined && { risk_level: risk }),
  };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
