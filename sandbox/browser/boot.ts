/**
 * Boots the sandbox in the page: sql.js from the compiled wasm the seed restore shares, the seed image the
 * worker restored (./seed-restore.ts), the packs, and the saved session from IndexedDB when there is one. The
 * runtime exists at once (the console mounts and renders while the backend boots); `ready` settles when the
 * backend is open.
 */
import initSqlJs from 'sql.js';
import { nobleCrypto } from '../../src/evidence';
import { memoCrypto } from '../backend/digest-memo';
import { createSandboxRuntime, type SandboxRuntime } from '../backend/runtime';
import { indexedDbSnapshots } from './indexeddb';
import { bundledPolicies } from './policies';
import type { SeedRestore } from './seed-restore';

/** Boot timings (ms since navigation start), for the budget script and curious evaluators. */
export type BootTimings = {
  wasm: number;
  seed: number;
  policies: number;
  ready: number;
  /** The worker's steps (`worker_started`, `worker_fetched`, `worker_expanded`, … `worker_restored`). */
  [step: `worker_${string}`]: number;
};

/** Starts the sandbox. `persist`: keep the session in IndexedDB between visits. */
export function bootSandbox(
  restore: SeedRestore,
  options: { version: string; persist: boolean },
): { runtime: SandboxRuntime; ready: Promise<void>; timings: BootTimings } {
  const timings: BootTimings = {
    wasm: 0,
    seed: 0,
    policies: 0,
    ready: 0,
    worker_fetched: 0,
    worker_restored: 0,
  };
  const sqlJs = restore.wasm.then((wasm) =>
    initSqlJs({
      instantiateWasm: (imports, done) => {
        void WebAssembly.instantiate(wasm, imports).then(done);
        return undefined;
      },
    }).then((module) => {
      timings.wasm = performance.now();
      return module;
    }),
  );
  const seed = restore.image.then(({ image, digests, timings: worker }) => {
    timings.seed = performance.now();
    for (const [step, epoch] of Object.entries(worker))
      timings[`worker_${step}`] = epoch - performance.timeOrigin;
    return { image, crypto: memoCrypto(nobleCrypto, digests) };
  });
  // Compiling the packs is CPU work on this thread: do it while the worker restores the seed.
  const policies = new Promise<ReturnType<typeof bundledPolicies>>((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(bundledPolicies());
        timings.policies = performance.now();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, 0);
  });
  const open = Promise.all([sqlJs, seed, policies]).then(([module, { image, crypto }, packs]) => ({
    sqlJs: module,
    seed: image,
    policies: packs,
    crypto,
  }));
  const { runtime, ready } = createSandboxRuntime({
    open,
    version: options.version,
    ...(options.persist && { snapshots: indexedDbSnapshots() }),
  });
  return {
    runtime,
    ready: ready.then(() => {
      timings.ready = performance.now();
    }),
    timings,
  };
}
