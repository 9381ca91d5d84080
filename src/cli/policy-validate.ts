import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { buildPolicySet, parsePack, type PackSource, type PolicyDiagnostic } from '../engine';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath, readTextFile, type Outcome } from './context';
import { POLICY_SUBCOMMAND_HELP } from './help';
import { EXIT, printLine, usageError, type CliIo } from './io';
import { policyDirs, readPackSources } from './load-policies';
import { isRecord } from './registry';

/** `file:line:column: message` for errors, `file:line:column: warning: message` for warnings. */
export function formatDiagnostic(d: PolicyDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/**
 * `cavra policy validate <path>`: checks a pack file or a folder of packs against the schema, with
 * inheritance resolved against the other visible packs. Exit 1 when any pack has errors.
 */
export function runValidate(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, HELP_OPTION);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy validate');
  if (parsed.values.help === true) {
    io.stdout(POLICY_SUBCOMMAND_HELP.validate);
    return EXIT.ok;
  }
  const [path, extra] = parsed.positionals;
  if (path === undefined)
    return usageError(io, 'missing <path>: give a policy.yaml file or a folder of packs', 'policy validate');
  if (extra !== undefined)
    return usageError(io, `unexpected argument '${extra}': validate one path at a time`, 'policy validate');
  const sources = collectSources(io, path);
  if (!sources.ok) return usageError(io, sources.message, 'policy validate');
  const ids = new Set(sources.value.map((source) => source.id));
  const context = readPackSources(policyDirs(io.env, io.cwd)).filter((source) => !ids.has(source.id));
  const set = buildPolicySet([...context, ...sources.value]);
  let invalid = 0;
  for (const source of sources.value) {
    const diagnostics = [...set.diagnostics.filter((d) => d.file === source.file), ...idWarnings(source)];
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const diagnostic of diagnostics) printLine(io, formatDiagnostic(diagnostic));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (errors === 0 && set.packs.has(source.id)) {
      printLine(io, `valid ${source.id}`);
    } else {
      invalid += 1;
      printLine(io, `invalid ${source.id} (${errors} error${errors === 1 ? '' : 's'})`);
    }
  }
  if (sources.value.length > 1) {
    printLine(
      io,
      `\n${sources.value.length} packs: ${sources.value.length - invalid} valid, ${invalid} invalid`,
    );
  }
  return invalid === 0 ? EXIT.ok : EXIT.failed;
}

/** The packs at `path`: one file, a pack folder (`<dir>/policy.yaml`) or a folder of pack folders. */
function collectSources(io: CliIo, path: string): Outcome<PackSource[]> {
  const absolute = resolve(io.cwd, path);
  if (!existsSync(absolute)) return { ok: false, message: `no such file or folder: '${path}'` };
  const display = (file: string): string => displayPath(io, file);
  if (statSync(absolute).isDirectory()) {
    const own = join(absolute, 'policy.yaml');
    const found = existsSync(own)
      ? [{ id: basename(absolute), file: own, source: '' }]
      : readPackSources([absolute]);
    if (found.length === 0) {
      return { ok: false, message: `no packs in '${path}': expected ${join(path, '<id>', 'policy.yaml')}` };
    }
    return readAll(
      io,
      found.map((source) => ({ id: source.id, file: display(source.file) })),
    );
  }
  const text = readTextFile(io, path, 'pack file');
  if (!text.ok) return text;
  return {
    ok: true,
    value: [{ id: fileId(absolute, text.value), file: display(absolute), source: text.value }],
  };
}

function readAll(io: CliIo, packs: { id: string; file: string }[]): Outcome<PackSource[]> {
  const sources: PackSource[] = [];
  for (const pack of packs) {
    const text = readTextFile(io, pack.file, 'pack file');
    if (!text.ok) return text;
    sources.push({ ...pack, source: text.value });
  }
  return { ok: true, value: sources };
}

/** A pack's id: its folder for `<id>/policy.yaml` (how packs are looked up), else metadata.id, else the name. */
function fileId(file: string, source: string): string {
  if (basename(file) === 'policy.yaml') return basename(dirname(file));
  const metadata = parsePack(source, file).document?.['metadata'];
  const id = isRecord(metadata) ? metadata['id'] : undefined;
  return typeof id === 'string' && id !== '' ? id : basename(file, extname(file));
}

/** Warns when metadata.id and the folder name differ: packs are looked up by folder, so the id would lie. */
function idWarnings(source: PackSource): PolicyDiagnostic[] {
  if (basename(source.file) !== 'policy.yaml') return [];
  const metadata = parsePack(source.source, source.file).document?.['metadata'];
  const id = isRecord(metadata) ? metadata['id'] : undefined;
  if (typeof id !== 'string' || id === source.id) return [];
  const lines = source.source.split('\n');
  const index = lines.findIndex((line) => /^\s+id\s*:/.test(line));
  return [
    {
      severity: 'warning',
      file: source.file,
      line: index + 1 || 1,
      column: (lines[index]?.search(/\S/) ?? 0) + 1,
      path: '/metadata/id',
      message: `metadata.id '${id}' differs from the folder name '${source.id}'; the pack is looked up as '${source.id}': rename one`,
    },
  ];
}
