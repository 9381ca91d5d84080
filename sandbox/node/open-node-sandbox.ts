/**
 * The sandbox runtime in Node, from the committed fixtures: what the tests and the budget script use to call
 * the very backend the page runs (same seed, same app, same persona adapter; Node's sql.js build).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, strFromU8 } from 'fflate';
import initSqlJs from 'sql.js';
import { readBundledPolicies } from './node-policies';
import { startSandbox, type SandboxRuntime, type SandboxRuntimeOptions } from '../backend/runtime';
import { restoreDump } from '../backend/seed-dump';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `fixtures/sandbox/`. */
export const FIXTURE_DIR = join(ROOT, 'fixtures', 'sandbox');

/** Starts the sandbox on the committed seed. */
export async function openNodeSandbox(
  options: Partial<Omit<SandboxRuntimeOptions, 'seed' | 'sqlJs' | 'policies'>> = {},
): Promise<SandboxRuntime> {
  const sqlJs = await initSqlJs();
  const dump: unknown = JSON.parse(strFromU8(gunzipSync(readFileSync(join(FIXTURE_DIR, 'seed.json.gz')))));
  return startSandbox({
    version: 'sandbox-test',
    ...options,
    sqlJs,
    seed: restoreDump(sqlJs, dump),
    policies: readBundledPolicies(ROOT),
  });
}
