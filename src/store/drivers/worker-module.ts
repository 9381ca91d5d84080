/**
 * Starts one of the store's worker threads (the SQLite writer, the verification hasher). From the CLI bundle:
 * the module's own entry (scripts/build-cli.mjs writes `chunks/<name>.mjs`, beside the chunk that holds the
 * store's drivers). From the sources (tests, tsx): the TypeScript module, through tsx's loader registered in the
 * thread first (tsx registers itself in the main thread only).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The worker modules of src/store/drivers, by base name. */
export type WorkerModule = 'sqlite-append-worker' | 'sqlite-hash-worker';

export function startWorker(name: WorkerModule, workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const module = new URL(`./${name}.ts`, here).href;
    // The ESM form of tsx's API (its CommonJS form cannot register ESM hooks from a thread's eval'd import).
    const tsxPackage = createRequire(here).resolve('tsx/package.json');
    const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs')).href;
    const bootstrap =
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); ` +
      `return import(${JSON.stringify(module)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  const candidates = [new URL(`./${name}.mjs`, here), new URL(`./chunks/${name}.mjs`, here)];
  const found = candidates.find((url) => existsSync(url));
  if (found === undefined) throw new Error(`the store's worker module ${name} is missing beside ${here}`);
  return new Worker(found, { workerData });
}
