/**
 * Boots the sandbox in the page: sql.js from the built wasm file (a URL relative to the bundle, so a GitHub
 * Pages sub-path works), the gzipped seed decompressed by the browser, the packs, and the saved session from
 * IndexedDB when there is one.
 */
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import seedUrl from '../../fixtures/sandbox/seed.json.gz?url';
import { startSandbox, type SandboxRuntime } from '../backend/runtime';
import { restoreDump } from '../backend/seed-dump';
import { indexedDbSnapshots } from './indexeddb';
import { bundledPolicies } from './policies';

/** Boot timings (ms since navigation start), for the budget script and the console. */
export type BootTimings = { wasm: number; seed: number; policies: number; restored: number; ready: number };

/** Starts the sandbox. `persist`: keep the session in IndexedDB between visits. */
export async function bootSandbox(options: {
  version: string;
  persist: boolean;
}): Promise<{ runtime: SandboxRuntime; timings: BootTimings }> {
  const loading = Promise.all([
    initSqlJs({ locateFile: () => wasmUrl }).then((module) => {
      timings.wasm = performance.now();
      return module;
    }),
    fetchSeed().then((seed) => {
      timings.seed = performance.now();
      return seed;
    }),
  ]);
  // Compiling the packs is CPU work on this thread: do it while the wasm and the seed are on the wire.
  const policies = bundledPolicies();
  timings.policies = performance.now();
  const [sqlJs, dump] = await loading;
  const seed = restoreDump(sqlJs, dump);
  timings.restored = performance.now();
  const runtime = await startSandbox({
    sqlJs,
    seed,
    policies,
    version: options.version,
    ...(options.persist && { snapshots: indexedDbSnapshots() }),
  });
  timings.ready = performance.now();
  return { runtime, timings };
}

const timings: BootTimings = { wasm: 0, seed: 0, policies: 0, restored: 0, ready: 0 };

async function fetchSeed(): Promise<unknown> {
  const response = await fetch(seedUrl);
  if (!response.ok || response.body === null) {
    throw new Error(`the sandbox seed could not be loaded from ${seedUrl} (HTTP ${response.status})`);
  }
  // Static hosts serve the .gz as a file (no Content-Encoding), so the page inflates it itself.
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as unknown;
}
