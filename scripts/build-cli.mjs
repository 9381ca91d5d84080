#!/usr/bin/env node
// Builds the CLI bundle dist/cli/cavra.mjs from src/cli/cavra.ts (see docs/decisions/0004-cli.md).
// Runs at `npm ci` through the "prepare" script, from `npm run build:cli`, and from bin/cavra.mjs when the
// bundle is missing. Dependencies are bundled too: one file loads faster than a tree of node_modules
// imports, and the engine's deep import `ajv/dist/2020` is not resolvable by Node's ESM loader on its own.
// Code behind a dynamic import() (the store, the evidence commands) goes to chunks under dist/cli/chunks,
// loaded only by the commands that need them; native and optional drivers stay external.
import { build } from 'esbuild';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledPolicySchema } from './precompiled-policy-schema.mjs';
import { embeddedPacks } from './embedded-packs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the bundle; resolves to the output path. */
export async function buildCli() {
  const outdir = join(root, 'dist', 'cli');
  const outfile = join(outdir, 'cavra.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [
      { in: join(root, 'src', 'cli', 'cavra.ts'), out: 'cavra' },
      // The store's worker threads (SQLite writer, verification hasher): beside the chunk that starts them.
      {
        in: join(root, 'src', 'store', 'drivers', 'sqlite-append-worker.ts'),
        out: 'chunks/sqlite-append-worker',
      },
      {
        in: join(root, 'src', 'store', 'drivers', 'sqlite-hash-worker.ts'),
        out: 'chunks/sqlite-hash-worker',
      },
    ],
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    // better-sqlite3 is a native addon and pg loads optional native code: both resolve from node_modules.
    external: ['better-sqlite3', 'pg', 'pg-native'],
    metafile: true,
    // The pack schema's validator is compiled here rather than at every start (scripts/precompiled-policy-schema.mjs).
    // The bundled packs are embedded parsed and validated (scripts/embedded-packs.mjs).
    plugins: [precompiledPolicySchema(root), embeddedPacks(root)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS dependencies (ajv) may `require` Node built-ins; give the ESM bundle a `require` to do it with.
    banner: {
      js: "import { createRequire as __cavraCreateRequire } from 'node:module';\nconst require = __cavraCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  removeStaleChunks(outdir, new Set(Object.keys(result.metafile.outputs).map((path) => join(root, path))));
  return outfile;
}

/**
 * Chunk names carry content hashes, so each rebuild adds files. Removes those this build did not write, once
 * they are ten minutes old (a `cavra` process started before the rebuild may still import its own chunks).
 */
function removeStaleChunks(outdir, written) {
  const chunks = join(outdir, 'chunks');
  let names = [];
  try {
    names = readdirSync(chunks);
  } catch {
    return;
  }
  const cutoff = Date.now() - 10 * 60 * 1000;
  for (const name of names) {
    const file = join(chunks, name);
    if (written.has(file)) continue;
    try {
      if (statSync(file).mtimeMs < cutoff) unlinkSync(file);
    } catch {
      // Another build removed it first.
    }
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
