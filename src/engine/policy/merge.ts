import type { JsonObject, JsonValue } from '../types';
import { isJsonObject } from './document';

/** Which pack first declared each list entry: `origins.get('commands.block')?.get('terraform apply*')`. */
export type Origins = Map<string, Map<string, string>>;

/** Lists sorted after merging (upstream's normalisation), so the first matching pattern is stable. */
const SORTED_SECTIONS = new Set(['filesystem', 'commands']);
const SORTED_MCP_KEYS = new Set(['allowed_servers', 'blocked_servers']);

/**
 * Merges an inheritance chain (parents first, the pack itself last) as upstream does: mappings merge
 * recursively, lists concatenate (parent first) and drop duplicates, scalars from later packs win, nulls are
 * skipped. `metadata.inherits` is the child's own. Then filesystem/commands lists and the MCP server lists are
 * sorted by code point.
 */
export function mergeChain(chain: readonly { id: string; document: JsonObject }[]): {
  document: JsonObject;
  origins: Origins;
} {
  const origins: Origins = new Map();
  let merged: JsonObject = {};
  for (const { id, document } of chain) {
    // INVARIANT: inline tests belong to the pack that declares them; a child's stricter rules would fail its
    // parents' expectations, so `tests` is never inherited.
    const { tests: _tests, ...rules } = document;
    merged = mergeObjects(merged, rules, id, '', origins);
  }
  const child = chain[chain.length - 1]?.document;
  if (child?.['tests'] !== undefined) merged['tests'] = child['tests'];
  const metadata = merged['metadata'];
  if (isJsonObject(metadata) && isJsonObject(child?.['metadata'])) {
    const inherits = child['metadata']['inherits'];
    if (inherits === undefined) delete metadata['inherits'];
    else metadata['inherits'] = inherits;
  }
  return { document: normalize(merged), origins };
}

function mergeObjects(
  base: JsonObject,
  over: JsonObject,
  pack: string,
  path: string,
  origins: Origins,
): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) continue;
    const keyPath = path === '' ? key : `${path}.${key}`;
    const existing = out[key];
    if (Array.isArray(value)) {
      out[key] = concatUnique(Array.isArray(existing) ? existing : [], value, pack, keyPath, origins);
    } else if (isJsonObject(value) && isJsonObject(existing)) {
      out[key] = mergeObjects(existing, value, pack, keyPath, origins);
    } else if (isJsonObject(value)) {
      out[key] = mergeObjects({}, value, pack, keyPath, origins);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function concatUnique(
  base: JsonValue[],
  extra: JsonValue[],
  pack: string,
  path: string,
  origins: Origins,
): JsonValue[] {
  const seen = new Set(base.map((item) => JSON.stringify(item)));
  let byValue = origins.get(path);
  if (byValue === undefined) {
    byValue = new Map();
    origins.set(path, byValue);
  }
  const out = [...base];
  for (const item of extra) {
    const key = JSON.stringify(item);
    if (typeof item === 'string' && !byValue.has(item)) byValue.set(item, pack);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

function normalize(document: JsonObject): JsonObject {
  for (const [section, value] of Object.entries(document)) {
    if (!isJsonObject(value)) continue;
    for (const [key, list] of Object.entries(value)) {
      const sorted = SORTED_SECTIONS.has(section) || (section === 'mcp' && SORTED_MCP_KEYS.has(key));
      if (sorted && Array.isArray(list) && list.every((item) => typeof item === 'string')) {
        value[key] = [...list].sort(compareCodePoints);
      }
    }
  }
  return document;
}

/** Python's default string ordering (by code point), which differs from `localeCompare`. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
