#!/usr/bin/env node
// Launcher for `cavra` / `npx cavra`. Runs the prebuilt bundle; builds it first when it is missing
// (for example when install scripts were skipped), so a fresh clone works right after `npm ci`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli/cavra.mjs', import.meta.url);

if (!existsSync(fileURLToPath(bundle))) {
  try {
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `cavra: the CLI bundle dist/cli/cavra.mjs is missing and could not be built (${detail}); ` +
        'run `npm ci` (with dev dependencies) or `npm run build:cli` in the cavra checkout\n',
    );
    process.exit(2);
  }
}

await import(bundle.href);
