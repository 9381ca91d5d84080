/**
 * The first thing the page does (sandbox/main.tsx, before the console's code has even arrived): compile the
 * sql.js wasm and restore the seed in a worker, so the network and the restore run while the main thread
 * loads, evaluates and renders the console (decision 0025).
 */
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import seedUrl from '../../fixtures/sandbox/seed.json.gz?url';
import type { DigestRecord } from '../backend/digest-memo';
import type { SeedReply, SeedRequest } from './seed-worker';

/** The two things the backend needs, on their way. */
export type SeedRestore = {
  /** The compiled sql.js wasm (the page instantiates it too). */
  wasm: Promise<WebAssembly.Module>;
  /** The seed's database image, the digests the restore computed, the worker's timings (ms since it started). */
  image: Promise<{ image: Uint8Array; digests: DigestRecord; timings: Record<string, number> }>;
};

/** Starts compiling the wasm and restoring the seed. */
export function startSeedRestore(): SeedRestore {
  const wasm = compileWasm(new URL(wasmUrl, document.baseURI).href);
  const seed = fetchSeed(new URL(seedUrl, document.baseURI).href);
  const image = new Promise<{ image: Uint8Array; digests: DigestRecord; timings: Record<string, number> }>(
    (resolve, reject) => {
      const worker = new Worker(new URL('./seed-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<SeedReply>) => {
        worker.terminate();
        if ('error' in event.data) reject(new Error(event.data.error));
        else resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(`the sandbox seed worker failed: ${event.message}`));
      };
      seed.then(
        (body) => {
          const seedRequest: SeedRequest = { seed: body };
          worker.postMessage(seedRequest, [body]);
        },
        (error: unknown) => {
          worker.terminate();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
      wasm.then(
        (module) => {
          const wasmRequest: SeedRequest = { wasm: module };
          worker.postMessage(wasmRequest);
        },
        (error: unknown) => {
          worker.terminate();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  );
  // Both are awaited later; a rejection before then is not unhandled.
  wasm.catch(() => undefined);
  image.catch(() => undefined);
  return { wasm, image };
}

async function fetchSeed(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    throw new Error(`the sandbox seed could not be loaded from ${url} (HTTP ${String(response.status)})`);
  }
  return response.body;
}

async function compileWasm(url: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A host that serves .wasm with another content type: compile from the bytes instead.
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`the SQLite wasm could not be loaded from ${url} (HTTP ${String(response.status)})`);
    }
    return WebAssembly.compile(await response.arrayBuffer());
  }
}
