/**
 * Plays a scenario against the API: each action goes through `POST /decisions` (decided by the engine, stored,
 * appended to the evidence log) one after the other, and every decision is handed to the caller as it lands.
 * Framework-free, so the sandbox's Node tests drive the very code the player runs.
 */
import type { ApiClient } from '../../../lib/api-client';
import type { Decision, PolicyMode } from '../../../lib/api-types';
import type { Scenario } from './catalogue';

/** Who runs the scenario: the signed-in actor, and whether they may break glass (from `/console/session`). */
export type ScenarioRunner = { actor: string; canBreakGlass: boolean };

/** Options of {@link runScenario}. */
export type RunOptions = {
  api: ApiClient;
  scenario: Scenario;
  mode: PolicyMode;
  runner: ScenarioRunner;
  sessionId: string;
  /** Called with each decision as soon as it is stored. */
  onDecision?: (decision: Decision, index: number) => void;
  /** Awaited between two actions (the player's stagger); none by default. */
  pause?: () => Promise<void>;
  signal?: AbortSignal;
};

/** The counts a presenter reads out (reference §3.1 step 5). */
export type ScenarioTally = {
  decisions: number;
  blocked: number;
  approval_required: number;
  allowed: number;
  attested: number;
  audit_only: number;
  warned: number;
};

/** Why break-glass mode is used in a scenario (the engine wants a named actor and a reason). */
export const BREAK_GLASS_REASON =
  'Scenario run under break-glass: emergency change for the payments incident.';

/** A new session id for one run (`sess_scn_<time><random>`; ids must be unique per log). */
export function newScenarioSessionId(now: Date, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `sess_scn_${now.getTime().toString(36)}${suffix}`;
}

/** The request body of one action. Break-glass names the runner only when they hold the break-glass group. */
export function scenarioRequest(
  scenario: Scenario,
  index: number,
  options: Pick<RunOptions, 'mode' | 'runner' | 'sessionId'>,
): Record<string, unknown> {
  const action = scenario.actions[index];
  if (action === undefined) throw new RangeError(`scenario ${scenario.id} has no action ${index}`);
  const isBreakGlass = options.mode === 'break_glass' && options.runner.canBreakGlass;
  return {
    session_id: options.sessionId,
    agent_id: scenario.agent_id,
    actor: options.runner.actor,
    repository: scenario.repository,
    policy_pack: scenario.policy_pack,
    policy_mode: options.mode,
    ...action.request,
    ...(isBreakGlass && { break_glass_actor: options.runner.actor, break_glass_reason: BREAK_GLASS_REASON }),
  };
}

/** Runs every action in order; resolves to the stored decisions. */
export async function runScenario(options: RunOptions): Promise<Decision[]> {
  const decisions: Decision[] = [];
  for (let index = 0; index < options.scenario.actions.length; index += 1) {
    options.signal?.throwIfAborted();
    if (index > 0 && options.pause !== undefined) await options.pause();
    const decision = await options.api.post<Decision>(
      '/decisions',
      scenarioRequest(options.scenario, index, options),
      options.signal,
    );
    decisions.push(decision);
    options.onDecision?.(decision, index);
  }
  return decisions;
}

/** Counts the outcomes of a run. */
export function tallyDecisions(decisions: readonly Pick<Decision, 'decision'>[]): ScenarioTally {
  const tally: ScenarioTally = {
    decisions: decisions.length,
    blocked: 0,
    approval_required: 0,
    allowed: 0,
    attested: 0,
    audit_only: 0,
    warned: 0,
  };
  for (const { decision } of decisions) {
    switch (decision) {
      case 'block':
        tally.blocked += 1;
        break;
      case 'require_approval':
        tally.approval_required += 1;
        break;
      case 'allow':
        tally.allowed += 1;
        break;
      case 'allow_with_attestation':
        tally.allowed += 1;
        tally.attested += 1;
        break;
      case 'audit_only':
        tally.audit_only += 1;
        break;
      case 'warn':
        tally.warned += 1;
        break;
      default: {
        const unknown: never = decision;
        throw new Error(`unknown outcome ${String(unknown)}`);
      }
    }
  }
  return tally;
}
