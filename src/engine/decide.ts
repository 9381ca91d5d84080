import { genericAdapterFields, genericGuard } from './guards/generic';
import { commandGuard } from './guards/command';
import { fileGuard, type PathScope } from './guards/file';
import { gitOperationGuard } from './guards/git';
import { mcpGuard, type McpRegistry } from './guards/mcp';
import { releaseGovernanceGuard } from './guards/release-governance';
import { applyMode } from './modes';
import { displayPath } from './path';
import type { CompiledPack } from './policy/compile';
import type { PolicySet } from './policy/policy-set';
import {
  POLICY_MODES,
  RUNTIME_ACTION_TYPES,
  type Decision,
  type DecisionContext,
  type DecisionRequest,
  type PolicyMode,
  type Result,
  type RuntimeActionType,
} from './types';
import { single, type Verdict } from './verdict';

/** Inputs beside the request: the clock, ids, workspace root, and the MCP trust registry when configured. */
export type DecideOptions = DecisionContext & { registry?: McpRegistry };

function isRuntimeActionType(value: string): value is RuntimeActionType {
  return (RUNTIME_ACTION_TYPES as readonly string[]).includes(value);
}

/**
 * Decides one request against a policy set. Pure and deterministic given the context.
 * Errors a caller can fix (unknown pack, unknown action type, bad mode) are returned as values; a failure
 * inside the engine yields a `block` decision with rule `runtime.error.fail_closed`, never an allow.
 */
export function decide(
  request: DecisionRequest,
  policies: PolicySet,
  context: DecideOptions,
): Result<Decision> {
  const actionType = typeof request.action_type === 'string' ? request.action_type.trim() : '';
  if (actionType === '') {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'action_type is required',
        choices: [...RUNTIME_ACTION_TYPES],
      },
    };
  }
  const isGeneric = !isRuntimeActionType(actionType);
  if (isGeneric && !actionType.includes('.') && request.adapter_id === undefined) {
    return {
      ok: false,
      error: {
        code: 'unknown_action_type',
        message: `unknown action type '${actionType}': use one of ${RUNTIME_ACTION_TYPES.join(', ')}, or a dotted generic type such as crm.update_record`,
        choices: [...RUNTIME_ACTION_TYPES],
      },
    };
  }
  const mode: PolicyMode = request.policy_mode ?? 'enforce';
  if (!POLICY_MODES.includes(mode)) {
    return {
      ok: false,
      error: {
        code: 'invalid_policy_mode',
        message: `unknown policy mode '${mode}': use one of ${POLICY_MODES.join(', ')}`,
        choices: [...POLICY_MODES],
      },
    };
  }
  const packId = request.policy_pack ?? policies.defaultPack;
  const pack = policies.packs.get(packId);
  if (pack === undefined) {
    const choices = [...policies.packs.keys()].sort();
    return {
      ok: false,
      error: {
        code: 'unknown_policy_pack',
        message: `unknown policy pack '${packId}': use one of ${choices.join(', ')}`,
        choices,
      },
    };
  }
  const scope: PathScope = { workspaceRoot: request.cwd ?? context.workspaceRoot, homeDir: context.homeDir };
  let verdict: Verdict;
  try {
    verdict = isGeneric
      ? genericGuard(actionType, request.risk_level)
      : runGuard(actionType, request, pack, scope, context.registry);
  } catch (error) {
    verdict = failClosed(error);
  }
  return { ok: true, value: envelope(request, actionType, pack, verdict, mode, context) };
}

function runGuard(
  actionType: RuntimeActionType,
  request: DecisionRequest,
  pack: CompiledPack,
  scope: PathScope,
  registry: McpRegistry | undefined,
): Verdict {
  const target = request.target ?? '';
  switch (actionType) {
    case 'read_file':
      return fileGuard(pack, 'read', target, scope);
    case 'write_file':
      return fileGuard(pack, 'write', target, scope);
    case 'execute_command':
      return commandGuard(
        pack,
        request.requested_operation !== undefined && request.adapter_id !== undefined
          ? request.requested_operation
          : target,
        scope,
      );
    case 'git_operation':
      return gitOperationGuard(pack, gitVerb(request), target);
    case 'mcp_tool_call':
      return mcpGuard(pack, mcpCall(request), registry);
    case 'pull_request':
      return single({
        rule_id: 'git.pull_request.allow_with_attestation',
        decision: 'allow_with_attestation',
        severity: 'medium',
        reason: 'PR is allowed with CAVRA evidence and reviewer guidance.',
      });
    case 'release_governance_record':
      return releaseGovernanceGuard(request.record ?? request.release_governance, target);
  }
}

