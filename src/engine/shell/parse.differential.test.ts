/**
 * Differential test: our parser against mvdan-sh (the reference Go shell parser, GopherJS build) on a
 * hand-written corpus, a generated corpus and mutations of both. For every input the two must agree on
 * accept/reject and, when both accept, on the comparison form of corpus/normalize.ts (every simple command
 * with its words, assignments and redirections, and the structure around it) — unless one of the documented
 * deviations of corpus/differential.ts explains the difference (also listed in docs/decisions/0003-shell-parser.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { DEVIATIONS, createJudge } from './corpus/differential';
import type { Verdict } from './corpus/differential';
import { Rng, generateCommands, mutate } from './corpus/generate';
import { parseCorpus } from './corpus/load';
import type { MvSyntax } from './corpus/mvdan';

const sh = (createRequire(import.meta.url)('mvdan-sh') as { syntax: MvSyntax }).syntax;
const judge = createJudge(sh);

const handWritten = parseCorpus(readFileSync(new URL('./corpus/commands.txt', import.meta.url), 'utf8'));
const generated = generateCommands(10_000, 20_240_601);

type Tally = {
  inputs: number;
  accepted: number;
  rejected: number;
  deviations: Record<string, number>;
  mismatches: string[];
};

function run(inputs: readonly string[]): Tally {
  const tally: Tally = { inputs: inputs.length, accepted: 0, rejected: 0, deviations: {}, mismatches: [] };
  for (const source of inputs) {
    const verdict: Verdict = judge(source);
    if (verdict.kind === 'agree') {
      if (verdict.accepted) tally.accepted++;
      else tally.rejected++;
    } else if (verdict.kind === 'deviation') {
      tally.deviations[verdict.id] = (tally.deviations[verdict.id] ?? 0) + 1;
    } else tally.mismatches.push(`${JSON.stringify(source)}: ${verdict.detail}`);
  }
  const deviations = Object.entries(tally.deviations)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  console.info(
    `${tally.inputs} inputs: ${tally.accepted} accepted by both, ${tally.rejected} rejected by both, ` +
      `deviations: ${deviations || 'none'}; mismatches: ${tally.mismatches.length}`,
  );
  return tally;
}

function deviationCount(t: Tally): number {
  return Object.values(t.deviations).reduce((a, b) => a + b, 0);
}

test('hand-written corpus: at least 300 realistic commands, all accepted and identical to mvdan-sh', () => {
  expect(handWritten.length).toBeGreaterThanOrEqual(300);
  const tally = run(handWritten);
  expect(tally.mismatches).toEqual([]);
  expect(tally.rejected).toBe(0);
  expect(deviationCount(tally)).toBe(0);
}, 60_000);

test('generated corpus: 10,000 grammar-generated commands agree with mvdan-sh', () => {
  expect(new Set(generated).size).toBeGreaterThan(9_500);
  const tally = run(generated);
  expect(tally.mismatches.slice(0, 10)).toEqual([]);
  // The comparison must stay meaningful: most inputs are compared strictly, and many are accepted.
  expect(deviationCount(tally)).toBeLessThan(tally.inputs * 0.12);
  expect(tally.accepted).toBeGreaterThan(tally.inputs * 0.4);
}, 60_000);

test('mutations (truncations, dropped quotes and closers) agree on accept/reject and on the result', () => {
  const rng = new Rng(7);
  const inputs: string[] = [];
  for (const source of handWritten) inputs.push(...mutate(source, rng, 6));
  for (const source of generated.slice(0, 1_000)) inputs.push(...mutate(source, rng, 2));
  const tally = run(inputs);
  expect(tally.mismatches.slice(0, 10)).toEqual([]);
  expect(tally.rejected).toBeGreaterThan(inputs.length * 0.3);
  expect(deviationCount(tally)).toBeLessThan(tally.inputs * 0.05);
}, 60_000);

test('every documented deviation is explained and observed on a minimal example', () => {
  const examples: Record<string, string> = {
    'arithmetic-syntax': 'echo $((1 +))',
    'declaration-arguments': 'export /=',
    'let-arguments': 'let a|b',
    'single-quote-in-double-quoted-operand': `echo "\${x:-'$(id)'}"`,
    'bang-paren-is-negated-subshell': '!(rm -rf /tmp/x)',
    'mvdan-bugs': 'echo $a#; rm x',
    'parameter-expansion-syntax': 'echo ${x }',
    coproc: 'coproc NAME { cat; }',
  };
  expect(Object.keys(examples).sort()).toEqual(DEVIATIONS.map((d) => d.id).sort());
  for (const d of DEVIATIONS) {
    expect(d.why.length).toBeGreaterThan(40);
    expect(judge(examples[d.id] ?? '')).toEqual({ kind: 'deviation', id: d.id });
  }
});
