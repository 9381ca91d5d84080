import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildPolicySet,
  parsePack,
  type JsonObject,
  type PackSource,
  type ParsedPackSource,
  type PolicySet,
} from '../engine';
import { EMBEDDED_PACKS } from './embedded-packs';

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

/**
 * Every `<dir>/<pack-id>/policy.yaml` (directories without one are skipped, as upstream), pack id → file,
 * without reading them: a run reads only the packs it needs.
 */
export function packFiles(dirs: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name, 'policy.yaml');
      if (!entry.isDirectory() || files.has(entry.name) || !existsSync(file)) continue;
      files.set(entry.name, file);
    }
  }
  return files;
}

/** Reads every `<dir>/<pack-id>/policy.yaml` (directories without one are skipped, as upstream). */
export function readPackSources(dirs: readonly string[]): PackSource[] {
  return [...packFiles(dirs)].map(([id, file]) => ({ id, file, source: readFileSync(file, 'utf8') }));
}

/**
 * Parses and validates one pack. A pack shipped with CAVRA whose text is unchanged comes from the table the
 * CLI build embeds (already parsed and validated, no diagnostics), everything else goes through `parsePack`.
 */
export function parsePackSource(source: PackSource): ParsedPackSource {
  const embedded = EMBEDDED_PACKS[createHash('sha256').update(source.source, 'utf8').digest('hex')];
  if (embedded !== undefined) {
    return {
      id: source.id,
      file: source.file,
      document: JSON.parse(embedded) as JsonObject,
      diagnostics: [],
    };
  }
  return { id: source.id, ...parsePack(source.source, source.file) };
}

/** Loads and compiles the packs visible from the environment. */
export function loadPolicySet(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PolicySet {
  return buildPolicySet(readPackSources(policyDirs(env, cwd)));
}
