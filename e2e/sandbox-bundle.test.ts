/**
 * The live console bundle carries none of the sandbox backend (ARCHITECTURE.md: sql.js, the API app, the
 * persona adapter stay in dist/sandbox). Both bundles are built here and searched for strings that survive
 * minification; the same markers must be found in the sandbox bundle, so the test can fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT } from './support/server';

/** Strings only the sandbox backend contains: sql.js, createApp (Hono routes, errors), the store, the seed. */
const MARKERS = [
  'sql-wasm',
  'the request body is larger than 1 MB',
  'x-cavra-auth-mode',
  'evidence_entries',
  'cavra.sandbox.seed.v2',
  'Persona <id>',
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function markersIn(dir: string): string[] {
  const all = files(dir);
  const text = all
    .filter((file) => /\.(js|css|html)$/.test(file))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const found = MARKERS.filter((marker) => text.includes(marker));
  if (all.some((file) => file.endsWith('.wasm'))) found.push('*.wasm');
  if (all.some((file) => file.endsWith('.gz'))) found.push('*.gz');
  return found;
}

// The sandbox is built into a directory of its own: e2e/sandbox.test.ts may be serving dist/sandbox meanwhile
// (vitest runs files in parallel), and a build empties its output directory first.
let sandboxDir = join(ROOT, 'dist', 'sandbox');

beforeAll(() => {
  if (process.env.CAVRA_E2E_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], { cwd: ROOT, stdio: 'pipe' });
  sandboxDir = mkdtempSync(join(tmpdir(), 'cavra-sandbox-bundle-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'sandbox/vite.config.ts',
      '--outDir',
      sandboxDir,
      '--emptyOutDir',
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
}, 300_000);

afterAll(() => {
  if (sandboxDir.startsWith(tmpdir())) rmSync(sandboxDir, { recursive: true, force: true });
});

test('the sandbox bundle contains its backend (the markers are real)', () => {
  expect(markersIn(sandboxDir).sort()).toEqual([...MARKERS, '*.wasm', '*.gz'].sort());
});

test('the live console bundle contains none of the sandbox backend', () => {
  expect(markersIn(join(ROOT, 'dist', 'console'))).toEqual([]);
});

test('the sandbox is built with the production React even under a test runner (NODE_ENV=test)', () => {
  const names = files(sandboxDir).map((file) => file.slice(sandboxDir.length));
  expect(names.filter((name) => name.endsWith('.js')).length).toBeGreaterThan(3);
  // The development build brings React's jsx-dev-runtime as a chunk of its own (seen when this was broken).
  expect(names.filter((name) => name.includes('jsx-dev-runtime'))).toEqual([]);
});
