// esbuild plugin for the CLI bundle: the pack schema's validator is compiled at build time (Ajv standalone
// code) instead of at every `cavra` start, where compiling it and loading Ajv cost about a third of a
// cold hook (docs/decisions/0018-agent-hooks.md). The engine's `import { Ajv2020 } from 'ajv/dist/2020.js'`
// gets a stand-in whose compile() returns the precompiled validator for that schema with those options, and
// falls back to real Ajv (not bundled: loaded from node_modules only then) for anything else, so behaviour cannot drift from the source.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The options src/engine/policy/document.ts compiles the schema with; any other options fall back. */
const ENGINE_OPTIONS = { allErrors: true, strict: false };

/** @param {string} root the repository root @returns {import('esbuild').Plugin} */
export function precompiledPolicySchema(root) {
  const schemaPath = join(root, 'policies', 'policy.schema.json');
  return {
    name: 'cavra-precompiled-policy-schema',
    setup(build) {
      build.onResolve({ filter: /^ajv\/dist\/2020(\.js)?$/ }, (args) =>
        args.importer.endsWith(join('src', 'engine', 'policy', 'document.ts'))
          ? { path: 'ajv-2020-precompiled', namespace: 'cavra-precompiled' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'cavra-precompiled' }, () => {
        const { Ajv2020 } = require('ajv/dist/2020.js');
        const standaloneCode = require('ajv/dist/standalone/index.js').default;
        const schema = require(schemaPath);
        const ajv = new Ajv2020({ ...ENGINE_OPTIONS, code: { source: true, esm: true } });
        const code = standaloneCode(ajv, ajv.compile(schema));
        // The root validator is the one the standalone module exports.
        const exported = /export const validate = (validate\d+);export default validate\d+;/.exec(code);
        const name = exported?.[1];
        if (exported === null || name === undefined)
          throw new Error('unexpected Ajv standalone output: no export');
        const validator = code.replace(/^"use strict";/, '').replace(exported[0], '');
        return {
          resolveDir: root,
          loader: 'js',
          contents: `${validator}
import policySchema from ${JSON.stringify(schemaPath)};
const OPTIONS = ${JSON.stringify(JSON.stringify(ENGINE_OPTIONS))};
export class Ajv2020 {
  constructor(options = {}) { this.options = options; }
  compile(schema) {
    if (schema === policySchema && JSON.stringify(this.options) === OPTIONS) return ${name};
    // Not bundled: loaded from node_modules at run time, through the bundle's createRequire (build-cli.mjs).
    const load = require;
    const { Ajv2020: RealAjv2020 } = load('ajv/dist/2020.js');
    return new RealAjv2020(this.options).compile(schema);
  }
}
`,
        };
      });
    },
  };
}
