import {
  parsePack,
  withExtraPack,
  type CompiledPack,
  type JsonObject,
  type JsonValue,
  type PolicyDiagnostic,
  type PolicySet,
} from '../engine';
import { HELP_OPTION, parseCommandArgs } from './args';
import { readTextFile } from './context';
import { POLICY_SUBCOMMAND_HELP } from './help';
import { EXIT, printJson, usageError, type CliIo } from './io';
import { pickPack } from './policy';
import { formatDiagnostic } from './policy-validate';

const OPTIONS = { ...HELP_OPTION, overlay: { type: 'string', multiple: true } } as const;

type Merged = { set: PolicySet; pack: CompiledPack; id: string };

/**
 * `cavra policy compile <id> [--overlay file]…`: the pack merged with its parents, then with each overlay
 * in order (upstream §4.5: lists concatenated, de-duplicated and sorted; scalars from the overlay win),
 * printed as JSON. Exit 1 when an overlay is invalid.
 */
export function runCompile(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy compile');
  if (parsed.values.help === true) {
    io.stdout(POLICY_SUBCOMMAND_HELP.compile);
    return EXIT.ok;
  }
  const picked = pickPack(io, parsed.positionals, 'policy compile');
  if (typeof picked === 'number') return picked;
  const base = picked.pack;
  let merged: Merged = { set: picked.loaded.set, pack: base, id: base.id };
  for (const [index, file] of (parsed.values.overlay ?? []).entries()) {
    const text = readTextFile(io, file, 'overlay file');
    if (!text.ok) return usageError(io, text.message, 'policy compile');
    const parsedOverlay = parsePack(text.value, file);
    const problems = overlayDiagnostics(parsedOverlay.diagnostics);
    for (const problem of problems) io.stderr(`${formatDiagnostic(problem)}\n`);
    if (parsedOverlay.document === undefined || problems.some((d) => d.severity === 'error')) {
      io.stderr(`cavra: invalid overlay '${file}': fix the errors above\n`);
      return EXIT.failed;
    }
    const applied = applyOverlay(merged, parsedOverlay.document, file, index);
    if (typeof applied === 'string') {
      io.stderr(`cavra: invalid overlay '${file}': ${applied}\n`);
      return EXIT.failed;
    }
    merged = applied;
  }
  printJson(io, merged.pack === base ? base.document : finalMetadata(merged, base));
  return EXIT.ok;
}

/** Problems an overlay may have on its own: overlays need not carry a complete `metadata` section. */
function overlayDiagnostics(diagnostics: readonly PolicyDiagnostic[]): PolicyDiagnostic[] {
  return diagnostics.filter((d) => !((d.path === '/' || d.path === '/metadata') && d.code === 'required'));
}

/**
 * Merges one overlay on top of the pack so far through the engine's own inheritance: the overlay becomes
 * a child pack (a synthetic id inheriting the pack), so merging and normalising follow the rules packs use.
 */
function applyOverlay(merged: Merged, overlay: JsonObject, file: string, index: number): Merged | string {
  const own = asObject(overlay['metadata']);
  const syntheticId = `${merged.pack.id}+overlay-${index + 1}`;
  const document: JsonObject = {
    ...overlay,
    metadata: {
      ...asObject(merged.pack.document['metadata']),
      ...own,
      id: syntheticId,
      inherits: [merged.pack.id],
    },
  };
  const result = withExtraPack(
    merged.set,
    { id: syntheticId, file, source: JSON.stringify(document) },
    false,
  );
  if (!result.ok) return result.error.message;
  const pack = result.value.packs.get(syntheticId);
  if (pack === undefined) return 'the overlay could not be merged';
  return { set: result.value, pack, id: typeof own['id'] === 'string' ? own['id'] : merged.id };
}

/**
 * The synthetic ids used while merging are internal: the output carries the base pack's `metadata.inherits`
 * and its id, unless an overlay names its own `metadata.id`.
 */
function finalMetadata(merged: Merged, base: CompiledPack): JsonObject {
  const document = merged.pack.document;
  const metadata = asObject(document['metadata']);
  const inherits = asObject(base.document['metadata'])['inherits'];
  const result: JsonObject = { ...metadata, id: merged.id };
  if (inherits === undefined) delete result['inherits'];
  else result['inherits'] = inherits;
  return { ...document, metadata: result };
}

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
