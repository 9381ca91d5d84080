import { expect, test } from 'vitest';
import packageJson from '../../package.json';
import { runInMemory } from './test-support';

test('--version prints the package version', async () => {
  const run = await runInMemory(['--version']);
  expect(run).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
});

test('--help lists every command and the exit codes', async () => {
  const run = await runInMemory(['--help']);
  expect(run.code).toBe(0);
  for (const command of [
    'evaluate',
    'policy list',
    'policy describe',
    'policy validate',
    'policy compile',
    'policy test',
    'policy explain',
  ]) {
    expect(run.stdout).toContain(command);
  }
  expect(run.stdout).toContain('exit codes');
});

test('no command prints the help on stderr and exits 2', async () => {
  const run = await runInMemory([]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('usage: cavra <command>');
});

test('an unknown command is a usage error naming the commands', async () => {
  const run = await runInMemory(['evalute', 'read_file', '.env']);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    "cavra: unknown command 'evalute': use one of evaluate, policy, evidence, serve, mcp, hook, init, agent, daemon, help\nrun 'cavra --help' for usage\n",
  );
});

test('an option before the command is a usage error', async () => {
  const run = await runInMemory(['--json', 'evaluate']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("unknown option '--json'");
});

test('help <command> and <command> --help print the command help', async () => {
  const viaHelp = await runInMemory(['help', 'evaluate']);
  const viaFlag = await runInMemory(['evaluate', '--help']);
  expect(viaHelp.code).toBe(0);
  expect(viaHelp.stdout).toBe(viaFlag.stdout);
  expect(viaFlag.stdout).toContain('usage: cavra evaluate <action_type> <target>');
});

test('every policy subcommand has its own help', async () => {
  for (const subcommand of ['list', 'describe', 'validate', 'compile', 'test', 'explain']) {
    const run = await runInMemory(['policy', subcommand, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`usage: cavra policy ${subcommand}`);
  }
});
