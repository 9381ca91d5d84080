import type { Decision } from '../engine';

/**
 * The columns of a decision's row besides its JSON, in the order every insert lists them (`decisions` table;
 * the SQLite writer thread's wire form and PostgreSQL's append statement use the same order).
 */
export const DECISION_COLUMN_KEYS = [
  'decision_id',
  'session_id',
  'agent_id',
  'actor',
  'repository',
  'policy_pack',
  'action_type',
  'target',
  'rule_id',
  'decision',
  'severity',
  'timestamp',
  'correlation_id',
] as const satisfies readonly (keyof Decision)[];

/** A decision's row columns (besides the JSON), as plain data. */
export type DecisionColumns = Pick<Decision, (typeof DECISION_COLUMN_KEYS)[number]>;

/** The row columns of a decision (besides the JSON): a plain object of {@link DECISION_COLUMN_KEYS}. */
export function decisionColumns(decision: Decision): DecisionColumns {
  const columns: Record<string, unknown> = {};
  for (const key of DECISION_COLUMN_KEYS) columns[key] = decision[key];
  return columns as DecisionColumns;
}
