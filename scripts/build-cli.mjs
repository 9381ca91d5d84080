#!/usr/bin/env node
// Builds the CLI bundle dist/cli/cavra.mjs from src/cli/cavra.ts (see docs/decisions/0004-cli.md).
// Runs at `npm ci` through the "prepare" script, from `npm run build:cli`, and from bin/cavra.mjs when the
// bundle is missing. Dependencies are bundled too: one file loads faster than a tree of node_modules
// imports, and the engine's deep import `ajv/dist/2020` is not resolvable by Node's ESM loader on its own.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the bundle; resolves to the output path. */
export async function buildCli() {
  const outfile = join(root, 'dist', 'cli', 'cavra.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src', 'cli', 'cavra.ts')],
    outfile,
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
  return outfile;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
