import type { Decision, Outcome, PolicyMode } from './types';

/** Upstream's policy-mode summary (`cavra evaluate --policy-mode … --json`), derived from a decision. */
export type PolicyModeSummary = {
  schema_version: 'cavra.policy-mode-summary.v1';
  mode: PolicyMode;
  base_decision: Decision & { decision: Outcome };
  effective_decision: Outcome;
  mode_reason: string;
  evidence_required: boolean;
  break_glass_actor_present: boolean;
  break_glass_reason_present: boolean;
};

/** Builds the mode summary: `base_decision` is the decision as the guards made it, before the overlay. */
export function summarizePolicyMode(
  decision: Decision,
  breakGlass: { actor?: string | undefined; reason?: string | undefined } = {},
): PolicyModeSummary {
  return {
    schema_version: 'cavra.policy-mode-summary.v1',
    mode: decision.mode,
    base_decision: { ...decision, decision: decision.base_decision },
    effective_decision: decision.decision,
    mode_reason: decision.mode_reason,
    evidence_required: decision.evidence_required,
    break_glass_actor_present: (breakGlass.actor ?? '').trim() !== '',
    break_glass_reason_present: (breakGlass.reason ?? '').trim() !== '',
  };
}
