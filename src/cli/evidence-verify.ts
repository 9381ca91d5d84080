import {
  createTrustRoot,
  decodePublicKeyPem,
  verifyJsonl,
  type CheckpointRecord,
  type LogTrust,
  type TrustRoot,
  type VerificationIssue,
  type VerificationReport,
  type VerifyProgress,
} from '../evidence';
import { formatBundleReport, verifyBundle, type VerifyBundleOptions } from '../evidence/bundle';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { parseJsonText, readTextFile, type Outcome } from './context';
import { readBundle, readBytes, readTrustRootFile } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import { openEvidenceStore, withStore } from './evidence-store';
import { paint } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';

const OPTIONS = {
  ...HELP_OPTION,
  log: { type: 'string' },
  db: { type: 'string' },
  key: { type: 'string', short: 'k' },
  'public-key': { type: 'string' },
  'trust-root': { type: 'string' },
  'key-id': { type: 'string' },
  'trusted-checkpoint': { type: 'string' },
  'minimum-retention-days': { type: 'string' },
  'require-signature': { type: 'boolean' },
  progress: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const COMMAND = 'evidence verify';

/** A public key trusted without a window (what `--public-key` means): active from the epoch on. */
const PUBLIC_KEY_VALID_FROM = '1970-01-01T00:00:00Z';

type Values = Extract<ReturnType<typeof parseCommandArgs<typeof OPTIONS>>, { ok: true }>['values'];

/**
 * `cavra evidence verify <bundle-dir|bundle.zip>` or `--log file.jsonl` or `--db <url|path>`: every error and
 * warning, then exit 0 valid, 1 invalid, 2 usage (unreadable inputs included).
 */
export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, COMMAND);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP.verify);
    return EXIT.ok;
  }
  const sources = [
    ...positionals.map((p) => `'${p}'`),
    ...(values.log === undefined ? [] : ['--log']),
    ...(values.db === undefined ? [] : ['--db']),
  ];
  if (sources.length === 0) {
    return usageError(
      io,
      'missing what to verify: a bundle folder or .zip, --log <file.jsonl> or --db <store>',
      COMMAND,
    );
  }
  if (sources.length > 1) {
    return usageError(io, `give one thing to verify, not ${sources.join(' and ')}`, COMMAND);
  }
  const [bundle] = positionals;
  return bundle === undefined ? verifyLogSource(io, values) : verifyBundleDir(io, bundle, values);
}

// ---------------------------------------------------------------------------------------------- logs

async function verifyLogSource(io: CliIo, values: Values): Promise<number> {
  const bundleOnly = (['key', 'key-id', 'minimum-retention-days'] as const).find(
    (k) => values[k] !== undefined,
  );
  if (bundleOnly !== undefined) {
    const hint =
      bundleOnly === 'key'
        ? ": a log's checkpoints are signed with Ed25519, so give --trust-root or --public-key"
        : '';
    return usageError(io, `option '--${bundleOnly}' applies to bundles, not logs${hint}`, COMMAND);
  }
  if (values['public-key'] !== undefined && values['trust-root'] !== undefined) {
    return usageError(io, 'give --trust-root or --public-key, not both', COMMAND);
  }
  const trust = readLogTrust(io, values);
  if (!trust.ok) return usageError(io, trust.message);
  const progress = progressReporter(io, values.progress === true);
  let report: VerificationReport;
  let what: string;
  if (values.log !== undefined) {
    what = `evidence log ${values.log}`;
    // Read as text directly: a large log is held once, not as bytes and again as text.
    const text = readTextFile(io, values.log, 'log');
    if (!text.ok) return usageError(io, text.message);
    progress.start();
    report = verifyJsonl(text.value, trust.value.trust, nodeCrypto, progress.update);
  } else {
    const opened = await openEvidenceStore(io, values.db, { mustExist: true });
    if (!opened.ok) return usageError(io, opened.message);
    what = `evidence log in ${opened.value.label}`;
    progress.start();
    // Streamed from the store, stored canonical texts hashed as they are (on a second thread for a large
    // SQLite log); the log is never held in memory whole.
    report = await withStore(opened.value, (store) =>
      store.evidence.verify(trust.value.trust, { onProgress: progress.update }),
    );
  }
  progress.finish();
  if (values['require-signature'] === true) report = requireLogSignatures(report);
  if (values.json === true) {
    printJson(io, { kind: 'log', source: values.log ?? what, ...report });
  } else {
    io.stdout(formatLogReport(report, what, trust.value.description, shouldColor(io)));
  }
  return report.valid ? EXIT.ok : EXIT.failed;
}

type LogTrustInput = { trust: LogTrust; description: string | null };