function gitVerb(request: DecisionRequest): string {
  return request.operation ?? request.requested_operation ?? 'push';
}

function mcpCall(request: DecisionRequest): { server: string; tool: string; capability: string | undefined } {
  const [targetServer = '', targetTool = ''] = (request.target ?? '').split(':');
  return {
    server: request.server ?? targetServer,
    tool: request.tool ?? targetTool,
    capability: request.capability,
  };
}

function failClosed(error: unknown): Verdict {
  const detail = error instanceof Error ? error.message : String(error);
  return single({
    rule_id: 'runtime.error.fail_closed',
    decision: 'block',
    severity: 'high',
    reason: `The engine failed while deciding (${detail}); blocked (fail closed).`,
  });
}

/** Target and requested operation as upstream reports them (reference §3.3). */
function describe(
  actionType: string,
  request: DecisionRequest,
): { target: string; requested_operation: string } {
  const target = request.target ?? '';
  switch (actionType) {
    case 'read_file':
    case 'write_file':
      return {
        target: displayPath(target),
        requested_operation: actionType === 'read_file' ? 'read' : 'write',
      };
    case 'execute_command':
      return { target: target.trim(), requested_operation: (request.requested_operation ?? target).trim() };
    case 'git_operation': {
      const verb = gitVerb(request);
      return { target: target === '' ? verb : target, requested_operation: verb };
    }
    case 'mcp_tool_call': {
      const call = mcpCall(request);
      return { target: `${call.server}:${call.tool}`, requested_operation: call.capability ?? call.tool };
    }
    case 'pull_request':
      return { target, requested_operation: request.operation ?? request.requested_operation ?? 'create' };
    case 'release_governance_record':
      return { target, requested_operation: request.requested_operation ?? request.operation ?? 'verify' };
    default:
      return { target, requested_operation: request.requested_operation ?? target };
  }
}

let lastTimestamp = { time: Number.NaN, text: '' };

function formatTimestamp(date: Date): string {
  // Decisions arrive in bursts within one millisecond; formatting the same instant twice is wasted work.
  const time = date.getTime();
  if (time === lastTimestamp.time) return lastTimestamp.text;
  const text = isoWithMicroseconds(date);
  lastTimestamp = { time, text };
  return text;
}

function isoWithMicroseconds(date: Date): string {
  // Upstream (Python isoformat): microseconds and an explicit +00:00 offset.
  const iso = date.toISOString(); // always YYYY-MM-DDTHH:mm:ss.sssZ for years 0–9999
  return `${iso.slice(0, -1)}000+00:00`;
}

function envelope(
  request: DecisionRequest,
  actionType: string,
  pack: CompiledPack,
  verdict: Verdict,
  mode: PolicyMode,
  context: DecisionContext,
): Decision {
  const viaAdapter = request.adapter_id !== undefined;
  const sessionId = viaAdapter
    ? `generic-adapter:${request.adapter_id ?? ''}`
    : (request.session_id ?? 'local');
  const decisionId = `dec_${context.randomHex12()}`;
  const overlay = applyMode(verdict, mode, {
    actor: request.break_glass_actor,
    reason: request.break_glass_reason,
  });
  const { target, requested_operation } = describe(actionType, request);
  const decision: Decision = {
    schema_version: 'cavra.decision.v1',
    decision_id: decisionId,
    session_id: sessionId,
    agent_id: request.agent_id ?? 'unknown-agent',
    actor: request.actor ?? 'ai-agent',
    action_type: actionType,
    target,
    requested_operation,
    policy_pack: pack.id,
    policy_id: pack.id,
    rule_id: verdict.rule_id,
    decision: overlay.decision,
    severity: verdict.severity,
    reason: verdict.reason,
    evidence_refs: [`evidence://${sessionId}/${decisionId}`],
    approver_group: overlay.approver_group,
    timestamp: formatTimestamp(context.now()),
    correlation_id: `corr_${context.randomHex12()}`,
    policy_revision: pack.revision,
    mode,
    base_decision: verdict.decision,
    mode_reason: overlay.mode_reason,
    evidence_required: overlay.evidence_required,
    matched_rules:
      overlay.rule === undefined ? verdict.matched_rules : [...verdict.matched_rules, overlay.rule],
  };
  // Optional fields are assigned, not spread: this object is built once per decision on the hot path.
  if (request.repository !== undefined) decision.repository = request.repository;
  if (verdict.segments !== undefined) decision.segments = verdict.segments;
  return viaAdapter ? { ...decision, ...genericAdapterFields(actionType, request) } : decision;
}
