/** The bundled packs, compiled in the page from the same YAML files the server reads (bundled as text). */
import { buildPolicySet, type PolicySet } from '../../src/engine';

const SOURCES = import.meta.glob<string>('../../policies/*/policy.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Compiles every bundled pack (named as in Node: `policies/<id>/policy.yaml`). */
export function bundledPolicies(): PolicySet {
  const sources = Object.entries(SOURCES)
    .map(([path, source]) => {
      const id = /policies\/([^/]+)\/policy\.yaml$/.exec(path)?.[1] ?? path;
      return { id, file: `policies/${id}/policy.yaml`, source };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return buildPolicySet(sources);
}
