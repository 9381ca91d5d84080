import { decide, type DecideOptions } from '../decide';
import type { Decision } from '../types';
import type { PackTest } from './compile';
import type { PolicySet } from './policy-set';

/** The outcome of one inline pack test. */
export type PackTestResult = {
  pack: string;
  name: string;
  passed: boolean;
  /** What differed (`rule_id: expected x, got y`), or the engine error. */
  failures: string[];
  decision: Decision | undefined;
};

/** Runs a pack's inline `tests:` (or the given tests); `policy_pack` defaults to the pack itself. */
export function runPackTests(
  policies: PolicySet,
  packId: string,
  context: DecideOptions,
  tests?: readonly PackTest[],
): PackTestResult[] {
  const pack = policies.packs.get(packId);
  return (tests ?? pack?.tests ?? []).map((test) => {
    const result = decide({ policy_pack: packId, ...test.request }, policies, context);
    if (!result.ok)
      return {
        pack: packId,
        name: test.name,
        passed: false,
        failures: [`${result.error.code}: ${result.error.message}`],
        decision: undefined,
      };
    const failures: string[] = [];
    for (const key of ['decision', 'rule_id', 'severity', 'approver_group'] as const) {
      const expected = test.expect[key];
      if (expected === undefined) continue;
      const actual = result.value[key];
      if (actual !== expected) failures.push(`${key}: expected ${String(expected)}, got ${String(actual)}`);
    }
    return { pack: packId, name: test.name, passed: failures.length === 0, failures, decision: result.value };
  });
}
