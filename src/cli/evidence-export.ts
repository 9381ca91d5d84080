import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { JsonValue } from '../engine';
import { canonicalJson, type CheckpointRecord } from '../evidence';
import type { Store } from '../store';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { TRUST_ROOT_FILE, defaultPrivateKeyPath, ensureDirectory } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import { allCheckpoints, count, errorText, openEvidenceStore, withStore } from './evidence-store';
import { EXIT, printJson, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  out: { type: 'string', short: 'o' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Entries read and written per step: memory stays flat however long the log is. */
const CHUNK = 5000;

/**
 * `cavra evidence export --out log.jsonl [--db]`: the whole stored log and its checkpoints as JSONL, byte for
 * byte what `exportJsonl` writes (each record in RFC 8785 form, each checkpoint after the entry that completes
 * its tree). Written to a temporary file and renamed, so a failed export never leaves half a log behind.
 */
export async function runExport(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'evidence export');
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.export);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    return usageError(
      io,
      `unexpected argument '${positionals[0] ?? ''}': name the file with --out`,
      'evidence export',
    );
  }
  if (values.out === undefined || values.out === '') {
    return usageError(io, 'missing --out <log.jsonl> (or --out - for standard output)', 'evidence export');
  }
  if (values.out === '-' && values.json === true) {
    return usageError(io, '--json reports where the export went: it needs --out <file>', 'evidence export');
  }
  const opened = await openEvidenceStore(io, values.db, { mustExist: true });
  if (!opened.ok) return usageError(io, opened.message);
  const { label } = opened.value;
  return withStore(opened.value, async (store) => {
    const toStdout = values.out === '-';
    const path = resolve(io.cwd, values.out ?? '');
    let written: { entries: number; checkpoints: number };
    try {
      written = toStdout
        ? await writeJsonl(store, (text) => {
            io.stdout(text);
          })
        : await writeFileJsonl(store, path);
    } catch (error) {
      io.stderr(`cavra: cannot export the log from ${label}: ${errorText(error)}\n`);
      return EXIT.failed;
    }
    if (toStdout) return EXIT.ok;
    const shown = displayPath(io, path);
    if (values.json === true) {
      printJson(io, { out: path, store: label, ...written });
    } else {
      io.stdout(
        `exported ${count(written.entries, 'entry', 'entries')} and ${count(written.checkpoints, 'checkpoint')} from ${label} to ${shown}\n` +
          `verify: cavra evidence verify --log ${shown} --trust-root ${trustRootHint(io)}\n`,
      );
    }
    return EXIT.ok;
  });
}

/** The trust root `keygen` wrote, when there is one, else a placeholder. */
function trustRootHint(io: CliIo): string {
  const path = join(dirname(defaultPrivateKeyPath(io)), TRUST_ROOT_FILE);
  return existsSync(path) ? displayPath(io, path) : '<trust-root.json>';
}

async function writeFileJsonl(store: Store, path: string): Promise<{ entries: number; checkpoints: number }> {
  ensureDirectory(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'w');
  try {
    const written = await writeJsonl(store, (text) => {
      writeSync(fd, text);
    });
    closeSync(fd);
    renameSync(temporary, path);
    return written;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    unlinkSync(temporary);
    throw error;
  }
}

/** Streams the log as JSONL to `write`, in chunks; the layout is `exportJsonl`'s. */
export async function writeJsonl(
  store: Store,
  write: (text: string) => void,
): Promise<{ entries: number; checkpoints: number }> {
  const size = await store.evidence.count();
  const checkpoints = await allCheckpoints(store);
  let next = 0;
  const flush = (upTo: number): string => {
    let out = '';
    while (next < checkpoints.length && (checkpoints[next] as CheckpointRecord).tree_size <= upTo) {
      out += `${canonicalJson(checkpoints[next] as JsonValue)}\n`;
      next += 1;
    }
    return out;
  };
  write(flush(0));
  let position = 0;
  for (let from = 0; from < size; from += CHUNK) {
    const { entries, texts } = await store.evidence.rangeForVerification(from, Math.min(size, from + CHUNK));
    let text = '';
    for (const [i, entry] of entries.entries()) {
      position += 1;
      // The store's canonical text when it has one (the same bytes canonicalJson would give, without the work).
      text += `${texts[i] ?? canonicalJson(entry)}\n${flush(position)}`;
    }
    write(text);
  }
  write(flush(Number.POSITIVE_INFINITY));
  return { entries: position, checkpoints: checkpoints.length };
}
