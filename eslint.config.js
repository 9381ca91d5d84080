// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Layer boundaries from ARCHITECTURE.md ("Dependency rules"), enforced on import specifiers.
 * Each entry lists the layers a folder must NOT import. Folder names are unique top-level layer names,
 * so a specifier that walks into one of them (`../store/x`, `../../api`) is caught by the regex.
 */
const LAYERS = ['engine', 'evidence', 'store', 'api', 'console', 'cli', 'server', 'integrations', 'sandbox'];
/** @type {Record<string, string[]>} allowed dependencies per layer */
const ALLOWED = {
  engine: [],
  evidence: ['engine'],
  store: ['engine', 'evidence'],
  api: ['engine', 'evidence', 'store'],
  integrations: ['engine', 'evidence', 'store'],
  cli: ['engine', 'evidence', 'store', 'api', 'integrations', 'server'],
  server: ['engine', 'evidence', 'store', 'api', 'integrations'],
  console: ['engine'],
  sandbox: ['console', 'api', 'store', 'engine', 'evidence'],
};
/** Layers that live outside src/ (their imports of layers read `../../src/<layer>`). */
/** @type {Record<string, string>} */
const LAYER_DIRS = { sandbox: 'sandbox' };
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/** Layers that must run in a browser as well as Node: no Node built-ins. */
const PURE = new Set(['engine', 'evidence', 'store', 'api', 'console', 'sandbox']);
/** Files inside a pure layer that run on Node only: the store's Node drivers (chosen by Node callers) and test support. */
/** @type {Record<string, string[]>} */
const NODE_FILES = {
  store: [
    'src/store/drivers/better-sqlite3.ts',
    'src/store/drivers/postgres.ts',
    'src/store/drivers/open.ts',
    'src/store/drivers/node-crypto.ts',
    'src/store/drivers/sqlite-append-writer.ts',
    'src/store/drivers/sqlite-append-worker.ts',
    'src/store/drivers/sqlite-hash-worker.ts',
    'src/store/drivers/sqlite-hash-range.ts',
    'src/store/drivers/sqlite-hasher.ts',
    'src/store/drivers/worker-module.ts',
    'src/store/contract/**',
  ],
  sandbox: ['sandbox/node/**', 'sandbox/vite.config.ts'],
};
/** @type {Record<string, { name: string, message: string }[]>} extra forbidden packages per layer */
const FORBIDDEN_PACKAGES = {
  store: ['better-sqlite3', 'pg'].map((name) => ({
    name,
    message:
      'src/store core runs in the browser too: Node database drivers live in src/store/drivers (0008).',
  })),
};
/** @type {Record<string, { regex: string, message: string }[]>} extra forbidden specifiers per layer */
const FORBIDDEN_PATTERNS = {
  sandbox: [
    {
      regex: '(^|/)store/drivers/(?!sql-js$)',
      message: 'the sandbox runs the API over the sql.js driver only (ARCHITECTURE.md).',
    },
  ],
  api: [
    {
      regex: '(^|/)store/drivers(/|$)',
      message:
        'src/api never imports a store driver: the caller (server, cli, sandbox) chooses one (ARCHITECTURE.md).',
    },
  ],
};

/**
 * Layer names a layer also uses for its own sub-folders: the console's features keep their fetchers in
 * `features/<f>/api/` (STYLE.md §6), so inside the console `../api/x` is that folder; reaching src/api takes at
 * least two `../` (checked below), except from the console's top-level files, which keep the strict rule.
 * @type {Record<string, string[]>}
 */
const SUBFOLDER_NAMES = { console: ['api'] };

const boundaryConfigs = Object.entries(ALLOWED).flatMap(([layer, allowed]) => {
  const forbidden = LAYERS.filter((l) => l !== layer && !allowed.includes(l));
  const message = `${LAYER_DIRS[layer] ?? `src/${layer}`} may depend only on: ${allowed.join(', ') || 'nothing'} (ARCHITECTURE.md).`;
  const prefix = layer in LAYER_DIRS ? '(src/)?' : '';
  const strictPatterns = [
    { regex: `^\\.\\.?/(\\.\\./)*${prefix}(${forbidden.join('|')})(/|$)`, message },
    ...(FORBIDDEN_PATTERNS[layer] ?? []),
  ];
  const subfolders = (SUBFOLDER_NAMES[layer] ?? []).filter((name) => forbidden.includes(name));
  const patterns =
    subfolders.length === 0
      ? strictPatterns
      : [
          {
            regex: `^\\.\\.?/(\\.\\./)*${prefix}(${forbidden.filter((l) => !subfolders.includes(l)).join('|')})(/|$)`,
            message,
          },
          { regex: `^\\.\\./(\\.\\./)+${prefix}(${subfolders.join('|')})(/|$)`, message },
          ...(FORBIDDEN_PATTERNS[layer] ?? []),
        ];
  const builtins = nodeBuiltins.map((name) => ({
    name,
    message: `src/${layer} runs in the browser too: no Node built-ins.`,
  }));
  const nodeFiles = NODE_FILES[layer] ?? [];
  /** @param {string[]} files @param {string[]} ignores @param {boolean} isPure @param {typeof patterns} [filePatterns] */
  const config = (files, ignores, isPure, filePatterns = patterns) => ({
    files,
    ignores: ['**/*.test.ts', '**/*.test.tsx', ...ignores],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: isPure ? [...builtins, ...(FORBIDDEN_PACKAGES[layer] ?? [])] : [], patterns: filePatterns },
      ],
    },
  });
  const dir = LAYER_DIRS[layer] ?? `src/${layer}`;
  const layerFiles = [`${dir}/**/*.ts`, `${dir}/**/*.tsx`];
  return [
    config(layerFiles, nodeFiles, PURE.has(layer)),
    ...(nodeFiles.length > 0 ? [config(nodeFiles, [], false)] : []),
    ...(subfolders.length > 0
      ? [config([`${dir}/*.ts`, `${dir}/*.tsx`], [], PURE.has(layer), strictPatterns)]
      : []),
  ];
});

/** Exported so a test can prove the boundaries reject what ARCHITECTURE.md forbids (test/lint). */
export { boundaryConfigs };

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage', '.cavra', 'bin/**', 'scripts/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: [
          './tsconfig.json',
          './sandbox/tsconfig.json',
          './src/console/tsconfig.json',
          './e2e/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'No `export *`: name what a module exports (STYLE.md).',
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The console's React rules (hooks order, exhaustive deps, the React Compiler's purity checks).
    files: ['src/console/**/*.tsx', 'src/console/**/*.ts'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  ...boundaryConfigs,
  {
    // The engine is deterministic: time and randomness are inputs (context), never read directly.
    files: ['src/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'engine: the clock is an input (DecisionContext.now).' },
        { name: 'process', message: 'engine: no Node globals.' },
        { name: 'crypto', message: 'engine: ids come from DecisionContext.newId.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'engine: randomness is an input (DecisionContext).' },
      ],
    },
  },
);
