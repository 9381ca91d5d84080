/**
 * `npm run bench:engine`: decision latency of the CAVRA engine on the baseline pack and on synthetic packs
 * of 10 … 10,000 rules, pack compile time, and @cedar-policy/cedar-wasm on an equivalent policy set with the
 * same requests. The last line of the output is one JSON object (see docs/decisions/0005-engine-benchmark.md).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import {
  DEFAULT_PACK,
  type CompiledPack,
  type DecideOptions,
  type Decision,
  type PackSource,
  type PolicySet,
} from '../src/engine';
import { bundledPolicyDir, readPackSources } from '../src/cli/load-policies';
import { cedarCalls, cedarPolicies, getCedarVersion, preparse, runCedar, runCedarStateless } from './cedar';
import { loadEngine, type EngineModule } from './engine-loader';
import { requestsFor, type BenchRequest, type RequestKind } from './requests';
import {
  makeGc,
  measure,
  measureInterleaved,
  singleCalls,
  summarize,
  timerOverheadUs,
  type Summary,
} from './stats';
import { syntheticPack, type SyntheticPack } from './synthetic-packs';
import { fmt, passFail, renderTable } from './table';

/**
 * `global.gc` needs `--expose-gc`, which `tsx bench/engine.bench.ts` does not pass; re-run this script in a
 * child process with it (enabling the flag at run time with v8.setFlagsFromString crashed V8 once in five runs).
 */
