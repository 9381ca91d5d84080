/**
 * The evidence commands end to end through the real launcher (the bundle built by test/global-setup.ts):
 * record → checkpoint → export → verify, tampering with the export, bundles and their zip round trip.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'cavra.mjs');
const TRUST_ROOT = '.cavra/keys/evidence-trust-root.json';

function cavra(cwd: string, args: string[], input = ''): SpawnSyncReturns<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CAVRA_') && name !== 'NO_COLOR'),
  );
  return spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env });
}

const REQUESTS = [
  { action_type: 'read_file', target: 'config/.env', session_id: 'sess-demo' },
  { action_type: 'execute_command', target: 'npm test', session_id: 'sess-demo' },
  { action_type: 'execute_command', target: 'terraform apply -auto-approve', session_id: 'sess-demo' },
  { action_type: 'git_operation', target: 'origin/main', session_id: 'sess-demo' },
  { action_type: 'write_file', target: 'iam/admin.json', session_id: 'sess-other' },
  {
    action_type: 'mcp_tool_call',
    server: 'github-mcp',
    tool: 'create_pull_request',
    session_id: 'sess-demo',
  },
];

/** Each test spawns the CLI a dozen times: generous on a busy two-core machine. */
const TIMEOUT = 60_000;

describe('cavra evidence, end to end', { timeout: TIMEOUT }, () => {
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cavra-evidence-e2e-'));
    const keygen = cavra(dir, ['evidence', 'keygen']);
    expect(keygen.stderr).toBe('');
    expect(keygen.status).toBe(0);
    const one = cavra(dir, ['evaluate', 'read_file', '.env', '--record']);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('recorded 1 decision in .cavra/cavra.db (evidence entry 0)');
    const batch = cavra(dir, ['evaluate', '--input', '-', '--record', '--json'], JSON.stringify(REQUESTS));
    expect(batch.status).toBe(0);
    expect(JSON.parse(batch.stdout)).toHaveLength(REQUESTS.length);
    expect(batch.stderr).toBe('cavra: recorded 6 decisions in .cavra/cavra.db (evidence entries 1..6)\n');
    const checkpoint = cavra(dir, ['evidence', 'checkpoint']);
    expect(checkpoint.status).toBe(0);
    expect(checkpoint.stdout).toMatch(/^tree size\s+7 entries\n/);
    const exported = cavra(dir, ['evidence', 'export', '--out', 'log.jsonl']);
    expect(exported.status).toBe(0);
  }, TIMEOUT);

  test('record → checkpoint → export → verify --log --trust-root is valid', () => {
    const run = cavra(dir, ['evidence', 'verify', '--log', 'log.jsonl', '--trust-root', TRUST_ROOT]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^VALID: evidence log log\.jsonl — 0 error\(s\)/);
    expect(run.stdout).toContain('signatures verified 2, entries covered by a verified checkpoint 7');
  });

  test('one changed character in any entry line makes it invalid, naming that entry', () => {
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trimEnd().split('\n');
    lines.forEach((line, index) => {
      if (!line.startsWith('{"entry_hash"')) return;
      const sequence = (JSON.parse(line) as { sequence: number }).sequence;
      // A character inside the payload (the decision's reason), keeping the line valid JSON.
      const at = line.indexOf('"reason":"') + 12;
      const changed = `${line.slice(0, at)}${line[at] === 'x' ? 'y' : 'x'}${line.slice(at + 1)}`;
      const edited = lines.map((l, i) => (i === index ? changed : l));
      writeFileSync(join(dir, 'edited.jsonl'), `${edited.join('\n')}\n`);
      const run = cavra(dir, ['evidence', 'verify', '--log', 'edited.jsonl', '--trust-root', TRUST_ROOT]);
      expect(run.status, `entry ${sequence}`).toBe(1);
      expect(run.stdout).toMatch(/^INVALID: /);
      expect(run.stdout).toContain(`error   entry_hash_mismatch [entry ${sequence}, line ${index + 1}]`);
    });
  });

  test('a bundle verifies, fails after any one-byte change, and survives a zip round trip', () => {
    const made = cavra(dir, ['evidence', 'bundle', '--session', 'sess-demo', '--out', 'bundle']);
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/inclusion proofs\s+5 proofs against the checkpoint of tree size 7\n/);
    const ok = cavra(dir, [
      'evidence',
      'verify',
      'bundle',
      '--trust-root',
      TRUST_ROOT,
      '--require-signature',
    ]);
    expect(ok.stdout).toMatch(/^VALID: evidence bundle for session sess-demo — 0 error\(s\), 0 warning\(s\)/);
    expect(ok.status).toBe(0);
    for (const name of readdirSync(join(dir, 'bundle'))) {
      const file = join(dir, 'bundle', name);
      const bytes = readFileSync(file);
      const flipped = Buffer.from(bytes);
      const at = Math.floor(bytes.length / 3);
      flipped[at] = (flipped[at] ?? 0) ^ 0x20;
      writeFileSync(file, flipped);
      const run = cavra(dir, ['evidence', 'verify', 'bundle', '--trust-root', TRUST_ROOT]);
      expect(run.status, name).toBe(1);
      expect(run.stdout, name).toMatch(/^INVALID: /);
      writeFileSync(file, bytes);
    }
    const zipped = cavra(dir, [
      'evidence',
      'bundle',
      '--session',
      'sess-demo',
      '--zip',
      '--out',
      'bundle.zip',
    ]);
    expect(zipped.status).toBe(0);
    const fromZip = cavra(dir, ['evidence', 'verify', 'bundle.zip', '--trust-root', TRUST_ROOT, '--json']);
    expect(fromZip.status).toBe(0);
    expect(JSON.parse(fromZip.stdout)).toMatchObject({
      valid: true,
      session_id: 'sess-demo',
      checked: { files: 7, decisions: 5, signatures: 1, inclusion_proofs: 5 },
    });
    const siem = cavra(dir, ['evidence', 'export-siem', 'bundle.zip', '--provider', 'all']);
    expect(siem.status).toBe(0);
    expect(readdirSync(join(dir, 'bundle-siem'))).toHaveLength(4);
  });

  test('a decision proof verifies against the latest checkpoint', () => {
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trimEnd().split('\n');
    const entry = JSON.parse(lines.find((l) => l.includes('terraform apply')) ?? '{}') as {
      payload: { decision_id: string };
    };
    const run = cavra(dir, ['evidence', 'proof', entry.payload.decision_id, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      sequence: 3,
      verified: { inclusion: true, signature: 'verified' },
    });
  });
});

