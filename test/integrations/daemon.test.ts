/**
 * The enforcement daemon as real processes: `cavra daemon start` launches it detached, clients (the hooks,
 * `evaluate --daemon`, raw socket clients) ask it concurrently, `status` reports, `stop` ends it and cleans up.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { verifyDaemonEvidence } from '../../src/integrations/daemon/evidence-stream';
import { cavra, claudeAnswer, cleanEnv, fixture, tempDir } from './hooks-support';

const started: string[] = [];

afterEach(async () => {
  // A failed test must not leave a daemon behind: stop every one this file started.
  await Promise.all(started.splice(0).map((cwd) => cavra(['daemon', 'stop'], { cwd })));
});

async function startDaemon(cwd: string, args: string[] = [], env = cleanEnv()): Promise<void> {
  const run = await cavra(['daemon', 'start', ...args], { cwd, env });
  started.push(cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^cavra daemon: started \(pid \d+\) on \.cavra\/daemon\.sock/);
}

/** Sends raw lines on one connection (half-closing after them) and collects the answer lines. */
function ask(socket: string, text: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let buffer = '';
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => (buffer += chunk));
    client.on('error', reject);
    client.on('end', () => {
      resolve(
        buffer
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown),
      );
    });
    client.end(text);
  });
}

test('start, status, stop as real processes: pid file, socket, clean stop', async () => {
  const cwd = tempDir();
  await startDaemon(cwd);
  const pid = (JSON.parse(readFileSync(join(cwd, '.cavra/daemon.pid'), 'utf8')) as { pid: number }).pid;
  expect(() => process.kill(pid, 0)).not.toThrow();
  const again = await cavra(['daemon', 'start'], { cwd });
  expect(again.stdout).toMatch(`already running (pid ${pid})`);
  const status = await cavra(['daemon', 'status', '--json'], { cwd });
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({
    running: true,
    pid,
    decisions: 0,
    default_pack: 'cavra-ai-agent-baseline',
  });
  const stop = await cavra(['daemon', 'stop'], { cwd });
  expect(stop.stdout).toMatch(`stopped (pid ${pid})`);
  expect(() => process.kill(pid, 0)).toThrow();
  expect(existsSync(join(cwd, '.cavra/daemon.sock'))).toBe(false);
  expect(existsSync(join(cwd, '.cavra/daemon.pid'))).toBe(false);
  const after = await cavra(['daemon', 'status'], { cwd });
  expect(after.code).toBe(1);
  expect(after.stdout).toMatch(/not running/);
}, 60_000);

test('hooks and evaluate --daemon use the daemon when its socket exists; its evidence stream verifies', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'stream.key'), 'daemon-stream-key-0123456789\n');
  await startDaemon(cwd, ['--evidence-key-file', 'stream.key', '--evidence-key-id', 'test-1']);
  const hook = await cavra(['hook', 'claude-code'], {
    cwd,
    input: fixture('claude-code/bash-terraform-apply.json'),
  });
  expect(claudeAnswer(hook.stdout).permission).toBe('deny');
  const cursor = await cavra(['hook', 'cursor'], { cwd, input: fixture('cursor/shell-terraform-plan.json') });
  expect(JSON.parse(cursor.stdout)).toMatchObject({ permission: 'allow' });
  const evaluated = await cavra(['evaluate', '--daemon', 'read_file', '.env', '--json'], { cwd });
  const decision = JSON.parse(evaluated.stdout) as { decision: string; evidence_refs: string[] };
  expect(decision.decision).toBe('block');
  expect(decision.evidence_refs[1]).toMatch(/^go-daemon-evidence:\/\/[0-9a-f]{24}$/);
  const stream = readFileSync(join(cwd, '.cavra/daemon-evidence.jsonl'), 'utf8');
  const key = { keyId: 'test-1', secret: new TextEncoder().encode('daemon-stream-key-0123456789') };
  expect(verifyDaemonEvidence(stream, 'stream', key)).toMatchObject({
    valid: true,
    records: 3,
    signed_records: 3,
  });
  const verify = await cavra(
    ['daemon', 'verify', '.cavra/daemon-evidence.jsonl', '--key-file', 'stream.key', '--key-id', 'test-1'],
    { cwd },
  );
  expect(verify.stdout).toMatch(/^valid: 3 record\(s\), 3 signed/);
}, 60_000);

