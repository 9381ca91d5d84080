/**
 * The page compiles packs parsed at build time (sandbox/node/vite-plugins.ts); Node parses the YAML. Both must
 * give the same packs, revisions and diagnostics, or the page would decide differently from the server.
 */
import { expect, test } from 'vitest';
// @ts-expect-error -- a plain ESM build script without type declarations (shared with the CLI build).
import { parsedBundledPacks as parsedBundledPacksUntyped } from '../../scripts/embedded-packs.mjs';
import { buildPolicySetFromParsed, type ParsedPackSource } from '../../src/engine';
import { readBundledPolicies } from './node-policies';
import { ROOT } from './open-node-sandbox';

const parsedBundledPacks = parsedBundledPacksUntyped as (root: string) => Promise<ParsedPackSource[]>;

/** Compiled packs hold matchers (RegExps, functions): compare their source. */
function serialise(_key: string, value: unknown): unknown {
  return value instanceof RegExp || typeof value === 'function' ? String(value) : value;
}

test('pre-parsed packs compile to the same packs, revisions and diagnostics as the YAML', async () => {
  const parsed = await parsedBundledPacks(ROOT);
  const page = buildPolicySetFromParsed(JSON.parse(JSON.stringify(parsed)) as ParsedPackSource[]);
  const node = readBundledPolicies(ROOT);
  expect(node.packs.size).toBeGreaterThan(10);
  expect([...page.packs.keys()]).toEqual([...node.packs.keys()]);
  for (const [id, pack] of node.packs) {
    expect(page.packs.get(id)?.revision, id).toBe(pack.revision);
    expect(page.packs.get(id)?.document, id).toEqual(pack.document);
    expect(JSON.stringify(page.packs.get(id), serialise), id).toBe(JSON.stringify(pack, serialise));
  }
  expect(page.defaultPack).toBe(node.defaultPack);
  expect(page.diagnostics).toEqual(node.diagnostics);
});
