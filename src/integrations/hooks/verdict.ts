/**
 * From a decision to what the agent is told. Fail closed: only the allowing outcomes run; anything the hook
 * could not decide is denied (or, when configured, asked), never allowed.
 */
import type { Decision } from '../../engine';
import type { HookPermission, HookVerdict } from './event';
import { isGranted } from './remote';

/** What a hook answers when it could not decide: `deny` (default) or `ask`. Never allow. */
export type FailureAnswer = Extract<HookPermission, 'deny' | 'ask'>;

/** The outcomes that let the call run; the reason is still shown (warn, audit_only, attestation). */
const RUNS = new Set<Decision['decision']>(['allow', 'warn', 'audit_only', 'allow_with_attestation']);

/** The verdict for a decision made locally, by the daemon, or by the API. */
export function verdictFor(decision: Decision): HookVerdict {
  const action = describeAction(decision);
  const rule = `rule ${decision.rule_id}, pack ${decision.policy_pack}`;
  if (RUNS.has(decision.decision)) {
    return {
      permission: 'allow',
      reason: `cavra ${decision.decision}: ${decision.reason} (${rule})`,
      decision,
    };
  }
  if (decision.decision === 'require_approval') {
    const group = decision.approver_group ?? 'an approver';
    return {
      permission: 'ask',
      reason: `cavra requires approval from ${group} to ${action}: ${decision.reason} (${rule}). Approve only if you expect this action.`,
      decision,
    };
  }
  return {
    permission: 'deny',
    reason:
      `cavra blocked the request to ${action}: ${decision.reason} (${rule}, decision ${decision.decision_id}). ` +
      `Do not retry it or work around it; choose another approach, or ask the user to review the policy ` +
      `('cavra policy explain ${decision.action_type} …') or to grant an exception.`,
    decision,
  };
}

/** The verdict when no decision could be made: deny (or ask), with what went wrong. */
export function failureVerdict(message: string, answer: FailureAnswer): HookVerdict {
  const consequence =
    answer === 'deny'
      ? 'the tool call is denied (fail closed)'
      : 'asking the user instead (fail closed: ask)';
  return {
    permission: answer,
    reason: `cavra could not evaluate this tool call: ${message}; ${consequence}. Check the hook with 'cavra hook --help'.`,
  };
}

/** The verdict once a remote approval has been settled (or not): approved → allow, anything else → deny. */
export function approvalVerdict(
  decision: Decision,
  outcome: { state: string; approvalId: string; actor?: string | undefined; reason?: string | undefined },
): HookVerdict {
  if (isGranted(outcome.state)) {
    const by = outcome.actor === undefined ? '' : ` by ${outcome.actor}`;
    return {
      permission: 'allow',
      reason: `cavra: approval ${outcome.approvalId} granted${by} for rule ${decision.rule_id}`,
      decision,
    };
  }
  const why = outcome.reason === undefined || outcome.reason === '' ? '' : `: ${outcome.reason}`;
  const state = outcome.state === 'timeout' ? 'was not decided in time' : `is ${outcome.state}`;
  return {
    permission: 'deny',
    reason:
      `cavra: approval ${outcome.approvalId} for ${describeAction(decision)} ${state}${why} (rule ${decision.rule_id}). ` +
      `Do not retry it; ask the user to get approval ${outcome.approvalId} granted first.`,
    decision,
  };
}

function describeAction(decision: Decision): string {
  switch (decision.action_type) {
    case 'execute_command':
      return `run '${shorten(decision.target)}'`;
    case 'read_file':
      return `read ${decision.target}`;
    case 'write_file':
      return `write ${decision.target}`;
    case 'mcp_tool_call':
      return `call MCP tool ${decision.target}`;
    default:
      return `perform ${decision.action_type} on '${shorten(decision.target)}'`;
  }
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}
