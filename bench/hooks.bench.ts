/**
 * `npm run bench:hooks` (alias `bench:hook`): what an agent pays per tool call.
 *
 * - baseline: `node -e 0`, the floor of any Node hook;
 * - cold hook: `cavra hook claude-code --no-daemon` (the built CLI loads the pack and decides), with and
 *   without `--record`;
 * - hook via the daemon: the same command while `cavra daemon` runs (the hook only connects and asks);
 * - daemon round trip: one connection, one request line, one answer line, as a hook does it.
 *
 * Process runs are interleaved (baseline, cold, via daemon, …) so load from other work on the machine hits
 * them alike. The last line is one JSON object: `hook_cold_ratio` (cold p50 / baseline p50, goal ≤ 2),
 * `daemon_p99_ms` (round-trip p99, goal ≤ 20) and the rest of the numbers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { askDaemon } from '../src/integrations/daemon/client';
import { summarize, type Summary } from './stats';
import { fmt, passFail, renderTable } from './table';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'cavra.mjs');
const RUNS = Number(process.env['BENCH_HOOK_RUNS'] ?? '20');
const ROUND_TRIPS = Number(process.env['BENCH_DAEMON_REQUESTS'] ?? '1000');
const EVENT = readFileSync(join(ROOT, 'fixtures/hooks/claude-code/bash-terraform-plan.json'), 'utf8');

function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CAVRA_')) clean[key] = value;
  return clean;
}

/** Wall time of one process run, in ms; throws when the hook did not answer as expected. */
function timeRun(args: string[], cwd: string, input: string, expect?: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd, input, encoding: 'utf8', env: env() });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
  if (expect !== undefined && !run.stdout.includes(expect))
    throw new Error(`unexpected answer: ${run.stdout}`);
  return elapsed;
}

function startDaemon(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'daemon', 'start', '--no-evidence'], { cwd, env: env() });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`daemon start: ${stderr}`));
    });
  });
}

async function main(): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'cvb-'));
  const daemonCwd = mkdtempSync(join(tmpdir(), 'cvb-'));
  const loadAtStart = loadavg()[0] ?? 0;
  await startDaemon(daemonCwd);
  const hook = [BIN, 'hook', 'claude-code'];
  const allow = '"permissionDecision":"allow"';
  const samples = {
    baseline: [] as number[],
    cold: [] as number[],
    record: [] as number[],
    viaDaemon: [] as number[],
  };
  try {
    // Warm the file cache and the bundle once; then interleave.
    timeRun([...hook, '--no-daemon'], cwd, EVENT, allow);
    for (let run = 0; run < RUNS; run += 1) {
      samples.baseline.push(timeRun(['-e', '0'], cwd, ''));
      samples.cold.push(timeRun([...hook, '--no-daemon'], cwd, EVENT, allow));
      samples.record.push(
        timeRun([...hook, '--no-daemon', '--record', '--db', 'bench.db'], cwd, EVENT, allow),
      );
      samples.viaDaemon.push(timeRun(hook, daemonCwd, EVENT, allow));
    }
    const socket = join(daemonCwd, '.cavra', 'daemon.sock');
    const request = {
      action_type: 'execute_command',
      target: 'terraform plan',
      session_id: 'bench',
      agent_id: 'claude-code',
    };
    const roundTrips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i += 1) {
      const started = performance.now();
      const [answer] = await askDaemon(socket, [request]);
      roundTrips.push(performance.now() - started);
      if ((answer as { decision?: string } | undefined)?.decision !== 'allow')
        throw new Error('daemon did not allow');
    }
    report(samples, summarize(roundTrips), [loadAtStart, loadavg()[0] ?? 0]);
  } finally {
    spawnSync(process.execPath, [BIN, 'daemon', 'stop'], { cwd: daemonCwd, env: env() });
  }
}

function report(
  samples: Record<'baseline' | 'cold' | 'record' | 'viaDaemon', number[]>,
  daemon: Summary,
  load: number[],
): void {
  const baseline = summarize(samples.baseline);
  const cold = summarize(samples.cold);
  const record = summarize(samples.record);
  const viaDaemon = summarize(samples.viaDaemon);
  const row = (name: string, s: Summary): string[] => [
    name,
    fmt(s.p50),
    fmt(s.mean),
    fmt(s.min),
    fmt(s.max),
    fmt(s.p50 / baseline.p50),
    String(s.count),
  ];
  const coldRatio = cold.p50 / baseline.p50;
  process.stdout.write(
    `${renderTable(
      ['what (ms)', 'p50', 'mean', 'min', 'max', '× node -e 0', 'runs'],
      [
        row('node -e 0 (baseline)', baseline),
        row('hook, cold (--no-daemon)', cold),
        row('hook, cold, --record', record),
        row('hook via daemon', viaDaemon),
      ],
    )}\n\n${renderTable(
      ['daemon round trip (ms)', 'p50', 'p99', 'max', 'requests'],
      [
        [
          'connect + request + answer',
          fmt(daemon.p50),
          fmt(daemon.p99),
          fmt(daemon.max),
          String(daemon.count),
        ],
      ],
    )}\n\ngoals: hook_cold_ratio ≤ 2 ${passFail(coldRatio <= 2)}; daemon_p99_ms ≤ 20 ${passFail(daemon.p99 <= 20)}\n`,
  );
  const round = (value: number): number => Math.round(value * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({
      hook_cold_ratio: round(coldRatio),
      daemon_p99_ms: round(daemon.p99),
      daemon_p50_ms: round(daemon.p50),
      baseline_p50_ms: round(baseline.p50),
      hook_cold_p50_ms: round(cold.p50),
      hook_record_p50_ms: round(record.p50),
      hook_record_ratio: round(record.p50 / baseline.p50),
      hook_via_daemon_p50_ms: round(viaDaemon.p50),
      hook_via_daemon_ratio: round(viaDaemon.p50 / baseline.p50),
      goals_met: { hook_cold_ratio: coldRatio <= 2, daemon_p99_ms: daemon.p99 <= 20 },
      runs: samples.cold.length,
      node: process.version,
      load_average: load.map(round),
    })}\n`,
  );
}

await main();
