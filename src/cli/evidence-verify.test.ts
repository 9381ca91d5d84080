import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { editStore, recordedWorkspace, workspace, type Workspace } from './evidence-test-support';

const ROOT = '.cavra/keys/evidence-trust-root.json';

/** A workspace with 5 recorded decisions, a checkpoint over all of them, and `log.jsonl` exported. */
async function exported(): Promise<Workspace> {
  const ws = await recordedWorkspace();
  await ws.run(['evidence', 'checkpoint']);
  const run = await ws.run(['evidence', 'export', '--out', 'log.jsonl']);
  expect(run.code).toBe(0);
  return ws;
}

describe('cavra evidence verify --log', { timeout: 30_000 }, () => {
  test('a log from the store verifies against its trust root', async () => {
    const ws = await exported();
    const run = await ws.run(['evidence', 'verify', '--log', 'log.jsonl', '--trust-root', ROOT]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^VALID: evidence log log\.jsonl — 0 error\(s\), 1 warning\(s\)\n {2}checked: entries 5, checkpoints 2, signatures verified 2, entries covered by a verified checkpoint 5\n/,
    );
    expect(run.stdout).toContain('  warning rollback_unchecked: no previously trusted checkpoint');
  });

  test('one changed character makes it invalid, and the error names the entry (and its line)', async () => {
    const ws = await exported();
    const lines = readFileSync(ws.path('log.jsonl'), 'utf8').split('\n');
    const index = lines.findIndex((line) => line.includes('terraform apply'));
    lines[index] = (lines[index] ?? '').replace('terraform apply', 'terraform apply'.replace('a', 'A'));
    writeFileSync(ws.path('edited.jsonl'), lines.join('\n'));
    const run = await ws.run(['evidence', 'verify', '--log', 'edited.jsonl', '--trust-root', ROOT]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^INVALID: evidence log edited\.jsonl — 1 error\(s\)/);
    const sequence = (JSON.parse(lines[index] ?? '{}') as { sequence: number }).sequence;
    expect(run.stdout).toContain(
      `  error   entry_hash_mismatch [entry ${sequence}, line ${index + 1}]: entry_hash does not match its content\n`,
    );
    const json = JSON.parse(
      (await ws.run(['evidence', 'verify', '--log', 'edited.jsonl', '--json'])).stdout,
    ) as {
      valid: boolean;
      errors: { code: string; sequence: number }[];
    };
    expect(json.valid).toBe(false);
    expect(json.errors).toEqual([expect.objectContaining({ code: 'entry_hash_mismatch', sequence })]);
  });

  test('every error is listed: a removed line and a swapped pair', async () => {
    const ws = await exported();
    const lines = readFileSync(ws.path('log.jsonl'), 'utf8').trimEnd().split('\n');
    const entries = lines.filter((line) => line.startsWith('{"entry_hash"'));
    const checkpoints = lines.filter((line) => !line.startsWith('{"entry_hash"'));
    const tampered = [entries[0], entries[2], entries[1], entries[4], ...checkpoints];
    writeFileSync(ws.path('t.jsonl'), `${tampered.join('\n')}\n`);
    const run = await ws.run(['evidence', 'verify', '--log', 't.jsonl', '--trust-root', ROOT]);
    expect(run.code).toBe(1);
    for (const code of [
      'sequence_gap',
      'sequence_out_of_order',
      'previous_hash_mismatch',
      'checkpoint_beyond_log',
    ]) {
      expect(run.stdout).toContain(`error   ${code}`);
    }
  });

  test('without a trust root: integrity only, said above everything; --require-signature fails it', async () => {
    const ws = await exported();
    const run = await ws.run(['evidence', 'verify', '--log', 'log.jsonl']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^!!! SIGNATURES NOT VERIFIED !!!\n/);
    expect(run.stdout).toContain('VALID (integrity only): evidence log log.jsonl');
    const strict = await ws.run(['evidence', 'verify', '--log', 'log.jsonl', '--require-signature']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('error   checkpoint_signature_unverified');
  });

  test('--public-key works as an active root; another key is an error per checkpoint', async () => {
    const ws = await exported();
    const ok = await ws.run([
      'evidence',
      'verify',
      '--log',
      'log.jsonl',
      '--public-key',
      '.cavra/keys/evidence-ed25519-public.pem',
    ]);
    expect(ok.code).toBe(0);
    await ws.run(['evidence', 'keygen', '--out', 'other']);
    const wrong = await ws.run([
      'evidence',
      'verify',
      '--log',
      'log.jsonl',
      '--trust-root',
      'other/evidence-trust-root.json',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout.match(/error {3}checkpoint_key_unknown/g)).toHaveLength(2);
  });

  test('a revoked root fails the checkpoints it signed', async () => {
    const ws = await exported();
    await ws.run(['evidence', 'trust-root', 'revoke', ROOT]);
    const run = await ws.run(['evidence', 'verify', '--log', 'log.jsonl', '--trust-root', ROOT]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error   checkpoint_key_revoked');
  });

  test('--trusted-checkpoint detects a rollback to an older copy', async () => {
    const ws = await exported();
    const lines = readFileSync(ws.path('log.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(ws.path('trusted.json'), lines.at(-1) ?? '');
    const older = lines.slice(0, 2).join('\n') + '\n';
    writeFileSync(ws.path('older.jsonl'), older);
    const run = await ws.run([
      'evidence',
      'verify',
      '--log',
      'older.jsonl',
      '--trust-root',
      ROOT,
      '--trusted-checkpoint',
      'trusted.json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error   log_rollback');
  });

  test('--db verifies the store itself and names an edited entry', async () => {
    const ws = await exported();
    const ok = await ws.run(['evidence', 'verify', '--db', '.cavra/cavra.db', '--trust-root', ROOT]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^VALID: evidence log in \.cavra\/cavra\.db/);
    editStore(
      ws,
      "update evidence_entries set payload = replace(payload, 'npm test', 'npm tests') where sequence = 2",
    );
    const edited = await ws.run(['evidence', 'verify', '--db', '.cavra/cavra.db', '--trust-root', ROOT]);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(
      '  error   entry_hash_mismatch [entry 2]: entry_hash does not match its content\n',
    );
  });

  test('progress goes to stderr with --progress (and on a terminal), never to stdout', async () => {
    const ws = await exported();
    const run = await ws.run(['evidence', 'verify', '--log', 'log.jsonl', '--progress', '--json']);
    expect(run.stderr).toBe('verifying: 5 / 5 entries (100%)\n');
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'log', valid: true });
  });

  test('usage errors: nothing to verify, two things, bundle-only flags on a log, unreadable files', async () => {
    const ws = workspace();
    const cases: [string[], RegExp][] = [
      [[], /^cavra: missing what to verify: a bundle folder or \.zip, --log <file\.jsonl> or --db <store>\n/],
      [['b', '--log', 'x.jsonl'], /^cavra: give one thing to verify, not 'b' and --log\n/],
      [
        ['--log', 'x.jsonl', '--key', 's'],
        /^cavra: option '--key' applies to bundles, not logs: a log's checkpoints are signed with Ed25519/,
      ],
      [
        ['--log', 'x.jsonl', '--minimum-retention-days', '3'],
        /^cavra: option '--minimum-retention-days' applies to bundles/,
      ],
      [['--log', 'missing.jsonl'], /^cavra: cannot read log 'missing\.jsonl': no such file\n$/],
      [
        ['--log', 'x', '--trust-root', 'missing.json'],
        /^cavra: cannot read trust root 'missing\.json': no such file\n$/,
      ],
      [['nowhere'], /^cavra: cannot read bundle 'nowhere': no such file\n$/],
      [['--log', 'x', '--jsn'], /^cavra: unknown option '--jsn'\n/],
    ];
    for (const [args, message] of cases) {
      const run = await ws.run(['evidence', 'verify', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stdout, args.join(' ')).toBe('');
    }
  });
});