function readLogTrust(io: CliIo, values: Values): Outcome<LogTrustInput> {
  let roots: TrustRoot[] = [];
  let description: string | null = null;
  if (values['trust-root'] !== undefined) {
    const read = readTrustRootFile(io, values['trust-root']);
    if (!read.ok) return read;
    roots = read.value.roots;
    description = `trust root ${values['trust-root']} (${roots.map((r) => `${r.key_id} ${r.status}`).join(', ')})`;
  } else if (values['public-key'] !== undefined) {
    const root = publicKeyRoot(io, values['public-key']);
    if (!root.ok) return root;
    roots = [root.value];
    description = `public key ${values['public-key']}`;
  }
  let trustedCheckpoint: CheckpointRecord | undefined;
  if (values['trusted-checkpoint'] !== undefined) {
    const bytes = readBytes(io, values['trusted-checkpoint'], 'trusted checkpoint');
    if (!bytes.ok) return bytes;
    const json = parseJsonText(
      Buffer.from(bytes.value).toString('utf8'),
      `trusted checkpoint '${values['trusted-checkpoint']}'`,
    );
    if (!json.ok) return json;
    // Checked by the verifier (trusted_checkpoint_malformed), which reports it with the rest.
    trustedCheckpoint = json.value as CheckpointRecord;
  }
  return {
    ok: true,
    value: { trust: { roots, ...(trustedCheckpoint !== undefined && { trustedCheckpoint }) }, description },
  };
}

/** `--public-key` as a trust root: active, no window. */
function publicKeyRoot(io: CliIo, path: string): Outcome<TrustRoot> {
  const bytes = readBytes(io, path, 'public key');
  if (!bytes.ok) return bytes;
  const pem = Buffer.from(bytes.value).toString('utf8');
  const key = decodePublicKeyPem(pem);
  if (!key.ok) return { ok: false, message: `'${path}': ${key.error.message}` };
  const root = createTrustRoot({ publicKeyPem: pem, validFrom: PUBLIC_KEY_VALID_FROM }, nodeCrypto);
  return root.ok ? root : { ok: false, message: `'${path}': ${root.error.message}` };
}

/** With `--require-signature`, what could not be verified is an error, not a warning. */
function requireLogSignatures(report: VerificationReport): VerificationReport {
  const required = new Set(['checkpoint_signature_unverified', 'tail_not_checkpointed']);
  const promoted = report.warnings.filter((w) => required.has(w.code));
  if (promoted.length === 0) return report;
  const errors = [...report.errors, ...promoted];
  return { ...report, valid: false, errors, warnings: report.warnings.filter((w) => !required.has(w.code)) };
}

function issueLine(kind: 'error' | 'warning', issue: VerificationIssue): string {
  const where = [
    ...(issue.sequence === undefined ? [] : [`entry ${issue.sequence}`]),
    ...(issue.line === undefined ? [] : [`line ${issue.line}`]),
    ...(issue.file === undefined ? [] : [issue.file]),
  ];
  // The verifier's messages start with "entry N: " (or "line N: "); the brackets say it already.
  const message =
    issue.sequence === undefined && issue.line === undefined
      ? issue.message
      : issue.message.replace(/^(?:entry \d+|line \d+)(?: \(line \d+\))?: /, '');
  return `  ${kind.padEnd(7)} ${issue.code}${where.length === 0 ? '' : ` [${where.join(', ')}]`}: ${message}`;
}

/** A log report for people: a banner when no signature was checked, the status, what was checked, every issue. */
export function formatLogReport(
  report: VerificationReport,
  what: string,
  trust: string | null,
  color: boolean,
): string {
  const out: string[] = [];
  const unverified = report.valid && (trust === null || (report.checked['checkpoints_verified'] ?? 0) === 0);
  if (unverified) {
    out.push(
      paint('!!! SIGNATURES NOT VERIFIED !!!', 'yellow', color),
      trust === null
        ? 'No trust root was given: the entries hash-chain and match their checkpoints, but nothing says who signed them.'
        : 'No checkpoint signature was verified: nothing says who vouches for these entries.',
      'Verify with --trust-root <trust-root.json> (or --public-key); --require-signature makes this fail.',
      '',
    );
  }
  const status = !report.valid ? 'INVALID' : unverified ? 'VALID (integrity only)' : 'VALID';
  const counts = `${report.errors.length} error(s), ${report.warnings.length} warning(s)`;
  out.push(
    `${paint(status, report.valid ? (unverified ? 'yellow' : 'green') : 'red', color)}: ${what} — ${counts}`,
  );
  const {
    entries = 0,
    checkpoints = 0,
    checkpoints_verified: signed = 0,
    covered_entries: covered = 0,
  } = report.checked;
  // Without trust roots the verifier counts every checkpoint whose root matches as covering: say what it is.
  out.push(
    trust === null
      ? `  checked: entries ${entries}, checkpoints ${checkpoints} (roots only)`
      : `  checked: entries ${entries}, checkpoints ${checkpoints}, signatures verified ${signed}, entries covered by a verified checkpoint ${covered}`,
  );
  out.push(`  signatures: ${trust === null ? 'not checked (no trust root)' : `checked against ${trust}`}`);
  out.push(...report.errors.map((e) => issueLine('error', e)));
  out.push(...report.warnings.map((w) => issueLine('warning', w)));
  return `${out.join('\n')}\n`;
}

