/**
 * The hooks as agents run them: the built CLI, a recorded event on stdin, the answer on stdout. Every
 * fixture in fixtures/hooks/{claude-code,cursor} has its expected answer in fixtures/hooks/expectations.json.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, cavra, claudeAnswer, fixture } from './hooks-support';

type Expectation = { permission: 'allow' | 'deny' | 'ask'; rule_id: string };
const EXPECTATIONS = JSON.parse(fixture('expectations.json')) as Record<
  'claude-code' | 'cursor',
  Record<string, Expectation>
>;

test('every recorded event fixture has an expectation', () => {
  for (const agent of ['claude-code', 'cursor'] as const) {
    const names = readdirSync(join(FIXTURES, agent)).map((file) => file.replace(/\.json$/, ''));
    expect(names.sort()).toEqual(Object.keys(EXPECTATIONS[agent]).sort());
  }
}, 60_000);

test.each(Object.entries(EXPECTATIONS['claude-code']))(
  'claude-code %s answers the documented PreToolUse decision',
  async (name, expected) => {
    const run = await cavra(['hook', 'claude-code', '--no-daemon'], {
      input: fixture(`claude-code/${name}.json`),
    });
    expect(run.code).toBe(0);
    const answer = claudeAnswer(run.stdout);
    expect(answer.permission).toBe(expected.permission);
    expect(answer.reason).toContain(`rule ${expected.rule_id}`);
    if (expected.permission === 'deny') expect(answer.reason).toMatch(/Do not retry it/);
    if (expected.permission === 'ask') expect(answer.reason).toMatch(/requires approval from /);
  },
  60_000,
);

test.each(Object.entries(EXPECTATIONS.cursor))(
  'cursor %s answers the documented permission',
  async (name, expected) => {
    const run = await cavra(['hook', 'cursor', '--no-daemon'], { input: fixture(`cursor/${name}.json`) });
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as Record<string, string>;
    expect(answer['permission']).toBe(expected.permission);
    expect(answer['agent_message']).toContain(`rule ${expected.rule_id}`);
    expect(answer['agentMessage']).toBe(answer['agent_message']);
    expect(answer['user_message']).toBe(expected.permission === 'allow' ? '' : answer['agent_message']);
  },
  60_000,
);

test.each([
  ['not-json.txt', /standard input is not JSON/],
  ['empty.txt', /standard input is empty/],
  ['array.json', /must be a JSON object/],
  ['claude-post-tool-use.json', /handles PreToolUse events, got 'PostToolUse'/],
  ['claude-no-tool-input.json', /no "tool_input" object/],
  ['claude-command-not-string.json', /no "command"/],
])(
  'claude-code: malformed stdin %s is denied, never allowed',
  async (file, message) => {
    const run = await cavra(['hook', 'claude-code'], { input: fixture(`malformed/${file}`) });
    expect(run.code).toBe(0);
    const answer = claudeAnswer(run.stdout);
    expect(answer.permission).toBe('deny');
    expect(answer.reason).toMatch(message);
    expect(answer.reason).toMatch(/fail closed/);
  },
  60_000,
);

test('cursor: an event it does not handle is denied', async () => {
  const run = await cavra(['hook', 'cursor'], { input: fixture('malformed/cursor-after-file-edit.json') });
  expect(JSON.parse(run.stdout)).toMatchObject({ permission: 'deny' });
  expect(run.stderr).toMatch(
    /handles beforeShellExecution, beforeMCPExecution, beforeReadFile, got 'afterFileEdit'/,
  );
}, 60_000);

test('--on-error ask (or CAVRA_HOOK_ON_ERROR=ask) asks instead of denying; a bad value still denies', async () => {
  const asked = await cavra(['hook', 'claude-code', '--on-error', 'ask'], { input: 'nope' });
  expect(claudeAnswer(asked.stdout).permission).toBe('ask');
  const bad = await cavra(['hook', 'claude-code', '--on-error', 'allow'], {
    input: fixture('claude-code/read-source.json'),
  });
  expect(claudeAnswer(bad.stdout)).toMatchObject({ permission: 'deny' });
  expect(claudeAnswer(bad.stdout).reason).toMatch(/--on-error .* must be deny or ask, got 'allow'/);
}, 60_000);

test('a misconfigured hook command (unknown flag, unknown pack) denies instead of allowing', async () => {
  const flag = await cavra(['hook', 'claude-code', '--bogus'], {
    input: fixture('claude-code/read-source.json'),
  });
  expect(flag.code).toBe(0);
  expect(claudeAnswer(flag.stdout).permission).toBe('deny');
  const pack = await cavra(['hook', 'cursor', '-p', 'no-such-pack', '--no-daemon'], {
    input: fixture('cursor/read-source.json'),
  });
  expect(JSON.parse(pack.stdout)).toMatchObject({ permission: 'deny' });
  expect((JSON.parse(pack.stdout) as { agent_message: string }).agent_message).toMatch(
    /unknown policy pack 'no-such-pack'/,
  );
}, 60_000);

test('--record stores the hook decision as evidence in the local store', async () => {
  const run = await cavra(['hook', 'claude-code', '--no-daemon', '--record', '--db', 'evidence.db'], {
    input: fixture('claude-code/bash-terraform-apply.json'),
  });
  expect(claudeAnswer(run.stdout).permission).toBe('deny');
  expect(run.stderr).toMatch(/recorded 1 decision in .*evidence\.db \(evidence entry 0\)/);
}, 60_000);
