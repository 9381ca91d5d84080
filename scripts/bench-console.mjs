#!/usr/bin/env node
// `npm run bench:console`: the console's bundle sizes from the Vite manifest (dist/console/.vite/manifest.json).
// "Initial" is what the browser loads before the first page renders: index.html's entry chunk, every chunk it
// imports statically, and their CSS. Route chunks load later and are listed per route. The last line is one
// JSON object with console_initial_gz_kb (the budget is 300 KB gzipped, issue 5) and whether the live bundle
// is free of the sandbox backend (sql.js, the API app), which must never ship in it (ARCHITECTURE.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'console');
export const BUDGET_GZ_KB = 300;
/** Strings that only the sandbox backend would bring along. */
const SANDBOX_MARKERS = ['initSqlJs', 'sql-wasm', 'createApp('];

/** Measures dist/console; throws when it is not built. */
export function measureConsole() {
  const manifestPath = join(outDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error('dist/console is not built: run `npm run build:console`');
  /** @type {Record<string, {file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[], src?: string}>} */
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const sizes = (file) => {
    const bytes = readFileSync(join(outDir, file));
    return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) closure(next, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry');
  const initialKeys = closure(entryKey);
  const files = new Set();
  for (const key of initialKeys) {
    const chunk = manifest[key];
    if (!chunk) continue;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  const initial = [...files].map((file) => ({ file, ...sizes(file) }));
  const routes = Object.entries(manifest)
    .filter(([key, chunk]) => key.includes('app/routes/') && chunk.file)
    .map(([key, chunk]) => {
      const extra = [...closure(key)]
        .filter((k) => !initialKeys.has(k))
        .map((k) => manifest[k]?.file)
        .filter(Boolean);
      const gz = extra.reduce((sum, file) => sum + sizes(file).gz, 0);
      return { route: key.replace(/^.*app\/routes\//, '').replace(/\.tsx$/, ''), gz };
    });
  const assets = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  const leaks = SANDBOX_MARKERS.filter((marker) =>
    assets.some((file) => readFileSync(join(outDir, 'assets', file), 'utf8').includes(marker)),
  );
  // React's development build says this; a production build never does (a NODE_ENV slip costs ~60 KB gz).
  const isDevelopmentReact = assets.some((file) =>
    readFileSync(join(outDir, 'assets', file), 'utf8').includes('Download the React DevTools'),
  );
  const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
  return {
    initial,
    routes,
    console_initial_gz_kb: kb(initial.reduce((sum, f) => sum + f.gz, 0)),
    console_initial_raw_kb: kb(initial.reduce((sum, f) => sum + f.raw, 0)),
    console_largest_route_gz_kb: kb(Math.max(0, ...routes.map((r) => r.gz))),
    budget_gz_kb: BUDGET_GZ_KB,
    sandbox_backend_markers: leaks,
    react_development_build: isDevelopmentReact,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = measureConsole();
  const rows = [
    ...result.initial.map((f) => [`initial  ${f.file}`, f.raw, f.gz]),
    ...result.routes.map((r) => [`route    ${r.route} (beyond initial)`, '', r.gz]),
  ];
  for (const [name, raw, gz] of rows) {
    process.stdout.write(
      `${String(name).padEnd(60)} ${String(raw).padStart(9)} ${String(gz).padStart(9)} B gz\n`,
    );
  }
  const { initial: _i, routes: _r, ...summary } = result;
  process.stdout.write(
    `${JSON.stringify({ bench: 'console', ...summary, within_budget: result.console_initial_gz_kb <= BUDGET_GZ_KB })}\n`,
  );
}
