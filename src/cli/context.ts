import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import {
  buildPolicySet,
  parsePack,
  withExtraPack,
  type DecideOptions,
  type McpRegistry,
  type PackSource,
  type PolicySet,
} from '../engine';
import type { CliIo } from './io';
import { policyDirs, readPackSources } from './load-policies';

/** A value or a message for the user (already lowercase and actionable). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** The engine's inputs from the real world: the clock, random ids, the workspace root and home directory. */
export function systemContext(workspaceRoot: string, registry?: McpRegistry): DecideOptions {
  return {
    now: () => new Date(),
    randomHex12: () => randomBytes(6).toString('hex'),
    workspaceRoot,
    homeDir: homedir(),
    ...(registry !== undefined && { registry }),
  };
}

/** Reads a text file named on the command line (relative to the CLI's cwd). */
export function readTextFile(io: CliIo, path: string, what: string): Outcome<string> {
  try {
    return { ok: true, value: readFileSync(resolve(io.cwd, path), 'utf8') };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
    return { ok: false, message: `cannot read ${what} '${path}': ${reason}` };
  }
}

/** A file path for people: relative to the CLI's cwd when it lies below it, else absolute. */
export function displayPath(io: CliIo, file: string): string {
  const rel = relative(io.cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** Parses JSON text from a named input; the message says where the syntax error is. */
export function parseJsonText(text: string, what: string): Outcome<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${what} is not valid JSON (${detail})` };
  }
}

/** The packs loaded for a run, plus every pack id on disk (for messages) and the file each came from. */
export type LoadedPolicies = {
  set: PolicySet;
  /** Every pack id found on disk, loaded or not, sorted. */
  ids: readonly string[];
  files: ReadonlyMap<string, string>;
};

/**
 * Packs visible from the environment ($CAVRA_POLICY_DIR, ./policies, bundled). With `only`, just those packs
 * and their ancestors are parsed and compiled: YAML parsing dominates cold start, and one decision needs
 * one pack chain, not all twenty packs.
 */
export function loadPolicies(io: CliIo, only?: Iterable<string>): LoadedPolicies {
  const sources = readPackSources(policyDirs(io.env, io.cwd));
  const byId = new Map(sources.map((source) => [source.id, source]));
  return {
    set: buildPolicySet(only === undefined ? sources : withAncestors(only, byId)),
    ids: [...byId.keys()].sort(),
    files: new Map(sources.map((source) => [source.id, source.file])),
  };
}

function withAncestors(ids: Iterable<string>, byId: ReadonlyMap<string, PackSource>): PackSource[] {
  const selected = new Map<string, PackSource>();
  const queue = [...ids];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const source = byId.get(id);
    if (source === undefined || selected.has(id)) continue;
    selected.set(id, source);
    queue.push(...declaredParents(source.source, source.file));
  }
  return [...selected.values()];
}

/**
 * `metadata.inherits` of a pack. Only the top-level `metadata:` block is parsed when the pack is block YAML
 * (as all bundled packs are); anything else is parsed whole.
 */
export function declaredParents(source: string, file: string): string[] {
  const block = /^metadata:[^\n]*\n(?:(?:[ \t][^\n]*|#[^\n]*)?\n)*/m.exec(source)?.[0];
  const document =
    (block === undefined ? undefined : parsePack(block, file).document) ?? parsePack(source, file).document;
  const metadata = document?.['metadata'];
  const inherits =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
      ? metadata['inherits']
      : undefined;
  if (typeof inherits === 'string') return [inherits];
  return Array.isArray(inherits)
    ? inherits.filter((parent): parent is string => typeof parent === 'string')
    : [];
}

/** Reads `--policy <file>` as a pack source; its id is metadata.id, else the folder or file name. */
export function readPolicyFile(io: CliIo, path: string): Outcome<PackSource> {
  const text = readTextFile(io, path, 'policy file');
  if (!text.ok) return text;
  const file = resolve(io.cwd, path);
  const id = basename(file) === 'policy.yaml' ? basename(dirname(file)) : basename(file, extname(file));
  return { ok: true, value: { id, file: path, source: text.value } };
}

/**
 * Adds `--policy file.yaml|json` (e.g. upstream's compiled policy) to the set and makes it the default pack,
 * as upstream's Go runtime does with `--policy compiled.json`.
 */
export function addPolicyFile(set: PolicySet, source: PackSource): Outcome<PolicySet> {
  const result = withExtraPack(set, source, true);
  if (!result.ok) return { ok: false, message: `invalid policy file: ${result.error.message}` };
  return { ok: true, value: result.value };
}
