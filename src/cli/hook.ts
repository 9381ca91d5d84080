/**
 * `cavra hook claude-code|cursor`: reads one hook event on stdin and answers on stdout in the agent's
 * format, exit 0. Fail closed: a bad flag, malformed stdin, an engine that throws, an unreachable API or an
 * approval that is not granted in time all answer deny (or ask with `--on-error ask`), never allow.
 */
import type { DecisionRequest, PolicyMode } from '../engine';
import {
  claudeCodeAnswer,
  mapClaudeCodeEvent,
  parseClaudeCodeEvent,
} from '../integrations/hooks/claude-code';
import { cursorAnswer, mapCursorEvent, type CursorEventName } from '../integrations/hooks/cursor';
import type { HookVerdict, Mapped, RequestDefaults } from '../integrations/hooks/event';
import { failureVerdict, type FailureAnswer } from '../integrations/hooks/verdict';
import { HELP_OPTION, parseCommandArgs, type OptionSpec } from './args';
import {
  checkAgentFlags,
  decideForAgent,
  failureAnswer,
  localEngine,
  verdictWithApprovals,
  type AgentFlags,
  type EngineFn,
} from './hook-decide';
import { HOOK_HELP } from './agent-help';
import { EXIT, usageError, type CliIo } from './io';

/** Flags of the agent-facing commands (`hook`, `agent exec`). */
export const AGENT_OPTIONS = {
  ...HELP_OPTION,
  'policy-pack': { type: 'string', short: 'p' },
  'policy-mode': { type: 'string', short: 'm' },
  policy: { type: 'string' },
  registry: { type: 'string' },
  record: { type: 'boolean' },
  db: { type: 'string' },
  approvals: { type: 'string' },
  'approval-timeout': { type: 'string' },
  'on-error': { type: 'string' },
  socket: { type: 'string' },
  'no-daemon': { type: 'boolean' },
} as const satisfies OptionSpec;

const AGENTS = ['claude-code', 'cursor'] as const;
type Agent = (typeof AGENTS)[number];

/** Test seams: the engine (to make it throw) and nothing else. */
export type HookDeps = { engine?: EngineFn };

export async function runHook(args: string[], io: CliIo, deps: HookDeps = {}): Promise<number> {
  const [agent, ...rest] = args;
  if (agent === '-h' || agent === '--help' || agent === undefined) {
    if (agent === undefined)
      return usageError(io, `missing <agent>: use one of ${AGENTS.join(', ')}`, 'hook');
    io.stdout(HOOK_HELP);
    return EXIT.ok;
  }
  if (agent !== 'claude-code' && agent !== 'cursor') {
    return usageError(io, `unknown agent '${agent}': use one of ${AGENTS.join(', ')}`, 'hook');
  }
  const parsed = parseCommandArgs(rest, AGENT_OPTIONS);
  if (parsed.ok && parsed.values.help === true) {
    io.stdout(HOOK_HELP);
    return EXIT.ok;
  }
  const onError = failureAnswer(io, parsed.ok ? parsed.values['on-error'] : undefined);
  const fallback: FailureAnswer = onError.ok ? onError.value : 'deny';
  const answer = (verdict: HookVerdict, event?: CursorEventName): number => {
    const body = agent === 'claude-code' ? claudeCodeAnswer(verdict) : cursorAnswer(event, verdict);
    io.stdout(`${JSON.stringify(body)}\n`);
    return EXIT.ok;
  };
  // A hook is always answered: even a misconfigured command line gets a (fail-closed) answer.
  const configError = !parsed.ok
    ? parsed.message
    : !onError.ok
      ? onError.message
      : checkAgentFlags(parsed.values);
  if (configError !== undefined || !parsed.ok) {
    const message = configError ?? 'invalid options';
    io.stderr(`cavra hook: ${message}\n`);
    return answer(failureVerdict(`the hook command is misconfigured (${message})`, fallback));
  }
  const flags = parsed.values;
  try {
    const text = await io.stdin();
    const mapped = mapEvent(agent, text, {
      policy_pack: flags['policy-pack'],
      policy_mode: flags['policy-mode'] as PolicyMode | undefined,
    });
    if (!mapped.ok) {
      io.stderr(`cavra hook: ${mapped.message}\n`);
      return answer(failureVerdict(mapped.message, fallback));
    }
    const verdict = await decideAndRecord(
      io,
      mapped.value.request,
      flags,
      fallback,
      deps.engine ?? localEngine,
      agent,
    );
    return answer(verdict, mapped.value.event);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`cavra hook: internal error: ${message}\n`);
    return answer(failureVerdict(`internal error (${message})`, fallback));
  }
}

function mapEvent(
  agent: Agent,
  text: string,
  defaults: RequestDefaults,
): Mapped<{ request: DecisionRequest; event?: CursorEventName }> {
  if (text.trim() === '')
    return { ok: false, message: 'standard input is empty: the hook expects one event as JSON' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `standard input is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (agent === 'cursor') return mapCursorEvent(value, defaults);
  const event = parseClaudeCodeEvent(value);
  if (!event.ok) return event;
  const request = mapClaudeCodeEvent(event.value, defaults);
  return request.ok ? { ok: true, value: { request: request.value } } : request;
}

/** Decides, applies approvals, records the evidence when asked; a decision that cannot be recorded fails closed. */
export async function decideAndRecord(
  io: CliIo,
  request: DecisionRequest,
  flags: AgentFlags & { record?: boolean | undefined; db?: string | undefined },
  onError: FailureAnswer,
  engine: EngineFn,
  requestedBy: string,
): Promise<HookVerdict> {
  const decided = await decideForAgent(io, request, flags, engine);
  if (!decided.ok) return failureVerdict(decided.message, onError);
  const { decision, source } = decided.value;
  // The API recorded its decision already; a daemon's block answer for a bad request is not a decision.
  if (flags.record === true && source !== 'api' && !('error' in decision)) {
    const { recordDecisions } = await import('./evidence-record');
    const { recorded } = await recordDecisions(io, [decision], { db: flags.db, json: true });
    if (!recorded) {
      return failureVerdict(
        `decision ${decision.decision_id} (${decision.decision}) could not be recorded as evidence`,
        onError,
      );
    }
  }
  return verdictWithApprovals(io, decided.value, flags, onError, requestedBy);
}
