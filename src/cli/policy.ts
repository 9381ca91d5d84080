import type { CompiledPack, PolicyDiagnostic, PolicySet } from '../engine';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath, loadPolicies, type LoadedPolicies } from './context';
import { unknownPackMessage } from './engine-setup';
import { runExplain } from './evaluate';
import { renderTable, type Cell } from './format';
import { POLICY_HELP, POLICY_SUBCOMMAND_HELP } from './help';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';
import { runCompile } from './policy-compile';
import { runPolicyTest } from './policy-test';
import { formatDiagnostic, runValidate } from './policy-validate';

const SUBCOMMANDS = ['list', 'describe', 'validate', 'compile', 'test', 'explain'] as const;

/** `cavra policy <subcommand> …`. */
export function runPolicy(args: string[], io: CliIo): number {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    (subcommand === undefined ? io.stderr : io.stdout)(POLICY_HELP);
    return subcommand === undefined ? EXIT.usage : EXIT.ok;
  }
  switch (subcommand) {
    case 'list':
      return runList(rest, io);
    case 'describe':
      return runDescribe(rest, io);
    case 'validate':
      return runValidate(rest, io);
    case 'compile':
      return runCompile(rest, io);
    case 'test':
      return runPolicyTest(rest, io);
    case 'explain':
      return runExplain(rest, io);
    default:
      return usageError(
        io,
        `unknown policy subcommand '${subcommand}': use one of ${SUBCOMMANDS.join(', ')}`,
        'policy',
      );
  }
}

const JSON_OPTIONS = { ...HELP_OPTION, json: { type: 'boolean' } } as const;

/** Rule counts by family, from the compiled lists (after inheritance). */
function ruleCounts(pack: CompiledPack): { files: number; commands: number; mcp: number } {
  const { filesystem: fs, commands: cmd, mcp } = pack;
  return {
    files: fs.blockRead.patterns.length + fs.blockWrite.patterns.length + fs.approvalWrite.patterns.length,
    commands: cmd.block.patterns.length + cmd.allow.patterns.length + cmd.approval.patterns.length,
    mcp: mcp.allowed.length + mcp.blocked.length,
  };
}

