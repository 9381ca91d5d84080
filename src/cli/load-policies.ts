import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPolicySet, type PackSource, type PolicySet } from '../engine';

/** The `policies/` folder shipped with CAVRA (next to package.json). */
export function bundledPolicyDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'policies')))
      return join(dir, 'policies');
    dir = dirname(dir);
  }
  return resolve('policies');
}

/**
 * Where packs come from, upstream's order: `$CAVRA_POLICY_DIR`, then `./policies`, then the bundled ones.
 * Packs in an earlier folder shadow same-named packs in later ones, so a team can override one pack.
 */
export function policyDirs(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const dirs = [env['CAVRA_POLICY_DIR'], join(cwd, 'policies'), bundledPolicyDir()]
    .filter((dir): dir is string => dir !== undefined && dir !== '' && existsSync(dir))
    .map((dir) => resolve(dir));
  return [...new Set(dirs)];
}

/** Reads every `<dir>/<pack-id>/policy.yaml` (directories without one are skipped, as upstream). */
export function readPackSources(dirs: readonly string[]): PackSource[] {
  const byId = new Map<string, PackSource>();
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name, 'policy.yaml');
      if (!entry.isDirectory() || byId.has(entry.name) || !existsSync(file)) continue;
      byId.set(entry.name, { id: entry.name, file, source: readFileSync(file, 'utf8') });
    }
  }
  return [...byId.values()];
}

/** Loads and compiles the packs visible from the environment. */
export function loadPolicySet(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PolicySet {
  return buildPolicySet(readPackSources(policyDirs(env, cwd)));
}