if (typeof (globalThis as { gc?: unknown }).gc !== 'function' && process.env['CAVRA_BENCH_CHILD'] !== '1') {
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, CAVRA_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

const engineMode = process.argv.includes('--engine=source') ? 'source' : 'bundle';
const engine: EngineModule = await loadEngine(engineMode);
const { analyzeCommand, buildPolicySet, commandGuard, decide, fileGuard } = engine;

const SIZES = [10, 100, 1_000, 10_000] as const;
const WORKSPACE = '/work/repo';

/** Our engine: 100 samples per request, each a batch of calls lasting about 0.5 ms (≤ 1,000 calls). */
const OURS = { samples: 100, targetSampleNs: 500_000, maxBatch: 1_000, warmupNs: 20_000_000 };
/** Cedar is 10³–10⁴ times slower, so fewer samples (each still ≥ 2 ms or one call) keep the run short. */
const cedarOptions = (size: number | null): Parameters<typeof measure>[1] => ({
  samples: size === 10_000 ? 3 : size === 1_000 ? 15 : 30,
  targetSampleNs: 2_000_000,
  maxBatch: 200,
  warmupNs: size === 10_000 ? 0 : 5_000_000,
  minWarmupCalls: 1,
});

const GOALS = { p50Us: 5, p99Us: 50, cedarRatio: 10, slowdown: 2 };

type PackRun = {
  label: string;
  id: string;
  size: number | null;
  rules: number;
  set: PolicySet;
  pack: CompiledPack;
  requests: BenchRequest[];
  compileMs: number;
  synthetic: SyntheticPack | undefined;
};

type RequestResult = {
  request: BenchRequest;
  decision: Decision;
  /** For a request aimed at a synthetic rule: whether that rule is among the decision's matched rules. */
  hit: boolean | undefined;
  /** Per-call means of our samples (µs), wall time and process CPU time. */
  ours: number[];
  oursCpu: number[];
  oursBatch: number;
  /** Per-request means of Cedar's samples (µs), all of the request's Cedar calls together. */
  cedar: number[] | undefined;
  cedarCalls: number;
  cedarAllowed: boolean | undefined;
};

type PackResult = {
  run: PackRun;
  results: RequestResult[];
  ours: Summary;
  oursCpu: Summary;
  oursSingle: Summary;
  cedar: Summary | undefined;
  cedarPreparseMs: number | undefined;
  cedarPolicies: number;
  /** Requests where Cedar's allow/deny equals ours (allow vs anything else). */
  agreement: number;
};

const gc = makeGc();
let counter = 0;
/** Caller-supplied clock and ids: the real clock, and a counter for ids (a CSPRNG is the caller's cost). */
const context: DecideOptions = {
  now: () => new Date(),
  randomHex12: () => {
    counter = (counter + 1) % 0x1000000000000;
    return counter.toString(16).padStart(12, '0');
  },
  workspaceRoot: WORKSPACE,
};

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median wall time of building a policy set from the source (YAML parse, schema check, merge, index). */
function compileTime(source: PackSource, repetitions: number): { ms: number; set: PolicySet } {
  const times: number[] = [];
  let set: PolicySet | undefined;
  for (let index = 0; index < repetitions; index += 1) {
    gc();
    const start = process.hrtime.bigint();
    set = buildPolicySet([source], source.id);
    times.push(elapsedMs(start));
  }
  if (set === undefined) throw new Error('no repetitions');
  return { ms: summarize(times).p50, set };
}

export function ruleCount(pack: CompiledPack): number {
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

function preparePack(label: string, source: PackSource, synthetic: SyntheticPack | undefined): PackRun {
  const size = synthetic?.size ?? null;
  const { ms, set } = compileTime(source, size === 10_000 ? 3 : 7);
  const pack = set.packs.get(source.id);
  if (pack === undefined) {
    throw new Error(`pack ${source.id} did not compile: ${set.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const rules = ruleCount(pack);
  if (synthetic !== undefined && rules !== synthetic.size)
    throw new Error(`${source.id}: compiled ${rules} rules, expected ${synthetic.size}`);
  return {
    label,
    id: source.id,
    size,
    rules,
    set,
    pack,
    requests: requestsFor(synthetic),
    compileMs: ms,
    synthetic,
  };
}

function decideOrThrow(set: PolicySet, request: BenchRequest): Decision {
  const result = decide(request.request, set, context);
  if (!result.ok) throw new Error(`${request.label}: ${result.error.message}`);
  return result.value;
}

function runPack(run: PackRun): PackResult {
  gc();
  const fns = run.requests.map((request) => () => decide(request.request, run.set, context));
  const timed = measureInterleaved(fns, OURS);
  const results: RequestResult[] = run.requests.map((request, index) => {
    const decision = decideOrThrow(run.set, request);
    const hit =
      request.aims === undefined
        ? undefined
        : decision.matched_rules.some((rule) => rule.pattern === request.aims?.pattern);
    return {
      request,
      decision,
      hit,
      ours: timed[index]?.perCallUs ?? [],
      oursCpu: timed[index]?.perCallCpuUs ?? [],
      oursBatch: timed[index]?.batch ?? 0,
      cedar: undefined,
      cedarCalls: 0,
      cedarAllowed: undefined,
    };
  });
  gc();
  const oursSingle = summarize(singleCalls(fns, 400));

  gc();
  const policies = cedarPolicies(run.pack);
  const start = process.hrtime.bigint();
  preparse(run.id, policies);
  const cedarPreparseMs = elapsedMs(start);
  const calls = results.map((result) => cedarCalls(result.request.request, run.id, WORKSPACE));
  const cedarTimed = measureInterleaved(
    calls.map((list) => () => runCedar(list)),
    cedarOptions(run.size),
  );
  results.forEach((result, index) => {
    const list = calls[index] ?? [];
    result.cedarCalls = list.length;
    result.cedarAllowed = runCedar(list);
    result.cedar = cedarTimed[index]?.perCallUs ?? [];
  });
  return {
    run,
    results,
    ours: summarize(results.flatMap((result) => result.ours)),
    oursCpu: summarize(results.flatMap((result) => result.oursCpu)),
    oursSingle,
    cedar: summarize(results.flatMap((result) => result.cedar ?? [])),
    cedarPreparseMs,
    cedarPolicies: Object.keys(policies).length,
    agreement: results.filter((result) => (result.decision.decision === 'allow') === result.cedarAllowed)
      .length,
  };
}

/** Warms the engine (schema compiler, regex caches, JIT) and cedar-wasm (wasm tier-up) before timing. */
function warmUp(run: PackRun): void {
  const until = process.hrtime.bigint() + 300_000_000n;
  const policies = cedarPolicies(run.pack);
  preparse('warm-up', policies);
  const calls = run.requests.map((request) => cedarCalls(request.request, 'warm-up', WORKSPACE));
  while (process.hrtime.bigint() < until) {
    for (const request of run.requests) decide(request.request, run.set, context);
    for (const call of calls) runCedar(call);
  }
}

/**
 * Where the time of one decision goes at a given pack: shell analysis alone, the guard (analysis + rule
 * matching), and the whole decision (guard + envelope), sampled round robin so load affects all alike.
 */
function breakdown(run: PackRun): string[][] {
  const scope = { workspaceRoot: WORKSPACE, homeDir: undefined };
  const options = { samples: 40, targetSampleNs: 300_000, maxBatch: 1_000, warmupNs: 10_000_000 };
  return run.requests.map((request) => {
    const target = request.request.target ?? '';
    const fns: (() => unknown)[] = [() => decide(request.request, run.set, context)];
    const action = request.request.action_type;
    if (action === 'execute_command') {
      fns.push(() => commandGuard(run.pack, target, scope));
      fns.push(() => analyzeCommand(target));
    } else if (action === 'read_file' || action === 'write_file') {
      const fileScope = { ...scope, workspaceRoot: request.request.cwd ?? WORKSPACE };
      fns.push(() => fileGuard(run.pack, action === 'read_file' ? 'read' : 'write', target, fileScope));
    }
    const [total = Number.NaN, guard = Number.NaN, analysis = Number.NaN] = measureInterleaved(
      fns,
      options,
    ).map((measurement) => summarize(measurement.perCallUs).p50);
    return [
      request.label,
      fmt(total),
      fmt(analysis),
      fmt(guard - (Number.isNaN(analysis) ? 0 : analysis)),
      fmt(total - guard),
    ];
  });
}

function kindOrder(kind: RequestKind): number {
  return ['command', 'compound command', 'file', 'git', 'mcp'].indexOf(kind);
}

/**
 * Cedar's stateless `isAuthorized` (the whole policy set re-parsed on every call) on one request of the
 * 100-rule pack, to show why the stateful API is the fair comparison.
 */
function statelessReference(run: PackRun): { stateless: number; stateful: number } {
  const policies = cedarPolicies(run.pack);
  const request = run.requests.find((candidate) => candidate.kind === 'file') ?? run.requests[0];
  if (request === undefined) return { stateless: Number.NaN, stateful: Number.NaN };
  const calls = cedarCalls(request.request, run.id, WORKSPACE);
  const options = {
    samples: 5,
    targetSampleNs: 2_000_000,
    maxBatch: 50,
    warmupNs: 5_000_000,
    minWarmupCalls: 1,
  };
  return {
    stateless: summarize(measure(() => runCedarStateless(calls, policies), options).perCallUs).p50,
    stateful: summarize(measure(() => runCedar(calls), options).perCallUs).p50,
  };
}

function main(): void {
  const wallStart = process.hrtime.bigint();
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const baselineSources = readPackSources([bundledPolicyDir()]).filter(
    (source) => source.id === DEFAULT_PACK,
  );
  const baselineSource = baselineSources[0];
  if (baselineSource === undefined) throw new Error(`bundled pack ${DEFAULT_PACK} not found`);
  // The first build pays for compiling the JSON Schema validator once; keep it out of the compile times.
  buildPolicySet([baselineSource]);
  const runs: PackRun[] = [preparePack(`baseline (${DEFAULT_PACK})`, baselineSource, undefined)];
  for (const size of SIZES) {
    const synthetic = syntheticPack(size);
    runs.push(
      preparePack(
        `synthetic ${size.toLocaleString('en-US')}`,
        { id: synthetic.id, file: `${synthetic.id}.yaml`, source: synthetic.source },
        synthetic,
      ),
    );
  }
  const timerUs = timerOverheadUs();
  const gcAvailable = gc();
  const first = runs[0];
  if (first !== undefined) warmUp(first);
  const results = runs.map(runPack);
  const run100 = runs.find((run) => run.size === 100);
  const reference = run100 === undefined ? undefined : statelessReference(run100);
  const loadAtEnd = loadavg()[0] ?? Number.NaN;

  const bySize = (size: number | null): PackResult => {
    const found = results.find((result) => result.run.size === size);
    if (found === undefined) throw new Error(`no result for ${String(size)}`);
    return found;
  };
  const at1k = bySize(1_000);
  const at10 = bySize(10);
  const at10k = bySize(10_000);
  const p50_1k = at1k.ours.p50;
  const p99_1k = at1k.ours.p99;
  const cedarP50_1k = at1k.cedar?.p50 ?? Number.NaN;
  const ratio = cedarP50_1k / p50_1k;
  const slowdown = at10k.ours.p50 / at10.ours.p50;
  const cpuSlowdown = at10k.oursCpu.p50 / at10.oursCpu.p50;

  const out: string[] = [];
  const cpu = cpus();
  out.push('CAVRA engine benchmark (npm run bench:engine)');
  out.push(
    `node ${process.version} · ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} · cedar-wasm ${getCedarVersion()} (Node build) · gc between packs: ${gcAvailable ? 'yes' : 'no'} · timer overhead ≈ ${fmt(timerUs, 3)} µs`,
  );
  out.push(
    `engine: ${engineMode === 'bundle' ? 'esbuild bundle of src/engine, as the CLI ships it (--engine=source: tsx-transformed sources)' : 'tsx-transformed sources (--engine=source)'}`,
  );
  const busy = Math.max(loadAtStart, loadAtEnd) > cpu.length * 0.75;
  out.push(
    `load average (1 min): ${fmt(loadAtStart)} at start, ${fmt(loadAtEnd)} at end${busy ? ` — WARNING: other work shares these ${cpu.length} cores; expect inflated, noisy numbers` : ''}`,
  );
  out.push('');
  out.push('Method');
  out.push(
    `- Ours: decide(request, policySet, context) end to end: request checks, shell parsing and analysis (unwrapping,\n` +
      `  sh -c re-parsing, flag normalisation), path normalisation, indexed rule lookup, git/MCP guards, mode overlay and\n` +
      `  the full decision envelope (ids, ISO timestamp, matched_rules, segments).`,
  );
  out.push(
    `- Cedar: statefulIsAuthorized against a policy set preparsed once (preparsePolicySet), one forbid/permit policy per\n` +
      `  pack rule with \`like\` patterns on a context string; it gets pre-split, pre-normalised strings (one call per simple\n` +
      `  command and per file it touches, wrappers already unwrapped) — the splitting is done by our analyser, untimed.`,
  );
  out.push(
    `- Timing: after warm-up, each request is timed in batches (ours: ~0.5 ms per sample, ≤ 1,000 calls; Cedar: ≥ 2 ms or\n` +
      `  one request per sample) with process.hrtime.bigint(); a sample is the batch time / calls. p50/p99 are over the\n` +
      `  per-call sample means of all requests of a pack pooled (every request weighs the same). "cpu" is process\n` +
      `  CPU time (process.cpuUsage, all threads) over the same batches: it leaves out time spent waiting for a core.\n` +
      `  "single p99" times calls one by one (timer overhead and GC pauses included) for the tail batching smooths away.`,
  );
  out.push('');

  out.push('Decision latency per pack (µs per decision)');
  out.push(
    renderTable(
      [
        'pack',
        'rules',
        'generic',
        'compile ms',
        'hits',
        'ours p50',
        'ours p99',
        'cpu p50',
        'cpu p99',
        'single p99',
        'cedar p50',
        'cedar p99',
        'cedar/ours p50',
        'cedar preparse ms',
        'agree',
      ],
      results.map((result) => {
        const aimed = result.results.filter((r) => r.request.aims !== undefined);
        const hits = aimed.filter((r) => r.hit === true).length;
        return [
          result.run.label,
          result.run.rules.toLocaleString('en-US'),
          String(result.run.synthetic?.genericRules ?? '—'),
          fmt(result.run.compileMs),
          result.run.synthetic === undefined ? '—' : `${hits}/${aimed.length}`,
          fmt(result.ours.p50),
          fmt(result.ours.p99),
          fmt(result.oursCpu.p50),
          fmt(result.oursCpu.p99),
          fmt(result.oursSingle.p99),
          fmt(result.cedar?.p50 ?? Number.NaN),
          fmt(result.cedar?.p99 ?? Number.NaN),
          `${fmt((result.cedar?.p50 ?? Number.NaN) / result.ours.p50, 0)}×`,
          fmt(result.cedarPreparseMs ?? Number.NaN),
          `${result.agreement}/${result.results.length}`,
        ];
      }),
    ),
  );
  out.push(
    '  hits: requests aimed at a synthetic rule whose decision lists that rule (at 10 rules most categories are empty,\n' +
      '  so those requests are misses by construction). generic: wildcard-first rules with no literal anchor.\n' +
      '  agree: requests where Cedar allows exactly when we allow (Cedar has no require_approval: it denies).',
  );
  if (reference !== undefined)
    out.push(
      `  Cedar API choice (one file request, 100 rules): stateless isAuthorized ${fmt(reference.stateless)} µs vs preparsed statefulIsAuthorized ${fmt(reference.stateful)} µs.`,
    );
  out.push('');

  out.push(`Per request at 1,000 rules (µs; ours: batch ×calls shown; Cedar: all its calls for the request)`);
  const sorted = [...at1k.results].sort((a, b) => kindOrder(a.request.kind) - kindOrder(b.request.kind));
  out.push(
    renderTable(
      [
        'request',
        'kind',
        'decision',
        'rule',
        'ours p50',
        'ours p99',
        'batch',
        'cedar calls',
        'cedar',
        'cedar p50',
        'cedar/ours',
      ],
      sorted.map((result) => {
        const ours = summarize(result.ours);
        const cedar = summarize(result.cedar ?? []);
        return [
          result.request.label,
          result.request.kind,
          result.decision.decision,
          result.hit === undefined
            ? result.decision.rule_id
            : `${result.decision.rule_id}${result.hit ? ' (hit)' : ' (miss)'}`,
          fmt(ours.p50),
          fmt(ours.p99),
          String(result.oursBatch),
          String(result.cedarCalls),
          result.cedarAllowed === true ? 'allow' : 'deny',
          fmt(cedar.p50),
          `${fmt(cedar.p50 / ours.p50, 0)}×`,
        ];
      }),
      ['left', 'left', 'left', 'left'],
    ),
  );
  out.push('');

  out.push(
    'Where the time goes at 1,000 rules (µs, p50; match = guard minus shell analysis; envelope = decide minus guard)',
  );
  const at1kRun = at1k.run;
  out.push(renderTable(['request', 'decide', 'shell analysis', 'match', 'envelope'], breakdown(at1kRun)));
  out.push('');

  const goals = {
    p50: p50_1k <= GOALS.p50Us,
    p99: p99_1k <= GOALS.p99Us,
    cedar: ratio >= GOALS.cedarRatio,
    slowdown: slowdown <= GOALS.slowdown,
  };
  out.push('Goals');
  out.push(
    renderTable(
      ['goal', 'target', 'measured (wall)', 'result', 'CPU time (for reference)'],
      [
        [
          'p50 at 1,000 rules (incl. shell analysis)',
          `≤ ${GOALS.p50Us} µs`,
          `${fmt(p50_1k)} µs`,
          passFail(goals.p50),
          `${fmt(at1k.oursCpu.p50)} µs`,
        ],
        [
          'p99 at 1,000 rules (incl. shell analysis)',
          `≤ ${GOALS.p99Us} µs`,
          `${fmt(p99_1k)} µs`,
          passFail(goals.p99),
          `${fmt(at1k.oursCpu.p99)} µs`,
        ],
        [
          'faster than cedar-wasm (p50 at 1,000 rules)',
          `≥ ${GOALS.cedarRatio}×`,
          `${fmt(ratio, 0)}×`,
          passFail(goals.cedar),
          '',
        ],
        [
          'slowdown 10 → 10,000 rules (p50)',
          `≤ ${GOALS.slowdown}×`,
          `${fmt(slowdown)}×`,
          passFail(goals.slowdown),
          `${fmt(cpuSlowdown)}×`,
        ],
      ],
      ['left', 'left', 'right', 'left', 'right'],
    ),
  );
  out.push(`total run time ${fmt(elapsedMs(wallStart) / 1000, 1)} s`);
  out.push('');

  const packs = Object.fromEntries(
    results.map((result) => [
      result.run.size === null ? 'baseline' : String(result.run.size),
      {
        rules: result.run.rules,
        compile_ms: round(result.run.compileMs),
        p50_us: round(result.ours.p50),
        p99_us: round(result.ours.p99),
        cpu_p50_us: round(result.oursCpu.p50),
        cpu_p99_us: round(result.oursCpu.p99),
        single_call_p99_us: round(result.oursSingle.p99),
        cedar_p50_us: round(result.cedar?.p50 ?? Number.NaN),
        cedar_p99_us: round(result.cedar?.p99 ?? Number.NaN),
        cedar_preparse_ms: round(result.cedarPreparseMs ?? Number.NaN),
      },
    ]),
  );
  out.push(
    JSON.stringify({
      p50_us_1k: round(p50_1k),
      p99_us_1k: round(p99_1k),
      slowdown_10_to_10k: round(slowdown),
      cedar_wasm_ratio: round(ratio),
      cedar_p50_us_1k: round(cedarP50_1k),
      cpu_p50_us_1k: round(at1k.oursCpu.p50),
      cpu_p99_us_1k: round(at1k.oursCpu.p99),
      cpu_slowdown_10_to_10k: round(cpuSlowdown),
      cedar_p99_us_1k: round(at1k.cedar?.p99 ?? Number.NaN),
      goals_met: goals,
      packs,
      node: process.version,
      cedar_wasm: getCedarVersion(),
      engine: engineMode,
      load_average: [round(loadAtStart), round(loadAtEnd)],
    }),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

function round(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}

main();
