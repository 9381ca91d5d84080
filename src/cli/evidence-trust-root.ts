import { resolve } from 'node:path';
import {
  TRUST_ROOT_BUNDLE_SCHEMA,
  createTrustRoot,
  createTrustRootBundle,
  parseTimestamp,
  parseTrustRoots,
  type TrustRoot,
} from '../evidence';
import { pythonJsonFile, type PyJsonObject } from '../evidence/bundle';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { readBytes, readTrustRootFile, writeFileAtomic } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import { errorText } from './evidence-store';
import { renderTable, type Cell } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const SUBCOMMANDS = ['list', 'create', 'bundle', 'retire', 'revoke'] as const;
const COMMAND = 'evidence trust-root';

const OPTIONS = {
  ...HELP_OPTION,
  'key-id': { type: 'string' },
  owner: { type: 'string' },
  'public-key': { type: 'string' },
  'valid-from': { type: 'string' },
  'valid-until': { type: 'string' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

/**
 * `cavra evidence trust-root list|create|bundle|retire|revoke`: the keys an auditor trusts, with their status
 * and validity windows (docs/evidence-log.md §4).
 */
export function runTrustRoot(args: string[], io: CliIo): number {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || subcommand === 'help') {
    (subcommand === undefined ? io.stderr : io.stdout)(EVIDENCE_HELP['trust-root']);
    return subcommand === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(subcommand)) {
    return usageError(
      io,
      `unknown trust-root subcommand '${subcommand}': use one of ${SUBCOMMANDS.join(', ')}`,
      COMMAND,
    );
  }
  const parsed = parseCommandArgs(rest, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, COMMAND);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP['trust-root']);
    return EXIT.ok;
  }
  for (const flag of ['valid-from', 'valid-until'] as const) {
    const value = values[flag];
    if (value !== undefined && parseTimestamp(value) === null) {
      return usageError(
        io,
        `--${flag} '${value}' is not an RFC 3339 time with an offset (e.g. 2026-06-30T00:00:00Z)`,
        COMMAND,
      );
    }
  }
  const allowed: Record<(typeof SUBCOMMANDS)[number], readonly string[]> = {
    list: ['json'],
    create: ['public-key', 'key-id', 'owner', 'valid-from', 'valid-until', 'out', 'json'],
    bundle: ['out', 'json'],
    retire: ['key-id', 'valid-until', 'json'],
    revoke: ['key-id', 'json'],
  };
  const sub = subcommand as (typeof SUBCOMMANDS)[number];
  const misplaced = Object.keys(values).find((key) => key !== 'help' && !allowed[sub].includes(key));
  if (misplaced !== undefined) {
    return usageError(io, `option '--${misplaced}' does not apply to trust-root ${sub}`, COMMAND);
  }
  switch (sub) {
    case 'list':
      return list(io, positionals, values.json === true);
    case 'create':
      return create(io, positionals, values);
    case 'bundle':
      return bundle(io, positionals, values.out, values.json === true);
    case 'retire':
    case 'revoke':
      return changeStatus(io, sub, positionals, values);
  }
}

type Values = {
  'key-id'?: string | undefined;
  owner?: string | undefined;
  'public-key'?: string | undefined;
  'valid-from'?: string | undefined;
  'valid-until'?: string | undefined;
  out?: string | undefined;
  json?: boolean | undefined;
};

function oneFile(io: CliIo, positionals: string[], sub: string): string | number {
  const [file, extra] = positionals;
  if (file === undefined)
    return usageError(io, `missing <trust-root.json>: cavra ${COMMAND} ${sub} <file>`, COMMAND);
  if (extra !== undefined) return usageError(io, `unexpected argument '${extra}'`, COMMAND);
  return file;
}

function list(io: CliIo, positionals: string[], json: boolean): number {
  const file = oneFile(io, positionals, 'list');
  if (typeof file === 'number') return file;
  const read = readTrustRootFile(io, file);
  if (!read.ok) return usageError(io, read.message);
  if (json) printJson(io, read.value.roots);
  else io.stdout(renderRoots(read.value.roots, shouldColor(io)));
  return EXIT.ok;
}

/** A table of roots: key id, status, owner, window, fingerprint. */
export function renderRoots(roots: readonly TrustRoot[], color: boolean): string {
  const rows: Cell[][] = [['key id', 'status', 'owner', 'valid from', 'valid until', 'fingerprint']];
  for (const root of roots) {
    rows.push([
      root.key_id,
      {
        text: root.status,
        color: root.status === 'active' ? 'green' : root.status === 'revoked' ? 'red' : 'yellow',
      },
      root.owner,
      root.valid_from,
      root.valid_until ?? '-',
      `sha256:${root.public_key_sha256.slice(0, 16)}…`,
    ]);
  }
  return renderTable(rows, { color, header: true });
}

