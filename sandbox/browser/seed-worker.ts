/**
 * The seed restore, off the page's main thread (decision 0025): fetch the gzipped dump, inflate it, rebuild the
 * database (rows, recomputed evidence hashes, indexes) and hand the image back. The page compiles the sql.js
 * wasm once and posts the module here, so both threads instantiate the same compiled code.
 */
import initSqlJs from 'sql.js';
import { restoreDump } from '../backend/seed-dump';

/** The page's request. */
export type SeedRequest = { wasm: WebAssembly.Module; seedUrl: string };
/** The answer: the database image (its buffer transferred), or why there is none. */
export type SeedReply = { image: Uint8Array; timings: Record<string, number> } | { error: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SeedRequest>) => void) | null;
  postMessage: (message: SeedReply, transfer?: Transferable[]) => void;
};

scope.onmessage = (event) => {
  restore(event.data).then(
    ({ image, timings }) => {
      scope.postMessage({ image, timings }, [image.buffer]);
    },
    (error: unknown) => {
      scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
    },
  );
};

async function restore({
  wasm,
  seedUrl,
}: SeedRequest): Promise<{ image: Uint8Array; timings: Record<string, number> }> {
  const started = performance.now();
  const [SQL, dump] = await Promise.all([
    initSqlJs({
      instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
        void WebAssembly.instantiate(wasm, imports).then(done);
        return {};
      },
    }),
    fetchSeed(seedUrl),
  ]);
  const fetched = performance.now();
  const image = restoreDump(SQL, dump);
  return { image, timings: { fetched: fetched - started, restored: performance.now() - started } };
}

async function fetchSeed(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    throw new Error(`the sandbox seed could not be loaded from ${url} (HTTP ${String(response.status)})`);
  }
  // Static hosts serve the .gz as a file (no Content-Encoding), so the page inflates it itself.
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as unknown;
}
