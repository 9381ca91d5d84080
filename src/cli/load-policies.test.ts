import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedPackTable, packTextHash } from '../../scripts/embedded-packs.mjs';
import { parsePack } from '../engine';
import { bundledPolicyDir, packFiles, parsePackSource } from './load-policies';

const ROOT = join(import.meta.dirname, '..', '..');

describe('bundled packs embedded by the CLI build', () => {
  it('embeds every bundled pack, each exactly as the engine parses its YAML', async () => {
    const table = await embeddedPackTable(ROOT);
    const files = packFiles([bundledPolicyDir()]);
    expect(files.size).toBeGreaterThanOrEqual(20);
    expect(Object.keys(table)).toHaveLength(files.size);
    for (const [id, file] of files) {
      const text = readFileSync(file, 'utf8');
      const json = table[packTextHash(text)];
      expect(json, id).toBeDefined();
      const parsed = parsePack(text, file);
      expect(parsed.diagnostics, id).toEqual([]);
      expect(JSON.parse(json ?? 'null'), id).toEqual(parsed.document);
    }
  });

  it('keys entries by the exact text: an edited pack is not found and gets parsed (with diagnostics)', async () => {
    const table = await embeddedPackTable(ROOT);
    const file = join(bundledPolicyDir(), 'cavra-ai-agent-baseline', 'policy.yaml');
    const edited = `${readFileSync(file, 'utf8')}\nunknown_top_level_key: 1\n`;
    expect(table[packTextHash(edited)]).toBeUndefined();
    const parsed = parsePackSource({ id: 'cavra-ai-agent-baseline', file, source: edited });
    expect(parsed.diagnostics.map((d) => d.path)).toContain('/unknown_top_level_key');
    expect(parsed.document?.['unknown_top_level_key']).toBe(1);
  });
});
