/**
 * The records a bundle is built from: upstream `cavra.decision.v1` decisions (the engine's `Decision` fits),
 * optionally carrying the approval summary that attach-decision adds (upstream §2.7).
 */
import { SEVERITY_RANK, type Severity } from '../../engine';
import type { PyJsonValue } from './python-json';

/** The approval summary attached to a decision; only the members the Markdown uses are named. */
export type ApprovalSummary = {
  readonly [key: string]: PyJsonValue | undefined;
  approval_id?: string;
  state?: string;
  decided_by?: string | null;
  approver_group?: string | null;
};

/** A decision as a bundle records it; unknown members are written through unchanged. */
export type BundleDecision = {
  readonly [key: string]: PyJsonValue | undefined;
  decision_id?: string;
  session_id?: string;
  action_type: string;
  target: string;
  decision: string;
  rule_id: string;
  severity: string;
  timestamp?: string;
  approval?: ApprovalSummary | null;
};

/** Per-outcome counts, as upstream's summary, SIEM event and sandbox summary report them. */
export type DecisionCounts = { total: number; allowed: number; blocked: number; approvalRequired: number };

/** Counts decisions: allowed = `allow` + `allow_with_attestation`, as upstream. */
export function countDecisions(decisions: readonly BundleDecision[]): DecisionCounts {
  const count = (...outcomes: string[]): number =>
    decisions.filter((d) => outcomes.includes(d.decision)).length;
  return {
    total: decisions.length,
    allowed: count('allow', 'allow_with_attestation'),
    blocked: count('block'),
    approvalRequired: count('require_approval'),
  };
}

/**
 * How `max_severity` is chosen. `rank` (default) orders low < medium < high < critical. `lexicographic` copies
 * upstream's `max(severities)` string maximum (critical < high < low < medium), only to reproduce old bundles.
 */
export type SeverityOrder = 'rank' | 'lexicographic';

function isSeverity(value: string): value is Severity {
  return Object.hasOwn(SEVERITY_RANK, value);
}

/** The highest severity among decisions; `low` when there are none (upstream's `max([])` would raise). */
export function maxSeverity(decisions: readonly BundleDecision[], order: SeverityOrder = 'rank'): string {
  const severities = decisions.map((d) => d.severity);
  if (severities.length === 0) return 'low';
  if (order === 'lexicographic') return severities.reduce((a, b) => (b > a ? b : a));
  // Unknown strings rank below `low`, so a typo can never raise the reported severity.
  const rank = (s: string): number => (isSeverity(s) ? SEVERITY_RANK[s] : -1);
  return severities.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}