function create(io: CliIo, positionals: string[], values: Values): number {
  if (positionals.length > 0) return usageError(io, `unexpected argument '${positionals[0] ?? ''}'`, COMMAND);
  if (values['public-key'] === undefined) {
    return usageError(io, 'missing --public-key <public.pem>: the key the root vouches for', COMMAND);
  }
  const pem = readBytes(io, values['public-key'], 'public key');
  if (!pem.ok) return usageError(io, pem.message);
  const root = createTrustRoot(
    {
      publicKeyPem: Buffer.from(pem.value).toString('utf8'),
      validFrom: values['valid-from'] ?? new Date().toISOString(),
      validUntil: values['valid-until'] ?? null,
      ...(values['key-id'] !== undefined && { keyId: values['key-id'] }),
      ...(values.owner !== undefined && { owner: values.owner }),
    },
    nodeCrypto,
  );
  if (!root.ok) return usageError(io, root.error.message, COMMAND);
  return emit(io, root.value, values.out, values.json === true, [root.value]);
}

function bundle(io: CliIo, files: string[], out: string | undefined, json: boolean): number {
  if (files.length === 0) {
    return usageError(io, `missing <trust-root.json>…: the roots (or bundles) to put in one bundle`, COMMAND);
  }
  const roots: TrustRoot[] = [];
  for (const file of files) {
    const read = readTrustRootFile(io, file);
    if (!read.ok) return usageError(io, read.message);
    roots.push(...read.value.roots);
  }
  const made = createTrustRootBundle(roots, new Date().toISOString());
  if (!made.ok) return usageError(io, `${made.error.message}: give each key once`, COMMAND);
  return emit(io, made.value, out, json, made.value.trust_roots);
}

/** Writes a trust-root document to `--out` (then shows its roots), or prints it. */
function emit(
  io: CliIo,
  document: object,
  out: string | undefined,
  json: boolean,
  roots: readonly TrustRoot[],
): number {
  const text = pythonJsonFile(document as PyJsonObject);
  if (out === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  const path = resolve(io.cwd, out);
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    io.stderr(`cavra: cannot write ${displayPath(io, path)}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  if (json) printJson(io, roots);
  else io.stdout(`${renderRoots(roots, shouldColor(io))}\nwrote ${displayPath(io, path)}\n`);
  return EXIT.ok;
}

/** `retire` (with a window end, default now) or `revoke` one root of a file, in place. */
function changeStatus(io: CliIo, sub: 'retire' | 'revoke', positionals: string[], values: Values): number {
  const file = oneFile(io, positionals, sub);
  if (typeof file === 'number') return file;
  const read = readTrustRootFile(io, file);
  if (!read.ok) return usageError(io, read.message);
  const { roots, document } = read.value;
  const wanted = values['key-id'];
  const matches = wanted === undefined ? roots : roots.filter((root) => root.key_id === wanted);
  const ids = roots.map((root) => root.key_id).join(', ');
  if (matches.length === 0) {
    return usageError(
      io,
      `no trust root with key id '${wanted ?? ''}' in '${file}': it holds ${ids}`,
      COMMAND,
    );
  }
  const target = matches[0];
  if (matches.length > 1 || target === undefined) {
    return usageError(io, `'${file}' holds several roots (${ids}): say which with --key-id`, COMMAND);
  }
  if (target.status === 'revoked') {
    if (sub === 'revoke') {
      io.stdout(`trust root ${target.key_id} is already revoked\n`);
      return EXIT.ok;
    }
    return usageError(
      io,
      `trust root ${target.key_id} is revoked, which is final: it cannot be retired`,
      COMMAND,
    );
  }
  const changed: TrustRoot =
    sub === 'revoke'
      ? { ...target, status: 'revoked' }
      : {
          ...target,
          status: 'retired',
          valid_until: values['valid-until'] ?? target.valid_until ?? new Date().toISOString(),
        };
  const next = roots.map((root) => (root === target ? changed : root));
  const isBundle =
    typeof document === 'object' &&
    document !== null &&
    (document as { schema_version?: unknown }).schema_version === TRUST_ROOT_BUNDLE_SCHEMA;
  const updated = isBundle ? { ...document, trust_roots: next } : changed;
  // Re-check what is written (a window end before valid_from is refused here, not by the next verifier).
  const check = parseTrustRoots(updated, nodeCrypto);
  if (!check.ok) return usageError(io, check.error.message, COMMAND);
  const path = resolve(io.cwd, file);
  try {
    writeFileAtomic(path, pythonJsonFile(updated));
  } catch (error) {
    io.stderr(`cavra: cannot write ${displayPath(io, path)}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  if (values.json === true) {
    printJson(io, check.value);
    return EXIT.ok;
  }
  const what =
    sub === 'revoke'
      ? `revoked ${changed.key_id}: nothing it signed verifies any more`
      : `retired ${changed.key_id}: it verifies only what it signed until ${String(changed.valid_until)}`;
  io.stdout(`${renderRoots(check.value, shouldColor(io))}\n${what}\n`);
  return EXIT.ok;
}
