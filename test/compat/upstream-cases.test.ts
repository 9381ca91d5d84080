import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  decide,
  routeApproval,
  summarizePolicyMode,
  withExtraPack,
  type Decision,
  type DecisionRequest,
  type McpRegistry,
  type RoutableDecision,
} from '../../src/engine';
import { loadPolicySet } from '../../src/cli/load-policies';
import { testContext } from '../helpers';

type UpstreamCase = {
  id: string;
  group: string;
  name: string;
  request: Record<string, unknown>;
  expected: Record<string, unknown>;
  registry_fixture?: string;
  policy_fixture?: string;
  cli_args?: string[];
  policy_pack?: string;
};

type Corpus = {
  cases: UpstreamCase[];
  fixtures: Record<string, unknown>;
  comparison_contract: { always_compare: string[]; compare_if_present: string[] };
};

/** Deliberate deviations: case id → the fields we produce instead, and why (docs/policy-semantics.md). */
type Deviation = { expected: Record<string, unknown>; why: string };

const corpus = JSON.parse(
  readFileSync(new URL('../../fixtures/compat/upstream-cases.json', import.meta.url), 'utf8'),
) as Corpus;
const deviations = JSON.parse(
  readFileSync(new URL('../../fixtures/compat/deviations.json', import.meta.url), 'utf8'),
) as Record<string, Deviation>;
const bundled = loadPolicySet({}, '/nonexistent');
const registry = corpus.fixtures['mcp_registry.json'] as McpRegistry;

function policiesFor(testCase: UpstreamCase) {
  const fixture =
    testCase.policy_fixture ??
    (testCase.cli_args?.includes('--policy') === true ? 'compiled_policy.json' : undefined);
  if (fixture === undefined) return bundled;
  const extra = withExtraPack(
    bundled,
    { id: fixture, file: fixture, source: JSON.stringify(corpus.fixtures[fixture]) },
    true,
  );
  if (!extra.ok) throw new Error(extra.error.message);
  return extra.value;
}

function usesRegistry(testCase: UpstreamCase): boolean {
  return testCase.registry_fixture !== undefined || testCase.cli_args?.includes('--registry') === true;
}

function run(testCase: UpstreamCase): Decision {
  const request = {
    ...(testCase.policy_pack === undefined ? {} : { policy_pack: testCase.policy_pack }),
    ...testCase.request,
  } as DecisionRequest;
  const result = decide(request, policiesFor(testCase), {
    ...testContext(),
    ...(usesRegistry(testCase) && { registry }),
  });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function pick(source: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], source);
}

const decisionCases = corpus.cases.filter(
  (c) => c.group !== 'approval_routing_defaults' && c.group !== 'policy_mode_summaries',
);

test('the corpus is complete (170 cases in 13 groups; the derived edge cases are held back upstream-side)', () => {
  expect(corpus.cases).toHaveLength(170);
  expect(new Set(corpus.cases.map((c) => c.group)).size).toBe(13);
});

test.each(decisionCases.map((c) => [c.id, c] as const))('%s', (_id, testCase) => {
  const decision = run(testCase);
  const deviation = deviations[testCase.id];
  const expected = { ...testCase.expected, ...(deviation?.expected ?? {}) };
  const derived = expected['derived_full'] as Record<string, unknown> | undefined;
  const fields = derived ?? expected;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'evidence_ref_prefix' || key === 'expected_decision') continue;
    expect({ field: key, value: pick(decision, key) }).toEqual({ field: key, value });
  }
  if (typeof expected['expected_decision'] === 'string')
    expect(decision.decision).toBe(expected['expected_decision']);
  const prefix = expected['evidence_ref_prefix'];
  if (typeof prefix === 'string') {
    expect(decision.decision_id).toMatch(/^dec_[0-9a-f]{12}$/);
    expect(decision.timestamp).not.toBe('');
    expect(decision.correlation_id).toMatch(/^corr_[0-9a-f]{12}$/);
    expect(decision.evidence_refs[0]?.startsWith(prefix)).toBe(true);
    expect(decision.evidence_refs[0]).toBe(`evidence://${decision.session_id}/${decision.decision_id}`);
  }
});

test.each(corpus.cases.filter((c) => c.group === 'policy_mode_summaries').map((c) => [c.id, c] as const))(
  '%s',
  (_id, testCase) => {
    const decision = run(testCase);
    const summary = summarizePolicyMode(decision, {
      actor: testCase.request['break_glass_actor'] as string | undefined,
      reason: testCase.request['break_glass_reason'] as string | undefined,
    });
    for (const [key, value] of Object.entries(testCase.expected)) {
      expect({ field: key, value: pick(summary, key) }).toEqual({ field: key, value });
    }
  },
);

test.each(corpus.cases.filter((c) => c.group === 'approval_routing_defaults').map((c) => [c.id, c] as const))(
  '%s',
  (_id, testCase) => {
    const payload = testCase.request['decision_payload'] as RoutableDecision;
    expect(routeApproval(payload)?.approver_group).toBe(testCase.expected['approver_group']);
  },
);

test('every documented deviation names a real case and says why', () => {
  const ids = new Set(corpus.cases.map((c) => c.id));
  for (const [id, deviation] of Object.entries(deviations)) {
    expect(ids.has(id), id).toBe(true);
    expect(deviation.why.length).toBeGreaterThan(20);
  }
});
