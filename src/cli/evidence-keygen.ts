import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTrustRoot, generateKeyPair } from '../evidence';
import { pythonJsonFile } from '../evidence/bundle';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import {
  DEFAULT_KEY_DIR,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  TRUST_ROOT_FILE,
  writeFileAtomic,
} from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import { errorText } from './evidence-store';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  out: { type: 'string', short: 'o' },
  'key-id': { type: 'string' },
  owner: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/**
 * `cavra evidence keygen`: a new Ed25519 key pair in upstream's PEM files (private 0600) and an active trust
 * root for it, valid from now. Existing files are kept unless `--force`.
 */
export function runKeygen(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'evidence keygen');
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.keygen);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    return usageError(
      io,
      `unexpected argument '${positionals[0] ?? ''}': give the folder with --out`,
      'evidence keygen',
    );
  }
  if (values['key-id']?.trim() === '') return usageError(io, 'the --key-id is empty', 'evidence keygen');
  const dir = resolve(io.cwd, values.out ?? DEFAULT_KEY_DIR);
  const paths = {
    privateKey: join(dir, PRIVATE_KEY_FILE),
    publicKey: join(dir, PUBLIC_KEY_FILE),
    trustRoot: join(dir, TRUST_ROOT_FILE),
  };
  const existing = Object.values(paths).filter((path) => existsSync(path));
  if (existing.length > 0 && values.force !== true) {
    return usageError(
      io,
      `${existing.map((path) => displayPath(io, path)).join(', ')} already exist${existing.length === 1 ? 's' : ''}: keep the key, or pass --force to replace it (checkpoints it signed then verify only with its old trust root)`,
      'evidence keygen',
    );
  }
  const key = generateKeyPair(new Uint8Array(randomBytes(32)), nodeCrypto);
  const root = createTrustRoot(
    {
      publicKeyPem: key.publicKeyPem,
      validFrom: new Date().toISOString(),
      ...(values['key-id'] !== undefined && { keyId: values['key-id'] }),
      ...(values.owner !== undefined && { owner: values.owner }),
    },
    nodeCrypto,
  );
  if (!root.ok) return usageError(io, root.error.message, 'evidence keygen');
  try {
    writeFileAtomic(paths.privateKey, key.privateKeyPem, 0o600);
    writeFileAtomic(paths.publicKey, key.publicKeyPem);
    writeFileAtomic(paths.trustRoot, pythonJsonFile(root.value));
  } catch (error) {
    io.stderr(`cavra: cannot write the key files in ${displayPath(io, dir)}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  if (values.json === true) {
    printJson(io, {
      key_id: root.value.key_id,
      fingerprint: key.fingerprint,
      owner: root.value.owner,
      valid_from: root.value.valid_from,
      private_key: paths.privateKey,
      public_key: paths.publicKey,
      trust_root: paths.trustRoot,
    });
    return EXIT.ok;
  }
  io.stdout(
    renderTable(
      [
        ['key id', root.value.key_id],
        ['fingerprint', `sha256:${key.fingerprint}`],
        ['owner', root.value.owner],
        ['valid from', root.value.valid_from],
        ['private key', `${displayPath(io, paths.privateKey)} (mode 0600: keep it secret)`],
        ['public key', displayPath(io, paths.publicKey)],
        ['trust root', `${displayPath(io, paths.trustRoot)} (give this to auditors)`],
      ],
      { color: shouldColor(io) },
    ),
  );
  io.stdout(
    `\nnext: cavra evidence checkpoint, and verify with --trust-root ${displayPath(io, paths.trustRoot)}\n`,
  );
  return EXIT.ok;
}
