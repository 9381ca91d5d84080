import { HELP_OPTION, parseCommandArgs } from './args';
import { readSigningKey } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import {
  StoreInconsistent,
  count,
  errorText,
  inconsistentMessage,
  openEvidenceStore,
  signStoreCheckpoint,
  withStore,
} from './evidence-store';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  db: { type: 'string' },
  key: { type: 'string', short: 'k' },
  json: { type: 'boolean' },
} as const;

/**
 * `cavra evidence checkpoint [--db] [--key file]`: signs a checkpoint over the whole stored log now and stores
 * it. The stored log is checked first (every entry hash and link, every stored checkpoint's root); a store
 * that does not check out is not signed over (exit 1).
 */
export async function runCheckpoint(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'evidence checkpoint');
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.checkpoint);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    return usageError(io, `unexpected argument '${positionals[0] ?? ''}'`, 'evidence checkpoint');
  }
  const key = readSigningKey(io, values.key);
  if (!key.ok) return usageError(io, key.message);
  const opened = await openEvidenceStore(io, values.db, { mustExist: true });
  if (!opened.ok) return usageError(io, opened.message);
  const { label } = opened.value;
  return withStore(opened.value, async (store) => {
    const size = await store.evidence.count();
    if (size === 0) {
      io.stdout(
        `the evidence log in ${label} is empty: nothing to checkpoint (record with cavra evaluate … --record)\n`,
      );
      return EXIT.ok;
    }
    let signed;
    try {
      signed = await signStoreCheckpoint(store, key.value.key, io.env);
    } catch (error) {
      if (error instanceof StoreInconsistent) {
        io.stderr(`cavra: ${inconsistentMessage(label, error)}\n`);
        return EXIT.failed;
      }
      io.stderr(`cavra: cannot sign a checkpoint in ${label}: ${errorText(error)}\n`);
      return EXIT.failed;
    }
    const { record, isNew } = signed;
    if (values.json === true) {
      printJson(io, { ...record, created: isNew, ...(isNew && { key_id: key.value.keyId }), store: label });
      return EXIT.ok;
    }
    const rows = [
      ['tree size', count(record.tree_size, 'entry', 'entries')],
      ['root', record.root_hash],
      ['origin', record.origin],
      ['signed at', record.timestamp ?? '-'],
      ...(isNew ? [['key id', key.value.keyId]] : []),
      ['store', label],
    ];
    io.stdout(renderTable(rows, { color: shouldColor(io) }));
    if (!isNew) {
      io.stdout(`\nthe log has not grown since this checkpoint: nothing new was signed\n`);
    }
    return EXIT.ok;
  });
}
