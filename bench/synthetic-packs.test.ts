import { describe, expect, it } from 'vitest';
import { buildPolicySet, decide, type CompiledPack, type DecisionContext } from '../src/engine';
import { requestsFor } from './requests';
import { CATEGORIES, categoryCounts, syntheticPack } from './synthetic-packs';

const context: DecisionContext = {
  now: () => new Date('2026-01-01T00:00:00Z'),
  randomHex12: () => '0123456789ab',
  workspaceRoot: '/work/repo',
};

function compiledRules(pack: CompiledPack): number {
  return (
    pack.filesystem.blockRead.patterns.length +
    pack.filesystem.blockWrite.patterns.length +
    pack.filesystem.approvalWrite.patterns.length +
    pack.commands.block.patterns.length +
    pack.commands.allow.patterns.length +
    pack.commands.approval.patterns.length +
    pack.mcp.allowed.length +
    pack.mcp.blocked.length
  );
}

describe('synthetic benchmark packs', () => {
  it('spreads the weights over every category and sums to the size', () => {
    expect(CATEGORIES.reduce((sum, category) => sum + category.weight, 0)).toBe(100);
    for (const size of [10, 100, 1_000, 10_000]) {
      const counts = [...categoryCounts(size).values()];
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(size);
    }
  });

  it('is deterministic for a seed', () => {
    expect(syntheticPack(100).source).toBe(syntheticPack(100).source);
    expect(syntheticPack(100, 1).source).not.toBe(syntheticPack(100, 2).source);
  });

  it.each([10, 100, 1_000, 10_000])('compiles %i rules without diagnostics', (size) => {
    const synthetic = syntheticPack(size);
    const set = buildPolicySet([
      { id: synthetic.id, file: `${synthetic.id}.yaml`, source: synthetic.source },
    ]);
    expect(set.diagnostics).toEqual([]);
    const pack = set.packs.get(synthetic.id);
    expect(pack).toBeDefined();
    if (pack !== undefined) expect(compiledRules(pack)).toBe(size);
    // 5–10% of the rules are generic, wildcard-first patterns.
    if (size >= 100) {
      expect(synthetic.genericRules / size).toBeGreaterThanOrEqual(0.05);
      expect(synthetic.genericRules / size).toBeLessThanOrEqual(0.1);
    }
  });

  it.each([100, 1_000, 10_000])(
    'aims every targeted request at a rule of the %i-rule pack, and hits it',
    (size) => {
      const synthetic = syntheticPack(size);
      const set = buildPolicySet(
        [{ id: synthetic.id, file: `${synthetic.id}.yaml`, source: synthetic.source }],
        synthetic.id,
      );
      const aimed = requestsFor(synthetic).filter((request) => request.aims !== undefined);
      expect(aimed.length).toBeGreaterThanOrEqual(10);
      for (const request of aimed) {
        expect(request.aims?.present, request.label).toBe(true);
        const result = decide(request.request, set, context);
        expect(result.ok, request.label).toBe(true);
        if (!result.ok) continue;
        const patterns = result.value.matched_rules.map((rule) => rule.pattern);
        expect(patterns, request.label).toContain(request.aims?.pattern);
      }
    },
  );

  it('still hits the rules a 10-rule pack has', () => {
    const synthetic = syntheticPack(10);
    const set = buildPolicySet(
      [{ id: synthetic.id, file: `${synthetic.id}.yaml`, source: synthetic.source }],
      synthetic.id,
    );
    const present = requestsFor(synthetic).filter((request) => request.aims?.present === true);
    expect(present.length).toBeGreaterThan(0);
    for (const request of present) {
      const result = decide(request.request, set, context);
      const patterns = result.ok ? result.value.matched_rules.map((rule) => rule.pattern) : [];
      expect(patterns, request.label).toContain(request.aims?.pattern);
    }
  });
});