function runList(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, JSON_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy list');
  if (parsed.values.help === true) return policyHelp(io, 'list');
  if (parsed.positionals.length > 0)
    return usageError(io, `unexpected argument '${parsed.positionals[0] ?? ''}'`, 'policy list');
  const { set, files } = loadPolicies(io);
  const packs = [...set.packs.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (parsed.values.json === true) {
    printJson(
      io,
      packs.map((pack) => ({
        id: pack.id,
        title: pack.title,
        version: pack.version,
        description: pack.description,
        inherits: pack.inherits,
        revision: pack.revision,
        file: files.get(pack.id) ?? null,
        rules: ruleCounts(pack),
        tests: pack.tests.length,
        is_default: pack.id === set.defaultPack,
      })),
    );
  } else {
    const rows: Cell[][] = [['id', 'version', 'files', 'commands', 'mcp', 'tests', 'inherits', 'title']];
    for (const pack of packs) {
      const counts = ruleCounts(pack);
      rows.push([
        pack.id === set.defaultPack ? `${pack.id} *` : pack.id,
        pack.version,
        String(counts.files),
        String(counts.commands),
        String(counts.mcp),
        String(pack.tests.length),
        pack.inherits.join(', ') || '-',
        pack.title,
      ]);
    }
    io.stdout(renderTable(rows, { color: shouldColor(io), header: true }));
    io.stdout(`\n${packs.length} packs (* default). rule counts include inherited rules.\n`);
  }
  reportLoadProblems(io, set);
  return EXIT.ok;
}

/** Packs that failed to load, on stderr (only `list` and `validate` show pack diagnostics). */
function reportLoadProblems(io: CliIo, set: PolicySet): void {
  const problems: PolicyDiagnostic[] = set.diagnostics.filter((d) => d.severity === 'error');
  if (problems.length === 0) return;
  io.stderr(
    `cavra: ${problems.length} problem${problems.length === 1 ? '' : 's'} kept packs from loading:\n`,
  );
  for (const diagnostic of problems) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
}

function runDescribe(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, JSON_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy describe');
  if (parsed.values.help === true) return policyHelp(io, 'describe');
  const picked = pickPack(io, parsed.positionals, 'policy describe');
  if (typeof picked === 'number') return picked;
  const { pack, loaded } = picked;
  const { files } = loaded;
  if (parsed.values.json === true) {
    const { document, ...rest } = pack;
    printJson(io, {
      id: rest.id,
      title: rest.title,
      description: rest.description,
      version: rest.version,
      revision: rest.revision,
      file: files.get(pack.id) ?? null,
      inherits: rest.inherits,
      tests: rest.tests.length,
      document,
    });
    return EXIT.ok;
  }
  const file = files.get(pack.id);
  io.stdout(describePack(pack, file === undefined ? undefined : displayPath(io, file), shouldColor(io)));
  return EXIT.ok;
}

function describePack(pack: CompiledPack, file: string | undefined, color: boolean): string {
  const header = renderTable(
    [
      ['id', pack.id],
      ['title', pack.title],
      ['description', pack.description],
      ['version', pack.version],
      ['revision', pack.revision],
      ['file', file ?? '(given on the command line)'],
      ['inherits', [pack.id, ...pack.inherits].join(' ← ')],
      ['tests', String(pack.tests.length)],
    ],
    { color },
  );
  const sections: [string, readonly { pattern: string; pack: string }[]][] = [
    ['filesystem.block_read', pack.filesystem.blockRead.patterns],
    ['filesystem.block_write', pack.filesystem.blockWrite.patterns],
    ['filesystem.require_approval_write', pack.filesystem.approvalWrite.patterns],
    ['commands.block', pack.commands.block.patterns],
    ['commands.require_approval', pack.commands.approval.patterns],
    ['commands.allow', pack.commands.allow.patterns],
    ['mcp.allowed_servers', pack.mcp.allowed],
    ['mcp.blocked_servers', pack.mcp.blocked],
  ];
  const parts = [header];
  for (const [name, patterns] of sections) {
    if (patterns.length === 0) continue;
    const rows: Cell[][] = patterns.map((p) => [
      p.pattern,
      p.pack === pack.id ? '' : { text: `from ${p.pack}`, color: 'dim' },
    ]);
    parts.push(`\n${name} (${patterns.length})\n${renderTable(rows, { color, indent: '  ' })}`);
  }
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  const settings = renderTable(
    [
      ['git.protected_branches', pack.git.protectedBranches.join(', ') || '-'],
      ['git.block_direct_push_to_protected_branch', yesNo(pack.git.blockProtectedPush)],
      ['git.block_force_push', yesNo(pack.git.blockForcePush)],
      ['mcp.block_unknown_servers', yesNo(pack.mcp.blockUnknown)],
      [
        'commands.remote_code_execution',
        pack.commands.blockRemoteCodeExecution ? 'block (built-in rule)' : 'allow',
      ],
    ],
    { color, indent: '  ' },
  );
  parts.push(`\nsettings\n${settings}`);
  return parts.join('');
}

/** The pack named by the single positional argument, or the exit code of the usage error. */
export function pickPack(
  io: CliIo,
  positionals: string[],
  command: string,
): { pack: CompiledPack; loaded: LoadedPolicies } | number {
  const [id, extra] = positionals;
  if (id === undefined) {
    return usageError(io, `missing <id>: use one of ${loadPolicies(io, []).ids.join(', ')}`, command);
  }
  if (extra !== undefined) return usageError(io, `unexpected argument '${extra}'`, command);
  const loaded = loadPolicies(io, [id]);
  const pack = loaded.set.packs.get(id);
  return pack === undefined ? usageError(io, unknownPackMessage(id, loaded), command) : { pack, loaded };
}

/** Prints a policy subcommand's help (exit 0). */
export function policyHelp(io: CliIo, subcommand: keyof typeof POLICY_SUBCOMMAND_HELP): number {
  io.stdout(POLICY_SUBCOMMAND_HELP[subcommand]);
  return EXIT.ok;
}
