import { expect, test } from 'vitest';
import { parseCommandArgs } from './args';

const OPTIONS = { json: { type: 'boolean' }, 'policy-pack': { type: 'string', short: 'p' } } as const;

test('parses flags and positionals', () => {
  expect(parseCommandArgs(['read_file', '-p', 'x', '.env', '--json'], OPTIONS)).toEqual({
    ok: true,
    values: { 'policy-pack': 'x', json: true },
    positionals: ['read_file', '.env'],
  });
});

test('turns node parseArgs errors into short lowercase messages', () => {
  expect(parseCommandArgs(['--nope'], OPTIONS)).toEqual({ ok: false, message: "unknown option '--nope'" });
  expect(parseCommandArgs(['-rf'], OPTIONS)).toMatchObject({
    message: "unknown option '-r' (to pass an argument that starts with '-', put it after '--')",
  });
  expect(parseCommandArgs(['--policy-pack'], OPTIONS)).toEqual({
    ok: false,
    message: "option '--policy-pack' needs a value",
  });
  expect(parseCommandArgs(['--json=yes'], OPTIONS)).toEqual({
    ok: false,
    message: "option '--json' does not take a value",
  });
  expect(parseCommandArgs(['--policy-pack', '-x'], OPTIONS)).toMatchObject({
    message:
      "option '--policy-pack' needs a value (for a value that starts with '-', write --policy-pack=-value)",
  });
});

test('arguments after -- are positionals even when they start with -', () => {
  expect(parseCommandArgs(['--', '-rf'], OPTIONS)).toMatchObject({ ok: true, positionals: ['-rf'] });
});
