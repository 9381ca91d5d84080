/**
 * Build-time pieces of the sandbox page (sandbox/vite.config.ts; decision 0025):
 * - `virtual:cavra-parsed-packs`: the bundled packs parsed and validated at build time by the engine's own
 *   parsePack (scripts/embedded-packs.mjs), so the page compiles them with `buildPolicySetFromParsed` and ships
 *   neither the YAML parser nor the JSON-schema validator;
 * - zod's locale table reduced to English: the API's `z` namespace import keeps every export of zod alive, and
 *   with it ~45 languages of error messages (~160 KB of JS) nobody in the page selects (zod sets English itself).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
// @ts-expect-error -- a plain ESM build script without type declarations (shared with the CLI build).
import { parsedBundledPacks as parsedBundledPacksUntyped } from '../../scripts/embedded-packs.mjs';
import type { ParsedPackSource } from '../../src/engine';

const parsedBundledPacks = parsedBundledPacksUntyped as (root: string) => Promise<ParsedPackSource[]>;

const PACKS_ID = 'virtual:cavra-parsed-packs';
const ZOD_LOCALES_ID = '\0cavra-zod-locales-en';

/** The packs of `<root>/policies`, parsed at build time, as the module `virtual:cavra-parsed-packs`. */
export function parsedPacksPlugin(root: string): Plugin {
  return {
    name: 'cavra-parsed-packs',
    resolveId: (id) => (id === PACKS_ID ? `\0${PACKS_ID}` : undefined),
    load: async (id) => {
      if (id !== `\0${PACKS_ID}`) return undefined;
      const packs = await parsedBundledPacks(root);
      return `export const PARSED_PACKS = JSON.parse(${JSON.stringify(JSON.stringify(packs))});\n`;
    },
  };
}

/** Resolves zod's `locales/index.js` to a module exporting only `en` (the locale zod installs by default). */
export function zodEnglishOnlyPlugin(root: string): Plugin {
  const require = createRequire(join(root, 'package.json'));
  const english = join(dirname(require.resolve('zod/package.json')), 'v4', 'locales', 'en.js').replaceAll(
    '\\',
    '/',
  );
  return {
    name: 'cavra-zod-english-only',
    enforce: 'pre',
    resolveId: (source, importer) =>
      source === '../locales/index.js' && importer?.replaceAll('\\', '/').includes('/node_modules/zod/')
        ? ZOD_LOCALES_ID
        : undefined,
    load: (id) =>
      id === ZOD_LOCALES_ID ? `export { default as en } from ${JSON.stringify(english)};\n` : undefined,
  };
}
