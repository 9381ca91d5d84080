import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildPolicySetFromParsed,
  DEFAULT_PACK,
  type DecideOptions,
  type EngineError,
  type McpRegistry,
  type ParsedPackSource,
  type PolicySet,
} from '../engine';
import {
  addPolicyFile,
  declaredParents,
  readPolicyFile,
  systemContext,
  type LoadedPolicies,
  type Outcome,
} from './context';
import type { CliIo } from './io';
import { packFiles, parsePackSource, policyDirs } from './load-policies';
import { loadRegistry } from './registry';

/** Where a decision's inputs come from: `--policy`, `--registry`, `--cwd`. */
export type SetupFlags = {
  policy?: string | undefined;
  registry?: string | undefined;
  cwd?: string | undefined;
};

export type EngineSetup = { set: PolicySet; options: DecideOptions; loaded: LoadedPolicies };

/**
 * Loads what the decisions of one run need, once: the named packs (and the default pack, or `--policy`
 * which becomes the default), the MCP registry, and the context.
 */
export function setupEngine(
  io: CliIo,
  flags: SetupFlags,
  packs: Iterable<string | undefined>,
): Outcome<EngineSetup> {
  const needed = new Set([...packs].filter((id): id is string => id !== undefined));
  const policyFile = flags.policy === undefined ? undefined : readPolicyFile(io, flags.policy);
  if (policyFile?.ok === false) return policyFile;
  if (policyFile === undefined) needed.add(DEFAULT_PACK);
  else
    for (const parent of declaredParents(policyFile.value.source, policyFile.value.file)) needed.add(parent);
  const loaded = loadPackChains(io, needed);
  let set = loaded.set;
  if (policyFile !== undefined) {
    const extended = addPolicyFile(set, policyFile.value);
    if (!extended.ok) return extended;
    set = extended.value;
  }
  let registry: McpRegistry | undefined;
  if (flags.registry !== undefined) {
    const read = loadRegistry(io, flags.registry);
    if (!read.ok) return read;
    registry = read.value;
  }
  const workspaceRoot = resolve(io.cwd, flags.cwd ?? '.');
  return { ok: true, value: { set, loaded, options: systemContext(workspaceRoot, registry) } };
}

/**
 * The named packs and their ancestors, from the folders visible to the run ($CAVRA_POLICY_DIR, ./policies,
 * bundled). Only those files are read and parsed: one decision needs one pack chain, not all twenty packs,
 * and bundled packs come pre-parsed from the CLI build (docs/decisions/0024-cold-start.md).
 */
export function loadPackChains(io: CliIo, ids: Iterable<string>): LoadedPolicies {
  const files = packFiles(policyDirs(io.env, io.cwd));
  const parsed = new Map<string, ParsedPackSource>();
  const queue = [...ids];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const file = files.get(id);
    if (file === undefined || parsed.has(id)) continue;
    const source = readFileSync(file, 'utf8');
    const pack = parsePackSource({ id, file, source });
    parsed.set(id, pack);
    queue.push(...(pack.document === undefined ? declaredParents(source, file) : parentsOf(pack.document)));
  }
  return { set: buildPolicySetFromParsed([...parsed.values()]), ids: [...files.keys()].sort(), files };
}

/** `metadata.inherits` of a parsed pack (as `declaredParents` reads it from the text). */
function parentsOf(document: NonNullable<ParsedPackSource['document']>): string[] {
  const metadata = document['metadata'];
  const inherits =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
      ? metadata['inherits']
      : undefined;
  if (typeof inherits === 'string') return [inherits];
  return Array.isArray(inherits)
    ? inherits.filter((parent): parent is string => typeof parent === 'string')
    : [];
}

/**
 * An engine error as a CLI message. Only the packs a run needs are loaded, so an unknown pack is reported
 * against every pack on disk; one that exists but failed validation is reported as such (diagnostics are
 * not printed on normal runs, so say where to look).
 */
export function describeEngineError(
  error: EngineError,
  packId: string | undefined,
  setup: EngineSetup,
): string {
  if (error.code !== 'unknown_policy_pack' || packId === undefined) return error.message;
  return unknownPackMessage(packId, setup.loaded, [...setup.set.packs.keys()]);
}

export function unknownPackMessage(
  packId: string,
  loaded: LoadedPolicies,
  extra: readonly string[] = [],
): string {
  const file = loaded.files.get(packId);
  if (file !== undefined) {
    return `policy pack '${packId}' has errors and was not loaded: run 'cavra policy validate ${file}'`;
  }
  const choices = [...new Set([...loaded.ids, ...extra])].sort();
  return `unknown policy pack '${packId}': use one of ${choices.join(', ')}`;
}