/** Runs the CLI without waiting, so several can run at once; resolves to the exit code. */
function cavraAsync(cwd: string, args: string[]): Promise<number | null> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CAVRA_') && name !== 'NO_COLOR'),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: 'ignore' });
    child.on('close', resolve);
  });
}

test(
  'concurrent --record processes extend one chain, and their checkpoints verify cleanly',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cavra-evidence-concurrent-'));
    expect(cavra(dir, ['evidence', 'keygen']).status).toBe(0);
    const writer = async (w: number): Promise<(number | null)[]> => {
      const codes: (number | null)[] = [];
      for (let i = 0; i < 3; i++)
        codes.push(await cavraAsync(dir, ['evaluate', 'read_file', `f${w}-${i}`, '--record']));
      return codes;
    };
    const codes = (await Promise.all([0, 1, 2, 3].map(writer))).flat();
    expect(codes).toEqual(Array.from({ length: 12 }, () => 0));
    const run = cavra(dir, [
      'evidence',
      'verify',
      '--db',
      '.cavra/cavra.db',
      '--trust-root',
      TRUST_ROOT,
      '--json',
    ]);
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      checked: { entries: number };
      warnings: { code: string }[];
    };
    expect(report.valid).toBe(true);
    expect(report.checked.entries).toBe(12);
    expect(report.warnings.map((w) => w.code)).not.toContain('checkpoint_predates_entries');
  },
  TIMEOUT,
);
