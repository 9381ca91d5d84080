/**
 * Indexes the sandbox's database has beyond the store's (decision 0025). The console's decision filters are
 * exact matches on a few columns; the store indexes each as `(column, timestamp)`, so counting the matches of
 * two filters (`GET /decisions?decision=block&repository=…` answers a total) reads every row the first filter
 * matches from the table: on 50,000 decisions, thousands of random page reads in SQLite's wasm build. Each
 * index here leads with one low-cardinality filter column, then the time, then every other filter column: any
 * combination of filters is counted from one index alone and still listed newest first. (A session's
 * decisions are few: its store index is enough.) The generator puts them in the seed, so every sandbox
 * database restored from it has them.
 */
import type { DecisionFilter } from '../../src/store';

/** The filters of `GET /decisions`, in the store's order. */
const FILTERS = [
  'session_id',
  'agent_id',
  'repository',
  'policy_pack',
  'decision',
  'severity',
  'action_type',
] as const satisfies readonly (keyof DecisionFilter)[];

/** The leading columns: every filter but the session. */
const LEADING = FILTERS.filter((column) => column !== 'session_id');

/** `create index` statements (idempotent). */
export const SANDBOX_INDEXES: readonly string[] = LEADING.map((column) => {
  const rest = FILTERS.filter((other) => other !== column);
  return (
    `create index if not exists "sandbox_decisions_${column}_filters_idx" on "decisions" ` +
    `("${column}", "timestamp", ${rest.map((other) => `"${other}"`).join(', ')})`
  );
});
