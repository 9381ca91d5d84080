/** Packs, one compiled pack, and the dry-run evaluation behind the playground (POST /evaluate stores nothing). */
import { queryOptions, useMutation } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Decision, EvaluateRequest, PackTest, PolicyPackDetail } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';

export const policyKeys = {
  pack: (id: string) => ['policy-packs', 'detail', id] as const,
  evaluate: (request: EvaluateRequest) => ['evaluate', request] as const,
};

export const packQuery = (api: ApiClient, id: string) =>
  queryOptions({
    queryKey: policyKeys.pack(id),
    queryFn: ({ signal }) => api.get<PolicyPackDetail>(`/policy-packs/${encodeURIComponent(id)}`, {}, signal),
    staleTime: 5 * 60_000,
  });

/** A dry run is idempotent, so it is a query keyed by its request: the URL drives it and can be shared. */
export const evaluateQuery = (api: ApiClient, request: EvaluateRequest) =>
  queryOptions({
    queryKey: policyKeys.evaluate(request),
    queryFn: ({ signal }) => api.post<Decision>('/evaluate', request, signal),
    staleTime: Infinity,
    retry: false,
  });

export type TestResult = { name: string; isPassed: boolean; expected: string; actual: string };

/** Runs a pack's inline tests through /evaluate, four at a time, and compares each with its expectation. */
export function useRunPackTests(packId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async (tests: readonly PackTest[]) => {
      const results: TestResult[] = new Array<TestResult>(tests.length);
      let next = 0;
      const worker = async () => {
        while (next < tests.length) {
          const index = next++;
          const test = tests[index];
          if (!test) continue;
          const decision = await api.post<Decision>('/evaluate', { ...test.request, policy_pack: packId });
          const mismatches = (['decision', 'rule_id', 'severity'] as const).filter(
            (field) => test.expect[field] !== undefined && test.expect[field] !== decision[field],
          );
          results[index] = {
            name: test.name ?? `test ${index + 1}`,
            isPassed: mismatches.length === 0,
            expected: (['decision', 'rule_id', 'severity'] as const)
              .map((f) => test.expect[f])
              .filter(Boolean)
              .join(' · '),
            actual: `${decision.decision} · ${decision.rule_id} · ${decision.severity}`,
          };
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return results;
    },
  });
}
