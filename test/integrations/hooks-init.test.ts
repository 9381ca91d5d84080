/**
 * `cavra init claude-code|cursor` and `cavra agent exec`, through the built CLI. The command `init` writes is
 * then run the way the agent runs it (sh -c, from the project), so the settings are known to work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT, cavra, claudeAnswer, cleanEnv, fixture, tempDir } from './hooks-support';

type ClaudeSettings = {
  model?: string;
  permissions?: unknown;
  hooks: { PreToolUse: { matcher: string; hooks: { type: string; command: string; timeout?: number }[] }[] };
};

test('init claude-code merges the hook into existing settings, idempotently, and the command works', async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, '.claude'));
  const mine = { matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --check' }] };
  const before = {
    model: 'opus',
    permissions: { deny: ['Read(./secrets/**)'] },
    hooks: { PreToolUse: [mine], Stop: [] },
  };
  writeFileSync(join(cwd, '.claude/settings.json'), JSON.stringify(before));
  const first = await cavra(['init', 'claude-code'], { cwd });
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^updated \.claude\/settings\.json: PreToolUse hook/);
  const text = readFileSync(join(cwd, '.claude/settings.json'), 'utf8');
  const settings = JSON.parse(text) as ClaudeSettings & { hooks: { Stop: unknown } };
  expect(settings.model).toBe('opus');
  expect(settings.permissions).toEqual(before.permissions);
  expect(settings.hooks.Stop).toEqual([]);
  expect(settings.hooks.PreToolUse[0]).toEqual(mine);
  const ours = settings.hooks.PreToolUse[1];
  expect(ours?.matcher).toBe('Bash|Read|Grep|Glob|Write|Edit|MultiEdit|NotebookEdit|mcp__.*');
  const command = ours?.hooks[0]?.command ?? '';
  expect(command).toMatch(/^node .*bin\/cavra\.mjs hook claude-code --record$/);
  const again = await cavra(['init', 'claude-code'], { cwd });
  expect(again.stdout).toMatch(/already runs/);
  expect(readFileSync(join(cwd, '.claude/settings.json'), 'utf8')).toBe(text);
  // Claude Code runs the command through a shell from the project directory, with the event on stdin.
  const run = spawnSync('/bin/sh', ['-c', command], {
    cwd,
    input: fixture('claude-code/read-env.json'),
    encoding: 'utf8',
    env: cleanEnv({ CLAUDE_PROJECT_DIR: cwd }),
  });
  expect(claudeAnswer(run.stdout).permission).toBe('deny');
}, 60_000);

test('init cursor writes .cursor/hooks.json (version 1) for the three events and keeps other hooks', async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, '.cursor'));
  writeFileSync(
    join(cwd, '.cursor/hooks.json'),
    JSON.stringify({
      version: 1,
      hooks: {
        afterFileEdit: [{ command: './format.sh' }],
        beforeShellExecution: [{ command: './audit.sh' }],
      },
    }),
  );
  const run = await cavra(['init', 'cursor', '--hook-args', ''], { cwd });
  expect(run.code).toBe(0);
  const config = JSON.parse(readFileSync(join(cwd, '.cursor/hooks.json'), 'utf8')) as {
    version: number;
    hooks: Record<string, { command: string }[]>;
  };
  expect(config.version).toBe(1);
  expect(config.hooks['afterFileEdit']).toEqual([{ command: './format.sh' }]);
  expect(config.hooks['beforeShellExecution']?.[0]).toEqual({ command: './audit.sh' });
  for (const event of ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile']) {
    const ours = config.hooks[event]?.at(-1)?.command ?? '';
    expect(ours).toMatch(/^node .*bin\/cavra\.mjs hook cursor$/);
  }
  const command = config.hooks['beforeReadFile']?.at(-1)?.command ?? '';
  const answer = spawnSync('/bin/sh', ['-c', command], {
    cwd,
    input: fixture('cursor/read-env.json'),
    encoding: 'utf8',
    env: cleanEnv(),
  });
  expect(JSON.parse(answer.stdout)).toMatchObject({ permission: 'deny' });
  await cavra(['init', 'cursor', '--hook-args', ''], { cwd });
  const twice = JSON.parse(readFileSync(join(cwd, '.cursor/hooks.json'), 'utf8')) as typeof config;
  expect(twice).toEqual(config);
}, 60_000);

test('init refuses to overwrite a settings file that is not JSON', async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, '.claude'));
  writeFileSync(join(cwd, '.claude/settings.json'), '{ "model": ');
  const run = await cavra(['init', 'claude-code'], { cwd });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/\.claude\/settings\.json is not valid JSON .*: fix or move it/);
  expect(readFileSync(join(cwd, '.claude/settings.json'), 'utf8')).toBe('{ "model": ');
}, 60_000);

test('agent exec runs an allowed command with its stdio and exit code, and refuses a blocked one with 126', async () => {
  const cwd = tempDir();
  // `pytest*` is allowed by the baseline pack: a stand-in pytest on PATH shows the command really ran.
  mkdirSync(join(cwd, 'bin'));
  writeFileSync(join(cwd, 'bin/pytest'), '#!/bin/sh\necho "ran with $*"\nexit 3\n', { mode: 0o755 });
  const env = cleanEnv({ PATH: `${join(cwd, 'bin')}:${process.env['PATH'] ?? ''}` });
  const allowed = await cavra(['agent', 'exec', '--no-daemon', '--', 'pytest', '-q', 'tests/'], { cwd, env });
  expect(allowed.code).toBe(3);
  expect(allowed.stdout).toBe('ran with -q tests/\n');
  const viaShell = await cavra(['agent', 'exec', '--no-daemon', '--', 'pytest -x'], { cwd, env });
  expect([viaShell.code, viaShell.stdout]).toEqual([3, 'ran with -x\n']);
  const blocked = await cavra(['agent', 'exec', '--no-daemon', '--', 'terraform', 'apply', '-auto-approve'], {
    cwd,
  });
  expect(blocked.code).toBe(126);
  expect(blocked.stderr).toMatch(
    /^cavra: ✗ command blocked: cavra blocked the request to run 'terraform apply -auto-approve'/,
  );
  const needsApproval = await cavra(['agent', 'exec', '--no-daemon', '--', 'ls', '-la'], { cwd });
  expect(needsApproval.code).toBe(125);
  expect(needsApproval.stdout).toBe('');
  const usage = await cavra(['agent', 'exec'], { cwd });
  expect(usage.code).toBe(2);
}, 60_000);

test('the bundle validates packs with the precompiled schema validator, with the same diagnostics as the engine', async () => {
  const { parsePack } = await import('../../src/engine');
  const cwd = tempDir();
  const source =
    'metadata: {id: y, title: t, description: d, version: "1", extra: 1}\ncommands:\n  block: [1, "x"]\n';
  writeFileSync(join(cwd, 'pack.yaml'), source);
  const run = await cavra(['policy', 'validate', 'pack.yaml'], { cwd });
  const expected = parsePack(source, 'pack.yaml').diagnostics.map(
    (d) => `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`,
  );
  expect(expected.length).toBeGreaterThan(1);
  for (const line of expected) expect(run.stdout).toContain(line);
  // The current bundle (files reachable from its entry) carries the precompiled validator.
  expect(
    bundleFiles().some((file) =>
      readFileSync(file, 'utf8').includes('cavra-precompiled:ajv-2020-precompiled'),
    ),
  ).toBe(true);
}, 60_000);

/** Every file of the current CLI bundle: the entry and the chunks it imports, statically or on demand. */
function bundleFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*"(\.\/[^"]+\.mjs)"/g)) {
      visit(join(dirname(file), match[1] ?? ''));
    }
  };
  visit(join(ROOT, 'dist/cli/cavra.mjs'));
  return [...seen];
}
