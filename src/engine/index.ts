/**
 * The policy engine's public entry. Pure and deterministic: no I/O, no clock, no randomness of its own.
 * `decide(request, policySet, context)` is the facade; the rest supports loading packs and explaining results.
 */
export { decide, type DecideOptions } from './decide';
export { analyzeCommand, type AnalyzedCommand, type Analysis } from './command/analyze';
export {
  buildPolicySet,
  buildPolicySetFromParsed,
  withExtraPack,
  DEFAULT_PACK,
  type PackSource,
  type ParsedPackSource,
  type PolicySet,
} from './policy/policy-set';
export { parsePack, POLICY_SCHEMA, type ParsedPack, type PolicyDiagnostic } from './policy/document';
export type { CompiledPack, PackTest } from './policy/compile';
export { runPackTests, type PackTestResult } from './policy/pack-tests';
export { summarizePolicyMode, type PolicyModeSummary } from './summary';
export {
  routeApproval,
  routingRuleMatches,
  DEFAULT_ROUTING_RULES,
  type RoutingRule,
  type RoutableDecision,
} from './routing';
export { normalizePath } from './path';
export { parseShell } from './shell/parse';
export type { McpRegistry, McpServerRecord, TrustTier, ApprovalState } from './guards/mcp';
export { GENERIC_TAXONOMY } from './guards/generic';
export {
  OUTCOMES,
  POLICY_MODES,
  RUNTIME_ACTION_TYPES,
  SEVERITY_RANK,
  type CommandSegment,
  type Decision,
  type DecisionContext,
  type DecisionRequest,
  type EngineError,
  type EngineErrorCode,
  type JsonObject,
  type JsonValue,
  type MatchedRule,
  type Outcome,
  type PolicyMode,
  type Result,
  type RuntimeActionType,
  type Severity,
} from './types';
