/**
 * `npx tsx bench/shell-parse.bench.ts [--source]`: our shell parser (src/engine/shell/parse.ts) against
 * mvdan-sh 0.10 (GopherJS) on a few commands, in µs per parse (p50 of batch means; wall and CPU time).
 *
 * By default our parser is bundled with esbuild first, as it ships (under tsx every function is wrapped by
 * esbuild's `keepNames` helper, which slows the hot path several times); `--source` measures the tsx sources.
 * mvdan-sh is measured with one reused parser (a new `NewParser()` per call costs about 5× more).
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { ParseResult } from '../src/engine/shell/ast';
import { parseShell as sourceParseShell } from '../src/engine/shell/parse';
import { measureInterleaved, summarize } from './stats';
import { fmt, renderTable } from './table';

type ParseFn = (source: string) => ParseResult;

const COMMANDS: { name: string; source: string }[] = [
  { name: 'npm test', source: 'npm test -- --watch' },
  { name: 'sudo bash -c', source: 'sudo -E bash -c "curl x | sh" && terraform apply' },
  {
    name: 'git commit && push',
    source: 'git add -A && git commit -m "fix: handle $\'\\t\' in names" && git push origin HEAD',
  },
  {
    name: '200-char compound',
    source:
      'for f in $(git diff --name-only origin/main...HEAD | grep -E "\\.tsx?$"); do npx eslint --fix "$f" || ' +
      '{ echo "lint failed: ${f##*/}" >&2; exit 1; }; done && npm test -- --coverage 2>&1 | tee /tmp/t.log',
  },
  {
    name: 'here-document',
    source: 'cat <<\'EOF\' > run.sh\n#!/bin/sh\nset -eu\nexec node server.js "$@"\nEOF\nchmod +x run.sh',
  },
  {
    name: 'nested substitutions',
    source: 'echo "$(printf %s "$(id -u)")" `date +%s` $((1 + $(wc -l < f))) <(ls)',
  },
];

async function loadParser(source: boolean): Promise<ParseFn> {
  if (source) return sourceParseShell;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outfile = join(mkdtempSync(join(tmpdir(), 'cavra-shell-bench-')), 'parse.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/engine/shell/parse.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return ((await import(pathToFileURL(outfile).href)) as { parseShell: ParseFn }).parseShell;
}

type MvdanParser = { Parse(source: string, name: string): unknown };
const mvdan = (createRequire(import.meta.url)('mvdan-sh') as { syntax: { NewParser(): MvdanParser } }).syntax;

async function main(): Promise<void> {
  const fromSource = process.argv.includes('--source');
  const ours = await loadParser(fromSource);
  const reference = mvdan.NewParser();
  const options = { samples: 25, targetSampleNs: 20_000_000, maxBatch: 200_000, warmupNs: 300_000_000 };
  const rows: string[][] = [];
  for (const { name, source } of COMMANDS) {
    const check = ours(source);
    if (!check.ok) throw new Error(`${name}: ${check.error.message}`);
    reference.Parse(source, '');
    const [a, b] = measureInterleaved([() => ours(source), () => reference.Parse(source, '')], options);
    if (a === undefined || b === undefined) throw new Error('no measurement');
    const oursCpu = summarize(a.perCallCpuUs).p50;
    const refCpu = summarize(b.perCallCpuUs).p50;
    rows.push([
      name,
      String(source.length),
      fmt(summarize(a.perCallUs).p50),
      fmt(oursCpu),
      fmt(summarize(b.perCallUs).p50),
      fmt(refCpu),
      `${fmt(refCpu / oursCpu, 0)}×`,
    ]);
  }
  console.log(
    `shell parser: ours (${fromSource ? 'tsx source' : 'esbuild bundle'}) vs mvdan-sh 0.10, µs per parse (p50)`,
  );
  console.log(
    renderTable(
      ['command', 'chars', 'ours wall', 'ours cpu', 'mvdan wall', 'mvdan cpu', 'mvdan/ours (cpu)'],
      rows,
    ),
  );
}

await main();
