import { expect, test } from 'vitest';
import { buildPolicySet, parsePack, withExtraPack } from '../index';

const pack = (id: string, body = '', inherits?: string): string =>
  `metadata:\n  id: ${id}\n  title: ${id}\n  description: test\n  version: "1"\n${inherits === undefined ? '' : `  inherits: ${inherits}\n`}${body}`;

test('schema errors carry file, line and column; unknown keys are warnings', () => {
  const source = pack(
    'p',
    'filesystem:\n  block_read: [".env", 42]\n  blok_write: ["x"]\ncommands:\n  block: "not-a-list"\n',
  );
  const { diagnostics } = parsePack(source, 'policies/p/policy.yaml');
  const summary = diagnostics.map((d) => `${d.severity} ${d.file}:${d.line}:${d.column} ${d.path}`);
  expect(summary).toContain('error policies/p/policy.yaml:7:24 /filesystem/block_read/1');
  expect(summary).toContain('warning policies/p/policy.yaml:8:3 /filesystem/blok_write');
  expect(summary).toContain('error policies/p/policy.yaml:10:10 /commands/block');
  expect(diagnostics.find((d) => d.path === '/commands/block')?.message).toBe('must be a list');
  expect(diagnostics.find((d) => d.path === '/filesystem/block_read/1')?.message).toBe('must be a string');
  expect(diagnostics.find((d) => d.path === '/filesystem/blok_write')?.message).toMatch(
    /unknown key 'blok_write'/,
  );
});

test('YAML syntax errors are located too', () => {
  const { diagnostics, document } = parsePack('metadata:\n  id: [unclosed\n', 'bad.yaml');
  expect(document).toBeUndefined();
  expect(diagnostics[0]?.severity).toBe('error');
  expect(diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
});

test('missing required metadata is an error naming the field', () => {
  const { diagnostics } = parsePack('metadata:\n  id: x\n', 'm.yaml');
  expect(diagnostics.some((d) => d.severity === 'error' && d.message.includes('title'))).toBe(true);
});

test('inheritance concatenates, de-duplicates and sorts lists; origins are kept', () => {
  const set = buildPolicySet([
    { id: 'parent', file: 'parent.yaml', source: pack('parent', 'commands:\n  block: ["z*", "a*"]\n') },
    {
      id: 'child',
      file: 'child.yaml',
      source: pack('child', 'commands:\n  block: ["m*", "a*"]\n', 'parent'),
    },
  ]);
  const child = set.packs.get('child');
  expect(child?.document['commands']).toEqual({ block: ['a*', 'm*', 'z*'] });
  expect(child?.commands.block.patterns).toEqual([
    { pattern: 'a*', pack: 'parent' },
    { pattern: 'm*', pack: 'child' },
    { pattern: 'z*', pack: 'parent' },
  ]);
  expect(child?.inherits).toEqual(['parent']);
  expect((child?.document['metadata'] as Record<string, unknown>)['inherits']).toBe('parent');
});

test('the revision is a content hash: stable, sensitive to rules, blind to tests', () => {
  const build = (body: string) =>
    buildPolicySet([{ id: 'p', file: 'p.yaml', source: pack('p', body) }]).packs.get('p')?.revision;
  const base = build('commands:\n  allow: ["npm test*"]\n');
  expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(build('commands:\n  allow: ["npm test*"]\n')).toBe(base);
  expect(build('commands:\n  allow: ["npm test*", "ls*"]\n')).not.toBe(base);
  expect(build('commands:\n  allow: ["npm test*"]\ntests: []\n')).toBe(base);
});

test('an inheritance cycle and an unknown parent are errors that leave the pack out', () => {
  const set = buildPolicySet([
    { id: 'a', file: 'a.yaml', source: pack('a', '', 'b') },
    { id: 'b', file: 'b.yaml', source: pack('b', '', 'a') },
    { id: 'c', file: 'c.yaml', source: pack('c', '', 'nope') },
  ]);
  expect(set.packs.size).toBe(0);
  const messages = set.diagnostics.map((d) => d.message);
  expect(messages.some((m) => m.includes('inheritance cycle: a → b → a'))).toBe(true);
  expect(messages.some((m) => m.includes("inherits unknown pack 'nope'"))).toBe(true);
});

test('withExtraPack adds a compiled JSON pack and makes it the default', () => {
  const base = buildPolicySet([]);
  const json = JSON.stringify({
    metadata: { id: 'compiled', title: 't', description: 'd', version: '1' },
    filesystem: { block_read: ['**/*.secret'] },
  });
  const result = withExtraPack(base, { id: 'x.json', file: 'x.json', source: json }, true);
  expect(result.ok && result.value.defaultPack).toBe('compiled');
  const broken = withExtraPack(base, { id: 'y', file: 'y.yaml', source: 'metadata: {id: y}' }, true);
  expect(broken.ok).toBe(false);
  if (!broken.ok) expect(broken.error.message).toMatch(/^y\.yaml:1:\d+: /);
});
