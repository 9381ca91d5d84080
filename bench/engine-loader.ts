/**
 * Loads the engine the way it ships. The CLI and server run an esbuild bundle (scripts/build-cli.mjs), but
 * under tsx every function is wrapped by esbuild's `keepNames` helper (`__name(fn, "name")`), which costs
 * time for each closure created in the hot path. So by default the benchmark bundles `src/engine` with the
 * CLI's settings into a temporary file and imports that; `--engine=source` measures the tsx-transformed
 * sources instead.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import * as sourceEngine from '../src/engine';
import { commandGuard } from '../src/engine/guards/command';
import { fileGuard } from '../src/engine/guards/file';

/** The public engine plus the two guards the time breakdown calls directly. */
export type EngineModule = typeof sourceEngine & {
  commandGuard: typeof commandGuard;
  fileGuard: typeof fileGuard;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function loadEngine(mode: 'bundle' | 'source'): Promise<EngineModule> {
  if (mode === 'source') return { ...sourceEngine, commandGuard, fileGuard };
  const outfile = join(mkdtempSync(join(tmpdir(), 'cavra-bench-')), 'engine.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents: [
        "export * from './src/engine/index';",
        "export { commandGuard } from './src/engine/guards/command';",
        "export { fileGuard } from './src/engine/guards/file';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire as __cavraCreateRequire } from 'node:module';\nconst require = __cavraCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return (await import(pathToFileURL(outfile).href)) as EngineModule;
}