/** Progress on stderr for long verifications: on a terminal (rewriting one line), or always with --progress. */
function progressReporter(
  io: CliIo,
  forced: boolean,
): { start: () => void; update: (progress: VerifyProgress) => void; finish: () => void } {
  const isTTY = io.isStderrTTY === true;
  const enabled = forced || isTTY;
  let shown = false;
  let started = 0;
  return {
    start: () => {
      started = performance.now();
    },
    update: ({ done, total }) => {
      // Short logs finish before anyone would read a progress line.
      if (!enabled || (!forced && performance.now() - started < 250)) return;
      const line = `verifying: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} entries (${Math.floor((done / Math.max(1, total)) * 100)}%)`;
      io.stderr(isTTY ? `\r${line}\u001b[K` : `${line}\n`);
      shown = true;
    },
    finish: () => {
      if (shown && isTTY) io.stderr('\r\u001b[K');
    },
  };
}

// ------------------------------------------------------------------------------------------- bundles

function verifyBundleDir(io: CliIo, path: string, values: Values): number {
  if (values['trusted-checkpoint'] !== undefined) {
    return usageError(
      io,
      "option '--trusted-checkpoint' applies to logs (--log, --db), not bundles",
      COMMAND,
    );
  }
  if (values.key !== undefined && values['public-key'] !== undefined) {
    return usageError(io, 'give --key (HS256) or --public-key (Ed25519), not both', COMMAND);
  }
  const options = bundleOptions(io, values);
  if (!options.ok) return usageError(io, options.message);
  const files = readBundle(io, path);
  if (!files.ok) return usageError(io, files.message);
  const report = verifyBundle(files.value, options.value);
  if (values.json === true) {
    printJson(io, { kind: 'bundle', source: path, ...report });
  } else {
    const text = formatBundleReport(report);
    const color = shouldColor(io);
    io.stdout(
      color
        ? text
            .replace(/^(INVALID)(?=:)/m, (s) => paint(s, 'red', true))
            .replace(/^(VALID \(integrity only\))(?=:)/m, (s) => paint(s, 'yellow', true))
            .replace(/^(VALID)(?=:)/m, (s) => paint(s, 'green', true))
            .replace('!!! SIGNATURE NOT VERIFIED !!!', (s) => paint(s, 'yellow', true))
        : text,
    );
  }
  return report.valid ? EXIT.ok : EXIT.failed;
}

function bundleOptions(io: CliIo, values: Values): Outcome<VerifyBundleOptions> {
  const options: VerifyBundleOptions = { crypto: nodeCrypto };
  const days = values['minimum-retention-days'];
  if (days !== undefined) {
    if (!/^\d+$/.test(days)) {
      return { ok: false, message: `--minimum-retention-days '${days}' is not a whole number of days` };
    }
    options.minimumRetentionDays = Number(days);
  }
  if (values['require-signature'] === true) options.requireSignature = true;
  if (values['key-id'] !== undefined) options.keyId = values['key-id'];
  if (values.key !== undefined) {
    if (values.key === '') return { ok: false, message: 'the --key (HMAC) is empty' };
    options.key = values.key;
  }
  let publicKeyRootDoc: TrustRoot | undefined;
  if (values['public-key'] !== undefined) {
    const bytes = readBytes(io, values['public-key'], 'public key');
    if (!bytes.ok) return bytes;
    options.publicKeyPem = Buffer.from(bytes.value).toString('utf8');
    const root = publicKeyRoot(io, values['public-key']);
    if (!root.ok) return root;
    publicKeyRootDoc = root.value;
  }
  if (values['trust-root'] !== undefined) {
    const read = readTrustRootFile(io, values['trust-root']);
    if (!read.ok) return read;
    // The manifest is checked with one kind of key; a trust root beside --key/--public-key is for the log
    // checkpoints in inclusion-proofs.json only.
    if (options.key === undefined && options.publicKeyPem === undefined)
      options.trustRoots = read.value.document;
    options.checkpointTrustRoots = read.value.document;
  } else if (publicKeyRootDoc !== undefined) {
    options.checkpointTrustRoots = publicKeyRootDoc;
  }
  return { ok: true, value: options };
}
