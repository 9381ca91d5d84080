import { basename, dirname, join, resolve } from 'node:path';
import packageJson from '../../package.json';
import { bundleExportFiles, EXPORT_PROVIDERS, verifyBundle } from '../evidence/bundle';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { HELP_OPTION, parseCommandArgs } from './args';
import { displayPath } from './context';
import { readBundle, writeFileAtomic } from './evidence-files';
import { EVIDENCE_HELP } from './evidence-help';
import { errorText } from './evidence-store';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';
import { isOneOf } from './registry';

const OPTIONS = {
  ...HELP_OPTION,
  provider: { type: 'string', short: 'p' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

const COMMAND = 'evidence export-siem';
const PROVIDERS = EXPORT_PROVIDERS;

/**
 * `cavra evidence export-siem <bundle> --provider …`: upstream's Splunk HEC, Sentinel, Datadog and webhook
 * payloads (`all` = those four, as upstream), or OCSF / plain JSONL, from a bundle whose files verify.
 */
export function runExportSiem(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, COMMAND);
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVIDENCE_HELP['export-siem']);
    return EXIT.ok;
  }
  const [bundle, extra] = positionals;
  if (bundle === undefined)
    return usageError(io, 'missing <bundle-dir|bundle.zip>: the bundle to export', COMMAND);
  if (extra !== undefined) return usageError(io, `unexpected argument '${extra}'`, COMMAND);
  const provider = values.provider;
  if (provider === undefined)
    return usageError(io, `missing --provider: use one of ${PROVIDERS.join(', ')}`, COMMAND);
  if (!isOneOf(PROVIDERS, provider)) {
    return usageError(io, `unknown provider '${provider}': use one of ${PROVIDERS.join(', ')}`, COMMAND);
  }
  const files = readBundle(io, bundle);
  if (!files.ok) return usageError(io, files.message);
  // Exporting is forwarding: a bundle whose bytes were changed must not reach a SIEM as CAVRA's evidence.
  const report = verifyBundle(files.value, { crypto: nodeCrypto });
  if (!report.valid) {
    io.stderr(
      `cavra: ${bundle} does not verify (${report.errors.length} error(s), first: ${report.errors[0]?.message ?? '?'}): nothing exported. run 'cavra evidence verify ${bundle}'\n`,
    );
    return EXIT.failed;
  }
  const outputs = bundleExportFiles(files.value, provider, { productVersion: packageJson.version });
  if (!outputs.ok) {
    io.stderr(`cavra: cannot export ${bundle}: ${outputs.error.message}\n`);
    return EXIT.failed;
  }
  const dir = resolve(io.cwd, values.out ?? defaultOut(bundle));
  const written: { file: string; bytes: number }[] = [];
  try {
    for (const [name, bytes] of outputs.value) {
      writeFileAtomic(join(dir, name), bytes);
      written.push({ file: join(dir, name), bytes: bytes.length });
    }
  } catch (error) {
    io.stderr(`cavra: cannot write to ${displayPath(io, dir)}: ${errorText(error)}\n`);
    return EXIT.failed;
  }
  if (values.json === true) {
    printJson(io, { provider, session_id: report.session_id, files: written });
  } else {
    const rows = written.map((w) => [displayPath(io, w.file), `${w.bytes} bytes`]);
    io.stdout(renderTable(rows, { color: shouldColor(io) }));
    io.stdout(`\nexported session ${report.session_id ?? '?'} (${provider}) to ${displayPath(io, dir)}\n`);
  }
  return EXIT.ok;
}

/** `<bundle>-siem` next to the bundle (a `.zip`'s name without the extension). */
function defaultOut(bundle: string): string {
  const name = basename(bundle.replace(/[/\\]+$/, '')).replace(/\.zip$/i, '');
  return join(dirname(bundle), `${name}-siem`);
}
