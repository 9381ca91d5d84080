import { expect, test } from 'vitest';
import { runInMemory, tempFile } from './test-support';

type Compiled = {
  metadata: Record<string, unknown>;
  filesystem: Record<string, string[]>;
  commands: Record<string, string[]>;
};

test('compile prints the merged, normalised pack as JSON', async () => {
  const run = await runInMemory(['policy', 'compile', 'cavra-agentic-delivery']);
  expect(run.code).toBe(0);
  const pack = JSON.parse(run.stdout) as Compiled;
  expect(pack.metadata['id']).toBe('cavra-agentic-delivery');
  // Inherited from the baseline, and sorted by code point.
  expect(pack.filesystem['block_write']).toContain('.github/workflows/**');
  const allow = pack.commands['allow'] ?? [];
  expect(allow).toEqual([...allow].sort());
});

test('compile merges overlays in order; lists concatenate and the output keeps the base id', async () => {
  const overlay = tempFile(
    'overlay.yaml',
    'filesystem:\n  require_approval_write: ["services/payments/**"]\ncommands:\n  allow: ["make test*"]\n',
  );
  const run = await runInMemory(['policy', 'compile', 'cavra-ai-agent-baseline', '--overlay', overlay]);
  expect(run.code).toBe(0);
  const pack = JSON.parse(run.stdout) as Compiled;
  expect(pack.metadata).toEqual({
    id: 'cavra-ai-agent-baseline',
    title: 'CAVRA AI Agent Baseline',
    description: 'Baseline rules for AI agent runtime governance.',
    version: '0.1.0',
  });
  expect(pack.filesystem['require_approval_write']).toEqual([
    'iam/**',
    'policies/**',
    'security/**',
    'services/payments/**',
  ]);
  expect(pack.commands['allow']?.[0]).toBe('make test*');
});

test('an overlay may rename the result with metadata.id', async () => {
  const first = tempFile(
    'a.yaml',
    'metadata: { id: payments-ai, title: Payments AI, description: Payments overlay, version: "2.0.0" }\n',
  );
  const second = tempFile('b.yaml', 'commands: { block: ["make deploy*"] }\n');
  const run = await runInMemory([
    'policy',
    'compile',
    'cavra-ai-agent-baseline',
    '--overlay',
    first,
    '--overlay',
    second,
  ]);
  const pack = JSON.parse(run.stdout) as Compiled;
  expect(pack.metadata).toMatchObject({ id: 'payments-ai', title: 'Payments AI', version: '2.0.0' });
  expect(pack.commands['block']).toContain('make deploy*');
});

test('the compiled output can be used with --policy', async () => {
  const overlay = tempFile('overlay.yaml', 'commands:\n  allow: ["make test*"]\n');
  const compiled = await runInMemory(['policy', 'compile', 'cavra-ai-agent-baseline', '--overlay', overlay]);
  const file = tempFile('compiled.json', compiled.stdout);
  const run = await runInMemory(['evaluate', 'execute_command', 'make test', '--policy', file, '--json']);
  expect(JSON.parse(run.stdout)).toMatchObject({ decision: 'allow', rule_id: 'commands.allow' });
});

test('an invalid overlay exits 1 with located errors and prints no JSON', async () => {
  const overlay = tempFile('bad.yaml', 'commands:\n  allow: 3\n');
  const run = await runInMemory(['policy', 'compile', 'cavra-ai-agent-baseline', '--overlay', overlay]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`${overlay}:2:10: must be a list`);
  expect(run.stderr).toContain(`invalid overlay '${overlay}'`);
});

test('compile of an unknown pack exits 2', async () => {
  const run = await runInMemory(['policy', 'compile', 'nope']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("unknown policy pack 'nope'");
});
