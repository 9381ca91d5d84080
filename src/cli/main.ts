import packageJson from '../../package.json';
import { MAIN_HELP } from './help';
import { EXIT, usageError, type CliIo } from './io';

export type { CliIo } from './io';

const COMMANDS = [
  'evaluate',
  'policy',
  'evidence',
  'serve',
  'mcp',
  'hook',
  'init',
  'agent',
  'daemon',
  'help',
] as const;

/**
 * Runs the `cavra` command line in-process and returns the exit code (0 evaluated/ok, 1 validation or
 * test failures, 2 usage errors). All output goes through `io`, so tests can call this directly.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Commands are imported on demand: a hook runs once per tool call and must not load what it does not use.
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stderr(MAIN_HELP);
      return EXIT.usage;
    case '-h':
    case '--help':
      io.stdout(MAIN_HELP);
      return EXIT.ok;
    case 'help':
      if (rest.length > 0) return runCli([...rest, '--help'], io);
      io.stdout(MAIN_HELP);
      return EXIT.ok;
    case '-v':
    case '--version':
    case 'version':
      io.stdout(`${packageJson.version}\n`);
      return EXIT.ok;
    case 'evaluate':
      return (await import('./evaluate')).runEvaluate(rest, io);
    case 'policy':
      return (await import('./policy')).runPolicy(rest, io);
    case 'evidence':
      // Loaded on demand: other commands never load the evidence layer, the store or its drivers.
      return (await import('./evidence')).runEvidence(rest, io);
    case 'serve':
      return (await import('./serve')).runServe(rest, io);
    case 'mcp':
      // Loaded on demand: only `cavra mcp …` loads the MCP SDK.
      return (await import('./mcp')).runMcp(rest, io);
    // Agent integrations, each loaded on demand (a hook runs once per tool call: it loads only its own code).
    case 'hook':
      return (await import('./hook')).runHook(rest, io);
    case 'init':
      return (await import('./init')).runInit(rest, io);
    case 'agent':
      return (await import('./agent')).runAgent(rest, io);
    case 'daemon':
      return (await import('./daemon')).runDaemon(rest, io);
    case 'explain':
      // Alias of `cavra policy explain`.
      return (await import('./policy')).runPolicy(argv, io);
    default:
      return usageError(
        io,
        command.startsWith('-')
          ? `unknown option '${command}': options go after the command (cavra <command> [options])`
          : `unknown command '${command}': use one of ${COMMANDS.join(', ')}`,
        '',
      );
  }
}
