/**
 * `cavra serve` (what `npm start` runs): parses flags, loads the packs, starts the server (src/server, imported
 * only by this command) and stops it cleanly on SIGINT/SIGTERM.
 */
import { dirname, join } from 'node:path';
import packageJson from '../../package.json';
import { HELP_OPTION, parseCommandArgs } from './args';
import { loadPolicies } from './context';
import { EXIT, usageError, type CliIo } from './io';
import { bundledPolicyDir } from './load-policies';

export const SERVE_HELP = `usage: cavra serve [--port <n>] [--host <addr>] [--db <path|postgres://…>] [--no-seed]

run the CAVRA API (under /api) and the console on one port. on an empty database the demo sessions are
seeded first, so the console has something to show.

options:
  -p, --port <n>       port to listen on (default: $PORT, else 8787; 0 picks a free one)
      --host <addr>    address to bind (default: $CAVRA_HOST, else 127.0.0.1)
      --db <target>    SQLite file or postgres:// URL (default: $CAVRA_DATABASE_URL, else .cavra/cavra.db)
      --no-seed        never seed demo data

environment: CAVRA_CORS_ORIGINS, CAVRA_PUBLIC_API_BASE_URL, CAVRA_POLICY_DIR,
CAVRA_EVIDENCE_SIGNING_KEY_FILE, CAVRA_EVIDENCE_TRUST_ROOTS, CAVRA_EVIDENCE_LOG_ID,
CAVRA_EVIDENCE_CHECKPOINT_ENTRIES, CAVRA_EVIDENCE_CHECKPOINT_SECONDS (docs/api.md).
without CAVRA_APPROVAL_OIDC_CONFIG the server runs in demo mode: no authentication, said at start-up and in
every response's x-cavra-auth-mode header.
`;

const OPTIONS = {
  ...HELP_OPTION,
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  db: { type: 'string' },
  'no-seed': { type: 'boolean' },
} as const;

/** `cavra serve …`: resolves when the server has stopped (0), or failed to start (1), or on usage errors (2). */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'serve');
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(SERVE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) return usageError(io, `unexpected argument '${positionals[0] ?? ''}'`, 'serve');
  const { readServerConfig, startServer } = await import('../server');
  const read = readServerConfig(
    { port: values.port, host: values.host, db: values.db, seed: values['no-seed'] !== true },
    io.env,
    io.cwd,
  );
  if (!read.ok) return usageError(io, read.message, 'serve');
  const { set } = loadPolicies(io);
  const broken = set.diagnostics.filter((d) => d.severity === 'error').length;
  if (broken > 0)
    io.stderr(`cavra: ${broken} pack problem(s) kept packs from loading: run 'cavra policy list'\n`);
  let server;
  try {
    server = await startServer({
      config: read.config,
      policies: set,
      consoleDir: join(dirname(bundledPolicyDir()), 'dist', 'console'),
      version: packageJson.version,
      cwd: io.cwd,
      log: (line) => {
        io.stdout(`${line}\n`);
      },
      logError: (line) => {
        io.stderr(`${line}\n`);
      },
    });
  } catch (error) {
    io.stderr(`cavra: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  const signal = await nextSignal();
  io.stdout(`${signal}: stopping (Ctrl-C again to force)\n`);
  process.once('SIGINT', () => process.exit(EXIT.failed));
  await server.close();
  io.stdout('stopped\n');
  return EXIT.ok;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
