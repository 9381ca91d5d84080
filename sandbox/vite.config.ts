/**
 * The static sandbox (issue 6): the console plus the in-browser backend, built to dist/sandbox. `base: './'`
 * keeps asset URLs relative (GitHub Pages project sites serve it from a sub-path); hash routing needs no
 * server fallback (decision 0022).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { parsedPacksPlugin, zodEnglishOnlyPlugin } from './node/vite-plugins';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// A build is the production page even when a test runner (NODE_ENV=test) starts it: otherwise Vite bundles
// React's development build (+60 KB gz, slower), as the console build learned (scripts/build-console.mjs).
if (process.argv.includes('build')) process.env.NODE_ENV = 'production';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), tailwindcss(), parsedPacksPlugin(ROOT), zodEnglishOnlyPlugin(ROOT)],
  define: { __CAVRA_VERSION__: JSON.stringify(`${version}-sandbox`) },
  // The seed is a gzip file the page inflates itself; keep it an asset, never inline it.
  assetsInclude: ['**/*.gz'],
  // The seed restore worker (sandbox/browser/seed-worker.ts) is an ES module worker.
  worker: { format: 'es' },
  build: {
    outDir: '../dist/sandbox',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
