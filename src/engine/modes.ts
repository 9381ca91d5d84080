import type { MatchedRule, Outcome, PolicyMode } from './types';
import { APPROVER, type Verdict } from './verdict';

/** The outcome of the mode overlay (upstream §3.6). */
export type ModeResult = {
  decision: Outcome;
  mode_reason: string;
  evidence_required: boolean;
  approver_group: string | null;
  /** A rule describing the overlay, when it changed the outcome. */
  rule: MatchedRule | undefined;
};

/**
 * Applies a runtime policy mode to a guard verdict:
 * - enforce: unchanged;
 * - audit_only: every outcome becomes `audit_only` (recorded, not enforced);
 * - strict: allow becomes require_approval, everything stricter is kept;
 * - break_glass: allow_with_attestation when both actor and reason are given, else block.
 */
export function applyMode(
  verdict: Verdict,
  mode: PolicyMode,
  breakGlass: { actor: string | undefined; reason: string | undefined },
): ModeResult {
  const base = verdict.decision;
  const overlay = (decision: Outcome, rule_id: string, reason: string): ModeResult => ({
    decision,
    mode_reason: reason,
    evidence_required: true,
    approver_group:
      decision === 'require_approval'
        ? (verdict.approver_group ?? APPROVER.repositoryOwners)
        : verdict.approver_group,
    rule: decision === base ? undefined : { rule_id, decision, severity: verdict.severity, reason },
  });
  switch (mode) {
    case 'enforce':
      return {
        decision: base,
        mode_reason: `Enforce mode: the policy decision (${base}) applies as is.`,
        evidence_required: base !== 'allow',
        approver_group: verdict.approver_group,
        rule: undefined,
      };
    case 'audit_only':
      return overlay(
        'audit_only',
        'mode.audit_only',
        `Audit-only mode: recorded as evidence, not enforced (policy said ${base}).`,
      );
    case 'strict':
      return base === 'allow'
        ? overlay(
            'require_approval',
            'mode.strict.require_approval',
            'Strict mode: actions the policy allows still need approval.',
          )
        : overlay(base, 'mode.strict', `Strict mode: the policy decision (${base}) applies.`);
    case 'break_glass': {
      const actor = breakGlass.actor?.trim() ?? '';
      const reason = breakGlass.reason?.trim() ?? '';
      if (actor === '' || reason === '') {
        return overlay(
          'block',
          'mode.break_glass.missing_justification',
          'Break-glass mode needs both an actor and a reason; blocked.',
        );
      }
      return overlay(
        'allow_with_attestation',
        'mode.break_glass.allow_with_attestation',
        `Break-glass by ${actor}: allowed with attestation (policy said ${base}). Reason: ${reason}`,
      );
    }
  }
}
