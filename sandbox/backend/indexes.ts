/**
 * Indexes the sandbox's database has beyond the store's (decision 0025). The console's decision filters are
 * exact matches on a few columns; the store indexes each as `(column, timestamp)`, so counting the matches of
 * two filters (`GET /decisions?decision=block&repository=…` answers a total) reads every row the first filter
 * matches from the table: on 50,000 decisions, thousands of random page reads in SQLite's wasm build. Each
 * index here leads with one low-cardinality filter column, then the time, then every other filter column: a
 * combination of filters that includes the leading column is counted from the index alone and still listed
 * newest first. The generator puts them in the seed, so every sandbox database restored from it has them.
 */
import { DECISION_FILTER_COLUMNS } from '../../src/store';

/** The filters of `GET /decisions`, in the store's order. */
const FILTERS = DECISION_FILTER_COLUMNS;

/**
 * The leading columns: an outcome, a repository, an agent. Every combination of filters that names one of them
 * is counted from that one's index; a filter on one column alone is counted from the store's own index; only
 * pairs among pack, severity and action type still read rows. Each index costs the page's seed restore
 * tens of milliseconds, so not every column leads one.
 */
const LEADING = ['decision', 'repository', 'agent_id'] as const satisfies readonly (typeof FILTERS)[number][];

/** `create index` statements (idempotent). */
export const SANDBOX_INDEXES: readonly string[] = LEADING.map((column) => {
  const rest = FILTERS.filter((other) => other !== column);
  return (
    `create index if not exists "sandbox_decisions_${column}_filters_idx" on "decisions" ` +
    `("${column}", "timestamp", ${rest.map((other) => `"${other}"`).join(', ')})`
  );
});
