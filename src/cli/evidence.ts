/**
 * `cavra evidence <subcommand>`: keys and trust roots, checkpoints, exports, proofs, verification, session
 * bundles and SIEM exports (docs/cli.md, docs/evidence-log.md). Loaded on demand by `main.ts`, so other
 * commands never pay for the evidence layer's crypto; the store drivers load only for commands that use them.
 */
import { runBundle } from './evidence-bundle';
import { runCheckpoint } from './evidence-checkpoint';
import { runExport } from './evidence-export';
import { EVIDENCE_HELP } from './evidence-help';
import { runKeygen } from './evidence-keygen';
import { runProof } from './evidence-proof';
import { runExportSiem } from './evidence-siem';
import { errorText } from './evidence-store';
import { runTrustRoot } from './evidence-trust-root';
import { runVerify } from './evidence-verify';
import { EXIT, usageError, type CliIo } from './io';

const SUBCOMMANDS = {
  keygen: runKeygen,
  'trust-root': runTrustRoot,
  checkpoint: runCheckpoint,
  export: runExport,
  proof: runProof,
  verify: runVerify,
  bundle: runBundle,
  'export-siem': runExportSiem,
} as const satisfies Record<string, (args: string[], io: CliIo) => number | Promise<number>>;

/** `cavra evidence <subcommand> …`. */
export async function runEvidence(args: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    if (subcommand === 'help' && rest[0] !== undefined) return runEvidence([rest[0], '--help'], io);
    (subcommand === undefined ? io.stderr : io.stdout)(EVIDENCE_HELP.main);
    return subcommand === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!Object.hasOwn(SUBCOMMANDS, subcommand)) {
    return usageError(
      io,
      `unknown evidence subcommand '${subcommand}': use one of ${Object.keys(SUBCOMMANDS).join(', ')}`,
      'evidence',
    );
  }
  try {
    return await SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS](rest, io);
  } catch (error) {
    // Expected failures are handled where they happen; this is a bug or an environment failure (disk, database).
    io.stderr(`cavra: evidence ${subcommand} failed: ${errorText(error)}\n`);
    return EXIT.failed;
  }
}
