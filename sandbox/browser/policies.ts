/**
 * The bundled packs in the page: the same `policies/<id>/policy.yaml` files the server reads, parsed and
 * validated at build time by the engine's own parsePack (sandbox/node/vite-plugins.ts), compiled here. The
 * page ships neither a YAML parser nor a schema validator (decision 0025); Node reads the YAML
 * (../node/node-policies.ts), and a test checks both give the same packs and revisions.
 */
import { PARSED_PACKS } from 'virtual:cavra-parsed-packs';
import { buildPolicySetFromParsed, type ParsedPackSource, type PolicySet } from '../../src/engine';

/** Compiles every bundled pack (named as in Node: `policies/<id>/policy.yaml`). */
export function bundledPolicies(): PolicySet {
  return buildPolicySetFromParsed(PARSED_PACKS as readonly ParsedPackSource[]);
}
