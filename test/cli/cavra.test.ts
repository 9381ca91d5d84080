import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import packageJson from '../../package.json';

/** Spawns the real launcher, as `npx cavra` does (the bundle is built by test/global-setup.ts). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'cavra.mjs');

function cavra(
  args: string[],
  options: { input?: string; cwd?: string; bin?: string } = {},
): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env['CAVRA_POLICY_DIR'];
  delete env['NO_COLOR'];
  return spawnSync(process.execPath, [options.bin ?? BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

test('cavra --version prints the package version', () => {
  const run = cavra(['--version']);
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(`${packageJson.version}\n`);
});

test('a blocked action exits 0 and prints the decision JSON', () => {
  const run = cavra(['evaluate', 'execute_command', 'terraform apply -auto-approve', '--json']);
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({
    decision: 'block',
    rule_id: 'commands.block',
    severity: 'critical',
  });
  expect(run.stderr).toBe('');
});

test('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
  const run = cavra(['evaluate', 'rm_rf', '/']);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^cavra: unknown action type 'rm_rf': use one of read_file, write_file/);
});

test('evaluate --input - decides 300 piped requests in one process, in order', () => {
  const requests = Array.from({ length: 300 }, (_, i) =>
    i % 3 === 0
      ? { action_type: 'read_file', target: `config/${i}/.env`, session_id: `s${i}` }
      : i % 3 === 1
        ? { action_type: 'execute_command', target: `cd app${i} && npm test`, session_id: `s${i}` }
        : {
            action_type: 'git_operation',
            target: i % 2 === 0 ? 'origin/main' : `topic/${i}`,
            session_id: `s${i}`,
          },
  );
  const started = performance.now();
  const run = cavra(['evaluate', '--input', '-', '--json'], { input: JSON.stringify(requests) });
  const elapsed = performance.now() - started;
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const decisions = JSON.parse(run.stdout) as { session_id: string; decision: string; rule_id: string }[];
  expect(decisions).toHaveLength(300);
  expect(decisions.map((d) => d.session_id)).toEqual(requests.map((r) => r.session_id));
  expect(decisions.slice(0, 3).map((d) => d.decision)).toEqual(['block', 'allow', 'block']);
  // One process, packs loaded once: well under a second on a laptop; generous for slow CI.
  expect(elapsed).toBeLessThan(5_000);
});

test('closing the pipe early (cavra policy list | head -1) is not an error', () => {
  const run = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" policy list | head -1`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^ID\s+VERSION/);
  expect(run.stderr).toBe('');
});

test('on a fresh checkout without dist/, the launcher builds the bundle first', () => {
  const clone = mkdtempSync(join(tmpdir(), 'cavra-clone-'));
  for (const entry of [
    'bin',
    'scripts',
    'src',
    'policies',
    'package.json',
    'tsconfig.json',
    'tsconfig.base.json',
  ]) {
    cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const run = cavra(['evaluate', 'read_file', '.env', '--json'], {
    cwd: clone,
    bin: join(clone, 'bin', 'cavra.mjs'),
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ decision: 'block', rule_id: 'filesystem.read.block' });
  expect(existsSync(join(clone, 'dist', 'cli', 'cavra.mjs'))).toBe(true);
});
