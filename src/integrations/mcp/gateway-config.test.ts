import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parseGatewayConfig } from './gateway-config';

test('a minimal config parses', () => {
  const parsed = parseGatewayConfig({ servers: [{ name: 'github', command: 'npx', args: ['-y', 'x'] }] });
  expect(parsed).toMatchObject({ ok: true, value: { servers: [{ name: 'github', command: 'npx' }] } });
});

test('every problem is reported with its path', () => {
  const parsed = parseGatewayConfig({
    servers: [
      { name: 'a__b', command: 'x' },
      { name: 'ok', command: 'x', url: 'http://x' },
      { name: 'c', command: 'x', trust: { trust_tier: 'friendly' } },
    ],
    approvals: { mode: 'later' },
    extra: true,
  });
  expect(parsed.ok).toBe(false);
  const problems = parsed.ok ? [] : parsed.problems;
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^servers\.0\.name: use letters, digits/),
      expect.stringMatching(/^servers\.1: give either "command"/),
      expect.stringMatching(/^servers\.2\.trust\.trust_tier: /),
      expect.stringMatching(/^approvals\.mode: /),
      expect.stringMatching(/^\(top level\): .*extra/),
    ]),
  );
});

test('server names must be unique (they prefix the tools)', () => {
  const parsed = parseGatewayConfig({
    servers: [
      { name: 'a', command: 'x' },
      { name: 'a', url: 'http://x' },
    ],
  });
  expect(parsed).toEqual({ ok: false, problems: ["servers: the name 'a' is used twice"] });
});

test('the documented example (fixtures/mcp/gateway.example.json) parses', () => {
  const file = join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    '..',
    'fixtures',
    'mcp',
    'gateway.example.json',
  );
  const parsed = parseGatewayConfig(JSON.parse(readFileSync(file, 'utf8')));
  expect(parsed).toMatchObject({ ok: true, value: { servers: [{ name: 'fs' }, { name: 'warehouse' }] } });
});
