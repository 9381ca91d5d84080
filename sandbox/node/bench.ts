/**
 * `npm run bench:sandbox` (issue 6 §5): the sandbox's budgets, measured.
 * - initial_gz_kb: what a first visit downloads before the first decision is on screen, gzipped as a static
 *   host would serve it (the seed is already gzip): every file the browser requested during the cold starts
 *   below, up to the first decision (the page, the entry, the console and backend chunk, the route chunks the
 *   scenario page needs, the seed worker, the sql.js wasm, the seed), observed on the network rather than
 *   listed from index.html, which no longer names every file a first visit loads (decision 0025);
 * - cold_start_ms: headless Chromium on localhost, navigation to the first scenario decision on screen,
 *   median of 5 fresh browser contexts (no cache, no saved session);
 * - query_p95_ms: a filtered decision query (`GET /api/decisions?decision=block&repository=…`) through the
 *   sandbox API over sql.js with 50,000 decisions, p95 of 200 runs; baseline: `GET /api/health` in the same run.
 * Prints a table, then one JSON object on the last line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../e2e/sandbox-server';
import { ROOT, openNodeSandbox } from './open-node-sandbox';

const DIST = join(ROOT, 'dist', 'sandbox');
const TARGET_DECISIONS = 50_000;

/** The files a cold start fetched (paths under the site, e.g. `assets/app-….js`), gzipped sizes. */
function initialDownload(fetched: ReadonlySet<string>): {
  files: { name: string; gzKb: number }[];
  totalKb: number;
} {
  const files = [...fetched].sort().map((name) => {
    const bytes = readFileSync(join(DIST, name === '' ? 'index.html' : name));
    const gz = name.endsWith('.gz') ? bytes.length : gzipSync(bytes, { level: 9 }).length;
    return { name: name === '' ? 'index.html' : name, gzKb: gz / 1024 };
  });
  return { files, totalKb: files.reduce((sum, file) => sum + file.gzKb, 0) };
}

/** Every file of the build, gzipped (what a visitor who opens every page would end up downloading). */
function allAssetsKb(): number {
  const bytes = readdirSync(join(DIST, 'assets')).map((name) => {
    const data = readFileSync(join(DIST, 'assets', name));
    return name.endsWith('.gz') ? data.length : gzipSync(data, { level: 9 }).length;
  });
  return bytes.reduce((sum, size) => sum + size, 0) / 1024;
}

async function coldStarts(runs: number): Promise<{ times: number[]; fetched: Set<string> }> {
  const site = await serveStatic(DIST, '/cavra/');
  const browser = await chromium.launch({
    executablePath: process.env.CAVRA_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const times: number[] = [];
  const fetched = new Set<string>();
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext();
      let isCounting = true;
      // The context sees the page's requests and its workers' (the seed worker fetches the seed).
      context.on('request', (request) => {
        const url = request.url();
        if (isCounting && url.startsWith(site.url))
          fetched.add(new URL(url).pathname.slice('/cavra/'.length));
      });
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${site.url}#/scenarios`);
      await page.getByRole('button', { name: 'Run agent scenario' }).click({ timeout: 60_000 });
      await page.locator('[data-outcome]').first().waitFor({ timeout: 60_000 });
      times.push(Date.now() - started);
      isCounting = false;
      await context.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return { times, fetched };
}

async function queryTimes(): Promise<{ total: number; query: number[]; health: number[] }> {
  const sandbox = await openNodeSandbox();
  const store = sandbox.backend();
  // Grow the decisions table to 50k rows by copying the seed's rows under new ids (the list query reads this table).
  const db = store.store;
  const seedTotal = (await db.decisions.list({}, { limit: 1 })).total;
  const seed = [];
  for (let offset = 0; offset < seedTotal; offset += 500) {
    seed.push(...(await db.decisions.list({}, { limit: 500, offset })).items);
  }
  let missing = TARGET_DECISIONS - seedTotal;
  for (let copy = 1; missing > 0; copy += 1) {
    const batch = seed.slice(0, missing);
    await db.transaction(async (tx) => {
      for (const decision of batch)
        await tx.decisions.insert({ ...decision, decision_id: `${decision.decision_id}_${copy}` });
    });
    missing -= batch.length;
  }
  const total = (await db.decisions.list({}, { limit: 1 })).total;
  const time = async (path: string): Promise<number[]> => {
    const samples: number[] = [];
    for (let i = 0; i < 220; i += 1) {
      const started = performance.now();
      const response = await sandbox.fetch(`/api${path}`);
      await response.text();
      if (i >= 20) samples.push(performance.now() - started);
    }
    return samples;
  };
  const query = await time('/decisions?decision=block&repository=sandbox/payments-api&limit=50');
  const health = await time('/health');
  await store.close();
  return { total, query, health };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

if (process.env.CAVRA_BENCH_SKIP_BUILD !== '1') {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'sandbox/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
}
const { times: starts, fetched } = await coldStarts(5);
const download = initialDownload(fetched);
const queries = await queryTimes();
const result = {
  initial_gz_kb: Math.round(download.totalKb),
  cold_start_ms: Math.round(median(starts)),
  query_p95_ms: Number(percentile(queries.query, 95).toFixed(2)),
  query_decisions: queries.total,
  health_p95_ms: Number(percentile(queries.health, 95).toFixed(2)),
  query_vs_health_p95: Number((percentile(queries.query, 95) / percentile(queries.health, 95)).toFixed(2)),
  all_assets_gz_kb: Math.round(allAssetsKb()),
  load_average: loadavg().map((load) => Number(load.toFixed(2))),
  budgets: { initial_gz_kb: 1024, cold_start_ms: 1500, query_p95_ms: 20 },
};
console.log('file                                   gz KiB');
for (const file of download.files) console.log(`${file.name.padEnd(38)} ${file.gzKb.toFixed(1).padStart(7)}`);
console.log(`cold starts (ms): ${starts.join(', ')}`);
console.log(
  `query p50 ${median(queries.query).toFixed(2)} ms, p95 ${result.query_p95_ms} ms over ${queries.total} decisions; health p95 ${result.health_p95_ms} ms`,
);
console.log(JSON.stringify(result));
