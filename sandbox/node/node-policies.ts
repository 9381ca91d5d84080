/** The bundled packs read from `policies/` in Node (the page bundles the same files; see ../browser/policies.ts). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPolicySet, type PolicySet } from '../../src/engine';

/** Compiles every `policies/<id>/policy.yaml` under `root`. */
export function readBundledPolicies(root: string): PolicySet {
  const dir = join(root, 'policies');
  const sources = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'policy.yaml')))
    .map((entry) => {
      const file = join(dir, entry.name, 'policy.yaml');
      return {
        id: entry.name,
        file: `policies/${entry.name}/policy.yaml`,
        source: readFileSync(file, 'utf8'),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return buildPolicySet(sources);
}
