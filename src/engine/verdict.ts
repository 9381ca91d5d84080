import type { CommandSegment, MatchedRule, Outcome, Severity } from './types';
import { SEVERITY_RANK } from './types';

/** What a guard concludes, before the decision envelope and the mode overlay are added. */
export type Verdict = {
  decision: Outcome;
  rule_id: string;
  severity: Severity;
  reason: string;
  approver_group: string | null;
  /** Every rule that contributed; the reported rule first. */
  matched_rules: MatchedRule[];
  segments?: CommandSegment[];
};

/** Strictness order used to combine verdicts: block > require_approval > everything else. */
export const OUTCOME_RANK: Readonly<Record<Outcome, number>> = {
  allow: 0,
  audit_only: 0,
  warn: 1,
  allow_with_attestation: 1,
  require_approval: 2,
  block: 3,
};

/** A verdict made of exactly one rule. */
export function single(rule: MatchedRule, approverGroup: string | null = null): Verdict {
  return {
    decision: rule.decision,
    rule_id: rule.rule_id,
    severity: rule.severity,
    reason: rule.reason,
    approver_group: approverGroup,
    matched_rules: [rule],
  };
}

/** The higher of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Approver groups named by upstream's rule catalogue. */
export const APPROVER = {
  repositoryOwners: 'Repository Owners',
  platformSecurity: 'Platform Security',
  aiGovernance: 'AI Governance',
  releaseGovernance: 'Release Governance',
} as const;
