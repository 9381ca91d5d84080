import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { CliIo } from './io';
import { runHook } from './hook';
import { REPO_ROOT } from './test-support';

const EVENT = readFileSync(join(REPO_ROOT, 'fixtures/hooks/claude-code/read-source.json'), 'utf8');
const CURSOR_EVENT = readFileSync(join(REPO_ROOT, 'fixtures/hooks/cursor/read-source.json'), 'utf8');

function io(
  stdin: string,
  env: Record<string, string> = {},
): CliIo & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: () => Promise.resolve(stdin),
    env,
    cwd: REPO_ROOT,
    out: () => stdout,
    err: () => stderr,
  };
}

const throwingEngine = (): never => {
  throw new Error('engine exploded');
};

test('a hook whose engine throws answers deny (Claude Code) and exits 0', async () => {
  const run = io(EVENT);
  expect(await runHook(['claude-code', '--no-daemon'], run, { engine: throwingEngine })).toBe(0);
  expect(JSON.parse(run.out())).toEqual({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringMatching(
        /internal error \(engine exploded\).*denied \(fail closed\)/,
      ) as unknown,
    },
  });
  expect(run.err()).toMatch(/internal error: engine exploded/);
}, 60_000);

test('a hook whose engine throws answers deny (Cursor), or ask when configured', async () => {
  const denied = io(CURSOR_EVENT);
  await runHook(['cursor', '--no-daemon'], denied, { engine: throwingEngine });
  expect(JSON.parse(denied.out())).toMatchObject({ permission: 'deny' });
  const asked = io(CURSOR_EVENT, { CAVRA_HOOK_ON_ERROR: 'ask' });
  await runHook(['cursor', '--no-daemon'], asked, { engine: throwingEngine });
  expect(JSON.parse(asked.out())).toMatchObject({ permission: 'ask' });
}, 60_000);

test('an unreachable API fails closed instead of deciding locally', async () => {
  const run = io(EVENT, { CAVRA_API_URL: 'http://127.0.0.1:9' });
  await runHook(['claude-code'], run);
  const answer = JSON.parse(run.out()) as {
    hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string };
  };
  expect(answer.hookSpecificOutput.permissionDecision).toBe('deny');
  expect(answer.hookSpecificOutput.permissionDecisionReason).toMatch(
    /POST http:\/\/127\.0\.0\.1:9\/api\/decisions failed/,
  );
}, 60_000);

test('--approvals remote without CAVRA_API_URL denies a require_approval decision', async () => {
  const event = JSON.parse(EVENT) as Record<string, unknown>;
  const ask = JSON.stringify({ ...event, tool_name: 'Bash', tool_input: { command: 'ls -la' } });
  const run = io(ask);
  await runHook(['claude-code', '--no-daemon', '--approvals', 'remote'], run);
  expect(JSON.parse(run.out())).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
  expect(run.out()).toMatch(/--approvals remote needs CAVRA_API_URL/);
}, 60_000);
