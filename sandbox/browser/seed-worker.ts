/**
 * The seed restore, off the page's main thread (decision 0025): inflate the gzipped dump, rebuild the database
 * (rows, recomputed evidence hashes, indexes) and hand the image back. The page fetches the seed (so the download
 * starts before this worker has loaded) and passes the response's stream, then the sql.js wasm it compiled, so
 * both threads instantiate the same compiled code.
 */
import initSqlJs from 'sql.js';
import { nobleCrypto } from '../../src/evidence';
import { recordingCrypto, type DigestRecord } from '../backend/digest-memo';
import { restoreDump } from '../backend/seed-dump';

/** The page's messages: the seed's bytes as they arrive (the page fetched it), the compiled wasm when ready. */
export type SeedRequest = { seed: ReadableStream<Uint8Array<ArrayBuffer>> } | { wasm: WebAssembly.Module };
/**
 * The answer: the database image and the evidence digests the restore computed (buffers transferred), or why
 * there is none.
 */
export type SeedReply =
  { image: Uint8Array; digests: DigestRecord; timings: Record<string, number> } | { error: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SeedRequest>) => void) | null;
  postMessage: (message: SeedReply, transfer?: Transferable[]) => void;
};

/** Step times as epoch milliseconds (the page converts them to its own time base). */
const timings: Record<string, number> = {};
const stamp = (): number => performance.timeOrigin + performance.now();
timings['started'] = stamp();
let seed: Promise<unknown> | undefined;
let resolveWasm: (wasm: WebAssembly.Module) => void = () => undefined;
const wasm = new Promise<WebAssembly.Module>((resolve) => {
  resolveWasm = resolve;
});

scope.onmessage = (event) => {
  const request = event.data;
  if ('wasm' in request) {
    resolveWasm(request.wasm);
    return;
  }
  seed ??= inflateSeed(request.seed);
  restore(seed).then(
    ({ image, digests }) => {
      scope.postMessage({ image, digests, timings }, [
        image.buffer,
        digests.bytes.buffer,
        digests.ends.buffer,
        digests.digests.buffer,
      ]);
    },
    (error: unknown) => {
      scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
    },
  );
};

async function restore(dump: Promise<unknown>): Promise<{ image: Uint8Array; digests: DigestRecord }> {
  const SQL = await initSqlJs({
    instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
      void wasm.then((module) => WebAssembly.instantiate(module, imports)).then(done);
      return undefined;
    },
  });
  const seedDump = await dump;
  timings['fetched'] = stamp();
  // The page's API hashes the same entries again before its first checkpoint: hand it these digests.
  const { crypto, record } = recordingCrypto(nobleCrypto);
  const image = restoreDump(SQL, seedDump, crypto, (step) => {
    timings[step] = stamp();
  });
  timings['restored'] = stamp();
  return { image, digests: record() };
}

async function inflateSeed(body: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<unknown> {
  // Static hosts serve the .gz as a file (no Content-Encoding), so the page inflates it itself.
  const text = await new Response(body.pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as unknown;
}
