#!/usr/bin/env node
// Builds the console SPA (src/console) into dist/console with Vite (decision 0015). Runs at `npm ci` through
// "prepare" (so `npm start` serves a console right after install), from `npm run build:console`, and from
// `npm start` with --if-missing. Vite is a dev dependency: without it (a production-only install) this says so
// and exits 0, and the server then shows its "console not built" page instead of failing to start.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'console');

/** Builds the console; resolves to the output directory. */
export async function buildConsole() {
  // Test runners export NODE_ENV=test, which would make Vite bundle React's development build (+60 KB gz).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const isIfMissing = process.argv.includes('--if-missing');
  if (isIfMissing && existsSync(join(outDir, 'index.html'))) process.exit(0);
  try {
    await buildConsole();
    process.stdout.write(`console built into ${outDir}\n`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/Cannot find (package|module) 'vite'/.test(detail)) {
      process.stderr.write('cavra: vite is not installed (dev dependency), so the console was not built\n');
      process.exit(0);
    }
    process.stderr.write(`cavra: building the console failed: ${detail}\n`);
    process.exit(1);
  }
}
