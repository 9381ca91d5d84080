import type { EngineError, JsonObject, Result } from '../types';
import { compilePack, type CompiledPack } from './compile';
import { isJsonObject, parsePack, type ParsedPack, type PolicyDiagnostic } from './document';
import { mergeChain } from './merge';

/** Source text of one pack, addressed by id (the directory name under `policies/`). */
export type PackSource = { id: string; file: string; source: string };

/** The packs a decision can name, compiled, plus the one used when a request names none. */
export type PolicySet = {
  readonly packs: ReadonlyMap<string, CompiledPack>;
  readonly defaultPack: string;
  /** Validation findings (errors make a pack unavailable; warnings do not). */
  readonly diagnostics: readonly PolicyDiagnostic[];
};

/** Upstream's default pack. */
export const DEFAULT_PACK = 'cavra-ai-agent-baseline';

/**
 * Parses, validates, resolves inheritance and compiles a set of packs. A pack with errors (its own or its
 * parents') is left out and its diagnostics kept; an inheritance cycle or an unknown parent is an error.
 */
export function buildPolicySet(sources: readonly PackSource[], defaultPack = DEFAULT_PACK): PolicySet {
  return buildPolicySetFromParsed(
    sources.map((source) => ({ id: source.id, ...parsePack(source.source, source.file) })),
    defaultPack,
  );
}

/** One pack already parsed and validated (by `parsePack`, or ahead of time for packs shipped with CAVRA). */
export type ParsedPackSource = ParsedPack & { id: string };

/**
 * `buildPolicySet` for packs parsed elsewhere: resolves inheritance and compiles. The documents must have
 * been validated against the pack schema; a pack whose diagnostics include an error is left out.
 */
export function buildPolicySetFromParsed(
  parsedPacks: readonly ParsedPackSource[],
  defaultPack = DEFAULT_PACK,
): PolicySet {
  const diagnostics: PolicyDiagnostic[] = [];
  const documents = new Map<string, { file: string; document: JsonObject }>();
  for (const parsed of parsedPacks) {
    diagnostics.push(...parsed.diagnostics);
    if (parsed.document !== undefined && !parsed.diagnostics.some((d) => d.severity === 'error')) {
      documents.set(parsed.id, { file: parsed.file, document: parsed.document });
    }
  }
  const packs = new Map<string, CompiledPack>();
  for (const id of documents.keys()) {
    const chain = resolveChain(id, documents);
    if (!chain.ok) {
      const file = documents.get(id)?.file ?? id;
      diagnostics.push({
        severity: 'error',
        file,
        line: 1,
        column: 1,
        path: '/metadata/inherits',
        message: chain.error.message,
      });
      continue;
    }
    const { document, origins } = mergeChain(
      chain.value.map((packId) => ({ id: packId, document: documents.get(packId)?.document ?? {} })),
    );
    packs.set(id, compilePack(id, document, origins, chain.value.slice(0, -1).reverse()));
  }
  return { packs, defaultPack, diagnostics };
}

/** Adds already-parsed documents (e.g. a `--policy compiled.json`) on top of an existing set. */
export function withExtraPack(set: PolicySet, source: PackSource, makeDefault: boolean): Result<PolicySet> {
  const parsed = parsePack(source.source, source.file);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (parsed.document === undefined || errors.length > 0) {
    const first = errors[0];
    const where = first === undefined ? source.file : `${first.file}:${first.line}:${first.column}`;
    return {
      ok: false,
      error: { code: 'invalid_policy', message: `${where}: ${first?.message ?? 'invalid policy'}` },
    };
  }
  const metadata = parsed.document['metadata'];
  const id = isJsonObject(metadata) && typeof metadata['id'] === 'string' ? metadata['id'] : source.id;
  const documents = new Map<string, { file: string; document: JsonObject }>();
  for (const [packId, pack] of set.packs) documents.set(packId, { file: packId, document: pack.document });
  documents.set(id, { file: source.file, document: parsed.document });
  const chain = resolveChain(id, documents);
  if (!chain.ok) return chain;
  const { document, origins } = mergeChain(
    chain.value.map((packId) => ({ id: packId, document: documents.get(packId)?.document ?? {} })),
  );
  const packs = new Map(set.packs);
  packs.set(id, compilePack(id, document, origins, chain.value.slice(0, -1).reverse()));
  return {
    ok: true,
    value: {
      packs,
      defaultPack: makeDefault ? id : set.defaultPack,
      diagnostics: [...set.diagnostics, ...parsed.diagnostics],
    },
  };
}

/** Parents first (depth-first, in declared order), each pack once, the pack itself last. */
function resolveChain(
  id: string,
  documents: ReadonlyMap<string, { document: JsonObject }>,
): Result<string[]> {
  const order: string[] = [];
  const visiting: string[] = [];
  const visit = (packId: string): EngineError | undefined => {
    if (order.includes(packId)) return undefined;
    if (visiting.includes(packId)) {
      return {
        code: 'policy_inheritance_cycle',
        message: `inheritance cycle: ${[...visiting, packId].join(' → ')}`,
      };
    }
    const entry = documents.get(packId);
    if (entry === undefined) {
      return {
        code: 'unknown_policy_pack',
        message: `pack '${visiting[visiting.length - 1] ?? id}' inherits unknown pack '${packId}'`,
        choices: [...documents.keys()].sort(),
      };
    }
    visiting.push(packId);
    for (const parent of parentsOf(entry.document)) {
      const error = visit(parent);
      if (error !== undefined) return error;
    }
    visiting.pop();
    order.push(packId);
    return undefined;
  };
  const error = visit(id);
  return error === undefined ? { ok: true, value: order } : { ok: false, error };
}

function parentsOf(document: JsonObject): string[] {
  const metadata = document['metadata'];
  const inherits = isJsonObject(metadata) ? metadata['inherits'] : undefined;
  if (typeof inherits === 'string') return [inherits];
  return Array.isArray(inherits) ? inherits.filter((item): item is string => typeof item === 'string') : [];
}
