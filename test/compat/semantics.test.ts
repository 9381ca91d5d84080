import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { decide, withExtraPack, type DecisionRequest } from '../../src/engine';
import { loadPolicySet } from '../../src/cli/load-policies';
import { semanticsTable, type SemanticsRow } from '../../scripts/semantics-table';
import { testContext } from '../helpers';
import { upstreamDecide } from './upstream-reference';

const rows = JSON.parse(
  readFileSync(new URL('../../fixtures/compat/semantics.json', import.meta.url), 'utf8'),
) as SemanticsRow[];
const bundled = loadPolicySet({}, '/nonexistent');

function policiesFor(row: SemanticsRow) {
  if (row.pack === undefined) return bundled;
  const extra = withExtraPack(bundled, { id: row.id, file: `${row.id}.yaml`, source: row.pack }, false);
  if (!extra.ok) throw new Error(extra.error.message);
  return extra.value;
}

test.each(rows.map((row) => [row.id, row] as const))('%s: ours as documented', (_id, row) => {
  const result = decide(
    row.request as unknown as DecisionRequest,
    policiesFor(row),
    testContext({ workspaceRoot: '/elsewhere' }),
  );
  if (!result.ok) throw new Error(result.error.message);
  expect({ decision: result.value.decision, rule_id: result.value.rule_id }).toEqual(row.ours);
});

test.each(rows.map((row) => [row.id, row] as const))(
  '%s: upstream column matches upstream rules',
  (_id, row) => {
    const policies = policiesFor(row);
    const pack = policies.packs.get(row.request['policy_pack'] ?? policies.defaultPack);
    if (pack === undefined) throw new Error('pack');
    expect(upstreamDecide(row.request, pack)).toEqual(row.upstream);
  },
);

test('docs/policy-semantics.md carries the current table (run `npm run docs:semantics` after editing the rows)', () => {
  const doc = readFileSync(new URL('../../docs/policy-semantics.md', import.meta.url), 'utf8');
  expect(doc).toContain(semanticsTable(rows));
});