test('concurrent clients each get their own answers, in order; the chain stays intact', async () => {
  const cwd = tempDir();
  await startDaemon(cwd);
  const socket = join(cwd, '.cavra/daemon.sock');
  const clients = Array.from({ length: 16 }, (_, i) =>
    ask(
      socket,
      [
        JSON.stringify({ action_type: 'execute_command', target: 'terraform plan', session_id: `c${i}` }),
        JSON.stringify({ action_type: 'read_file', target: '.env', session_id: `c${i}` }),
        '',
      ].join('\n'),
    ),
  );
  const answers = (await Promise.all(clients)) as { decision: string; session_id: string }[][];
  answers.forEach((pair, i) => {
    expect(pair.map((answer) => [answer.session_id, answer.decision])).toEqual([
      [`c${i}`, 'allow'],
      [`c${i}`, 'block'],
    ]);
  });
  const stream = readFileSync(join(cwd, '.cavra/daemon-evidence.jsonl'), 'utf8');
  expect(verifyDaemonEvidence(stream, 'stream')).toMatchObject({ valid: true, records: 32 });
}, 60_000);

test('fail closed: malformed lines, unknown packs and unknown ops are answered with a block, never an allow', async () => {
  const cwd = tempDir();
  await startDaemon(cwd);
  const answers = (await ask(
    join(cwd, '.cavra/daemon.sock'),
    [
      'not json',
      '[1]',
      '{"op":"reboot"}',
      '{"action_type":"read_file","target":"a","policy_pack":"nope"}',
      '{"action_type":"rm_rf"}',
    ].join('\n'),
  )) as { decision: string; rule_id: string; error: { code: string } }[];
  expect(answers.map((answer) => [answer.decision, answer.rule_id, answer.error.code])).toEqual([
    ['block', 'daemon.request.invalid', 'invalid_json'],
    ['block', 'daemon.request.invalid', 'invalid_request'],
    ['block', 'daemon.request.invalid', 'unknown_op'],
    ['block', 'daemon.request.invalid', 'unknown_policy_pack'],
    ['block', 'daemon.request.invalid', 'unknown_action_type'],
  ]);
}, 60_000);

test('runner auth: unsigned requests are blocked; requests signed with the runner key from the environment are decided', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'runner.key'), 'runner-key-0123456789abcdef\n');
  await startDaemon(cwd, ['--runner-key-file', 'runner.key', '--runner-key-id', 'ci-1']);
  const unsigned = await cavra(['evaluate', '--daemon', 'execute_command', 'terraform plan', '--json'], {
    cwd,
  });
  expect(JSON.parse(unsigned.stdout)).toMatchObject({
    decision: 'block',
    rule_id: 'daemon.runner_auth.failed',
  });
  const env = cleanEnv({
    CAVRA_RUNNER_KEY_FILE: 'runner.key',
    CAVRA_RUNNER_KEY_ID: 'ci-1',
    CAVRA_RUNNER_ID: 'gh-7',
  });
  const signed = await cavra(['evaluate', '--daemon', 'execute_command', 'terraform plan', '--json'], {
    cwd,
    env,
  });
  expect(JSON.parse(signed.stdout)).toMatchObject({ decision: 'allow', actor: 'runner:gh-7' });
  const hook = await cavra(['hook', 'claude-code'], {
    cwd,
    input: fixture('claude-code/bash-terraform-plan.json'),
  });
  expect(claudeAnswer(hook.stdout).permission).toBe('deny');
}, 60_000);
