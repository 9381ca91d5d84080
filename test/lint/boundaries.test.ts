import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { expect, test } from 'vitest';
// @ts-expect-error -- eslint.config.js is plain JavaScript without declarations.
import { boundaryConfigs } from '../../eslint.config.js';

/** Only the boundary rules, with a syntax-only parser, so probe files need not exist on disk. */
const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...(boundaryConfigs as []),
  ],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((message) => message.message);
}

test.each([
  ['src/engine/probe.ts', "import { x } from '../store/index';"],
  ['src/engine/probe.ts', "import { readFileSync } from 'node:fs';"],
  ['src/engine/guards/probe.ts', "import { x } from '../../evidence';"],
  ['src/evidence/probe.ts', "import { x } from '../api/app';"],
  ['src/store/probe.ts', "import Database from 'better-sqlite3';"],
  ['src/api/probe.ts', "import { openStore } from '../store/drivers/open';"],
  ['src/api/probe.ts', "import { x } from '../cli/main';"],
  ['src/console/probe.ts', "import { x } from '../store';"],
])('%s may not import: %s', async (file, code) => {
  const found = await problems(file, code);
  expect(found.length, found.join('\n')).toBeGreaterThan(0);
});

test.each([
  ['src/evidence/probe.ts', "import type { Decision } from '../engine';"],
  ['src/store/probe.ts', "import { createEntry } from '../evidence';"],
  ['src/api/probe.ts', "import { createStore } from '../store';"],
  ['src/cli/probe.ts', "import { readFileSync } from 'node:fs';"],
  ['src/store/drivers/better-sqlite3.ts', "import Database from 'better-sqlite3';"],
])('%s may import: %s', async (file, code) => {
  expect(await problems(file, code)).toEqual([]);
});
