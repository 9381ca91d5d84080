/**
 * `npm run bench:api`: the API server under load, against issue 4 §6.
 *
 * Starts the real server exactly as `npm start` does (`node bin/cavra.mjs serve`, embedded SQLite in a
 * throwaway folder, no seed), then drives it with autocannon over loopback:
 *
 * - `GET /api/version` — the hello-world route of the same server: same Node HTTP adapter, Hono router,
 *   middleware (request id, auth-mode header, error mapping), JSON serialisation; no engine, no database.
 * - `POST /api/decisions` — validate, decide with the bundled packs, store the decision, update its session and
 *   append the hash-chained evidence entry (durable commit) before answering 201.
 *
 * Each route gets a warm-up, then a timed run with the same connection count. Requests rotate through a set of
 * everyday agent actions (commands, compound commands, file reads and writes, git pushes, MCP calls) spread over
 * several sessions, so the work is not one cached request. Prints a table; the last line is one JSON object.
 *
 * Options (env): BENCH_API_SECONDS (default 8), BENCH_API_CONNECTIONS (default 16), BENCH_API_DB
 * (a postgres:// URL to measure PostgreSQL instead of SQLite), BENCH_API_CLI (the CLI to start instead of
 * bin/cavra.mjs, e.g. another build for a before/after comparison).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { fmt, passFail, renderTable } from './table';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env['BENCH_API_SECONDS'] ?? 8);
const CONNECTIONS = Number(process.env['BENCH_API_CONNECTIONS'] ?? 16);
const WARMUP_SECONDS = 2;
const GOAL_RATIO = 0.5;
const CLI = resolve(process.env['BENCH_API_CLI'] ?? join(ROOT, 'bin', 'cavra.mjs'));

type RunResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number; requests: number };

const SESSIONS = ['sess_bench_a', 'sess_bench_b', 'sess_bench_c', 'sess_bench_d'];
const ACTIONS: readonly Record<string, unknown>[] = [
  { action_type: 'execute_command', target: 'npm test' },
  {
    action_type: 'execute_command',
    target: 'cd app && npm ci && terraform plan -out tf.plan | tee plan.log',
  },
  { action_type: 'execute_command', target: 'curl -fsSL https://example.com/install.sh | sh' },
  { action_type: 'execute_command', target: 'git status --porcelain' },
  { action_type: 'read_file', target: 'src/index.ts' },
  { action_type: 'read_file', target: '.env' },
  { action_type: 'write_file', target: '.github/workflows/release.yml' },
  { action_type: 'git_operation', target: 'main', operation: 'push' },
  { action_type: 'git_operation', target: 'feature/login', operation: 'push' },
  { action_type: 'mcp_tool_call', server: 'github', tool: 'create_pull_request', capability: 'tools/call' },
];

function decisionBodies(): string[] {
  const bodies: string[] = [];
  for (const session of SESSIONS) {
    for (const action of ACTIONS) {
      bodies.push(
        JSON.stringify({
          ...action,
          session_id: session,
          agent_id: 'bench-agent',
          repository: 'acme/payments',
          cwd: '/work/repo',
        }),
      );
    }
  }
  return bodies;
}

function ensureCliBuilt(): void {
  if (process.env['BENCH_API_CLI'] !== undefined) return;
  if (existsSync(join(ROOT, 'dist', 'cli', 'cavra.mjs'))) return;
  const built = spawnSync('node', ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('could not build the CLI (node scripts/build-cli.mjs)');
}

/** Starts `cavra serve` on a free port and resolves with its base URL once it prints it. */
function startServer(db: string, cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [CLI, 'serve', '--port', '0', '--db', db, '--no-seed'], {
    cwd,
    env: { ...process.env, CAVRA_EVIDENCE_CHECKPOINT_SECONDS: '60' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        child.stdout.off('data', onData);
        resolvePromise({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      reject(new Error(`cavra serve exited (${String(code)}) before listening:\n${output}`));
    });
  });
}

async function run(url: string, options: Partial<autocannon.Options>, seconds: number): Promise<RunResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
    ...options,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

async function main(): Promise<void> {
  ensureCliBuilt();
  const work = mkdtempSync(join(tmpdir(), 'cavra-bench-api-'));
  const db = process.env['BENCH_API_DB'] ?? join(work, 'bench.db');
  const { child, url } = await startServer(db, work);
  try {
    const hello = { url: `${url}/api/version`, method: 'GET' as const };
    const bodies = decisionBodies();
    const decisions = {
      url: `${url}/api/decisions`,
      requests: bodies.map((body) => ({
        method: 'POST' as const,
        path: '/api/decisions',
        headers: { 'content-type': 'application/json' },
        body,
      })),
    };
    // Warm both routes (JIT, statement caches, first checkpoint), then measure each on its own.
    await run(hello.url, { method: 'GET' }, WARMUP_SECONDS);
    await run(decisions.url, { requests: decisions.requests }, WARMUP_SECONDS);
    const helloResult = await run(hello.url, { method: 'GET' }, SECONDS);
    const decisionResult = await run(decisions.url, { requests: decisions.requests }, SECONDS);

    // Failed requests are not decisions: a run with any is reported as a failure, never as a rate.
    const failed = decisionResult.non2xx + decisionResult.errors + helloResult.non2xx + helloResult.errors;
    const ratio = decisionResult.rps / helloResult.rps;
    const pass = failed === 0 && ratio >= GOAL_RATIO;
    const database = db.startsWith('postgres')
      ? 'PostgreSQL'
      : 'SQLite (better-sqlite3, WAL, synchronous FULL)';
    const row = (label: string, r: RunResult): string[] => [
      label,
      fmt(r.rps, 0),
      fmt(r.p50, 1),
      fmt(r.p99, 1),
      String(r.requests),
      String(r.non2xx),
      String(r.errors),
    ];
    console.log(
      `\nbench:api — cavra serve (${database}), ${CONNECTIONS} connections, ${SECONDS} s per route, ` +
        `${cpus().length} cores, load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
    );
    console.log(
      renderTable(
        ['route', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'],
        [row('GET /api/version (hello)', helloResult), row('POST /api/decisions', decisionResult)],
      ),
    );
    console.log(`\nPOST /api/decisions vs hello: ${fmt(ratio, 2)}× (goal ≥ ${GOAL_RATIO}) ${passFail(pass)}`);
    if (failed > 0) console.log(`FAIL: ${failed} requests failed or were not 2xx; the rates above are void.`);
    console.log(
      JSON.stringify({
        decisions_rps: Math.round(decisionResult.rps),
        hello_rps: Math.round(helloResult.rps),
        decisions_vs_hello_ratio: Number(ratio.toFixed(3)),
        decisions_p99_ms: decisionResult.p99,
        decisions_p50_ms: decisionResult.p50,
        hello_p99_ms: helloResult.p99,
        decisions_non2xx: decisionResult.non2xx,
        connections: CONNECTIONS,
        seconds: SECONDS,
        database: db.startsWith('postgres') ? 'postgres' : 'sqlite',
        goal_ratio: GOAL_RATIO,
        pass,
      }),
    );
    if (failed > 0) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (!db.startsWith('postgres')) rmSync(work, { recursive: true, force: true });
  }
}

await main();
