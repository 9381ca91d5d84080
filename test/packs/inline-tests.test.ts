import { expect, test } from 'vitest';
import { normalizePath, runPackTests, type PackTestResult } from '../../src/engine';
import { CommandRuleList, commandForms } from '../../src/engine/command-rules';
import { PathRuleList, type SourcedPattern } from '../../src/engine/path-rules';
import { loadPolicySet } from '../../src/cli/load-policies';
import { testContext } from '../helpers';

const policies = loadPolicySet({}, '/nonexistent');
const packIds = [...policies.packs.keys()].sort();

test('all 20 bundled packs load without errors or warnings', () => {
  expect(policies.diagnostics).toEqual([]);
  expect(packIds).toHaveLength(20);
});

test.each(packIds)('%s: inline tests pass', (packId) => {
  const results = runPackTests(policies, packId, testContext({ workspaceRoot: '/repo' }));
  expect(results.length).toBeGreaterThan(0);
  expect(
    results
      .filter((result) => !result.passed)
      .map((result) => `${result.name}: ${result.failures.join('; ')}`),
  ).toEqual([]);
});

test.each(packIds)('%s: inline tests exercise every rule the pack declares itself', (packId) => {
  const pack = policies.packs.get(packId);
  if (pack === undefined) throw new Error(packId);
  const results = runPackTests(policies, packId, testContext({ workspaceRoot: '/repo' }));
  const exercised = new Set(
    results.flatMap(
      (result) =>
        result.decision?.matched_rules.map((rule) => `${rule.pack ?? ''}|${rule.pattern ?? ''}`) ?? [],
    ),
  );
  const own = [
    ...pack.filesystem.blockRead.patterns,
    ...pack.filesystem.blockWrite.patterns,
    ...pack.filesystem.approvalWrite.patterns,
    ...pack.commands.block.patterns,
    ...pack.commands.allow.patterns,
    ...pack.commands.approval.patterns,
    ...pack.mcp.blocked,
  ].filter((source) => source.pack === packId);
  // A pattern counts as exercised when a test reports it, or when a tested path or command meets it even
  // though an earlier pattern of the same list was reported (e.g. `iam/**` behind `**/iam/**`).
  const met = (source: SourcedPattern): boolean => results.some((result) => meets(source, result));
  const missing = own
    .filter((source) => !exercised.has(`${source.pack}|${source.pattern}`) && !met(source))
    .map((source) => source.pattern);
  expect(missing).toEqual([]);
});

function meets(source: SourcedPattern, result: PackTestResult): boolean {
  const decision = result.decision;
  if (decision === undefined) return false;
  if (decision.action_type === 'read_file' || decision.action_type === 'write_file') {
    return new PathRuleList([source]).firstMatch([normalizePath(decision.target, '/repo')]) !== undefined;
  }
  const commands = new CommandRuleList([source]);
  return (decision.segments ?? []).some(
    (segment) => commands.firstMatch(commandForms(segment.command.split(' '))) !== undefined,
  );
}
