import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { recordedWorkspace, workspace } from './evidence-test-support';

const ROOT = '.cavra/keys/evidence-trust-root.json';
const BUNDLE = '.cavra/bundles/sess-a';
const UPSTREAM_FILES = [
  'evidence.json',
  'pr-attestation.md',
  'compliance-mapping.md',
  'siem-event.json',
  'sandbox-run-summary.json',
  'retention-policy.json',
];

describe('cavra evidence bundle', { timeout: 30_000 }, () => {
  test('writes upstream files plus inclusion-proofs.json, signs a checkpoint first when needed, and verifies', async () => {
    const ws = await recordedWorkspace();
    const run = await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^session\s+sess-a\ndecisions\s+3\nsignature\s+Ed25519, key [0-9a-f]{16}\n/);
    // The first record signed a checkpoint of 1 entry only, so the bundle signed one over all 5.
    expect(run.stdout).toContain(
      'inclusion proofs  3 proofs against the checkpoint of tree size 5 (signed now)',
    );
    expect(readdirSync(ws.path(BUNDLE)).sort()).toEqual(
      [...UPSTREAM_FILES, 'inclusion-proofs.json', 'manifest.json'].sort(),
    );
    const manifest = JSON.parse(readFileSync(ws.path(BUNDLE, 'manifest.json'), 'utf8')) as {
      files: { path: string }[];
    };
    expect(manifest.files.map((f) => f.path)).toEqual([...UPSTREAM_FILES, 'inclusion-proofs.json']);
    const verify = await ws.run(['evidence', 'verify', BUNDLE, '--trust-root', ROOT, '--require-signature']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(
      /^VALID: evidence bundle for session sess-a — 0 error\(s\), 0 warning\(s\)\n/,
    );
    expect(verify.stdout).toContain('checked: files 7, decisions 3, signatures 1, inclusion_proofs 3');
  });

  test('flipping one byte of any file makes it invalid', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    const original = new Map(
      readdirSync(ws.path(BUNDLE)).map((name) => [name, readFileSync(ws.path(BUNDLE, name))]),
    );
    for (const [name, bytes] of original) {
      const edited = Buffer.from(bytes);
      const at = Math.floor(edited.length / 2);
      edited[at] = (edited[at] ?? 0) ^ 0x01;
      writeFileSync(ws.path(BUNDLE, name), edited);
      const run = await ws.run(['evidence', 'verify', BUNDLE, '--trust-root', ROOT]);
      expect(run.code, name).toBe(1);
      expect(run.stdout, name).toMatch(/^INVALID: /);
      writeFileSync(ws.path(BUNDLE, name), bytes);
    }
    expect((await ws.run(['evidence', 'verify', BUNDLE, '--trust-root', ROOT])).code).toBe(0);
  });

  test('--zip writes one archive that verifies; --force replaces; a folder is not overwritten silently', async () => {
    const ws = await recordedWorkspace();
    const zip = await ws.run(['evidence', 'bundle', '--session', 'sess-b', '--zip']);
    expect(zip.code).toBe(0);
    const archive = '.cavra/bundles/sess-b-evidence-bundle.zip';
    expect(existsSync(ws.path(archive))).toBe(true);
    expect((await ws.run(['evidence', 'verify', archive, '--trust-root', ROOT])).code).toBe(0);
    const again = await ws.run(['evidence', 'bundle', '--session', 'sess-b', '--zip']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists: pass --force to replace it/);
    expect((await ws.run(['evidence', 'bundle', '--session', 'sess-b', '--zip', '--force'])).code).toBe(0);
    await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    const folder = await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is not empty: pass --force to replace the bundle in it/);
  });

  test('without a key: a digest-only manifest and no inclusion proofs, with the reason on stderr', async () => {
    const ws = await recordedWorkspace({ key: false });
    const run = await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nsignature\s+SHA256 digest only: integrity, not authenticity/);
    expect(run.stderr).toMatch(
      /^cavra: warning: inclusion-proofs\.json not written: no checkpoint covers entry 3 \(the log has no checkpoint yet\) and there is no key to sign one: run 'cavra evidence keygen'/,
    );
    expect(existsSync(ws.path(BUNDLE, 'inclusion-proofs.json'))).toBe(false);
    const verify = await ws.run(['evidence', 'verify', BUNDLE]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^!!! SIGNATURE NOT VERIFIED !!!/);
  });

  test('HS256 with --key verifies only with that key', async () => {
    const ws = await recordedWorkspace();
    expect((await ws.run(['evidence', 'bundle', '--session', 'sess-a', '--key', 's3cret'])).code).toBe(0);
    expect((await ws.run(['evidence', 'verify', BUNDLE, '--key', 's3cret', '--trust-root', ROOT])).code).toBe(
      0,
    );
    const wrong = await ws.run(['evidence', 'verify', BUNDLE, '--key', 'guess']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('error   signature_mismatch [manifest.json]: manifest signature mismatch');
  });

  test('an unknown session lists the sessions there are; usage errors', async () => {
    const ws = await recordedWorkspace();
    const run = await ws.run(['evidence', 'bundle', '--session', 'sess-z']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^cavra: no decisions of session 'sess-z' in the evidence log at \.cavra\/cavra\.db: recent sessions: sess-[ab], sess-[ab]\n/,
    );
    const cases: [string[], RegExp][] = [
      [[], /^cavra: missing --session <session_id>/],
      [
        ['--session', 'a', '--key', 'k', '--private-key', 'p.pem'],
        /give --key \(HS256\) or --private-key \(Ed25519\), not both/,
      ],
      [
        ['--session', 'a', '--private-key', 'nope.pem'],
        /^cavra: cannot read private key 'nope\.pem': no such file/,
      ],
      [['sess-a'], /^cavra: unexpected argument 'sess-a': name the session with --session/],
    ];
    for (const [args, message] of cases) {
      const result = await ws.run(['evidence', 'bundle', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  test('a session id cannot steer the output path', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evaluate', 'read_file', '.env', '--record'], {});
    const input = JSON.stringify({ action_type: 'read_file', target: '.env', session_id: '../../escape' });
    await ws.run(['evaluate', '--input', '-', '--record'], { stdin: input });
    const run = await ws.run(['evidence', 'bundle', '--session', '../../escape']);
    expect(run.code).toBe(0);
    expect(existsSync(ws.path('.cavra/bundles/__.._escape/manifest.json'))).toBe(true);
  });
});

describe('cavra evidence export-siem', { timeout: 30_000 }, () => {
  test('upstream payloads, OCSF and JSONL from a bundle that verifies', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    const all = await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'all']);
    expect(all.code).toBe(0);
    expect(readdirSync(ws.path(`${BUNDLE}-siem`)).sort()).toEqual([
      'datadog-events.json',
      'sentinel-log-analytics.json',
      'splunk-hec-events.json',
      'webhook-payload.json',
    ]);
    const ocsf = await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'ocsf', '--out', 'siem']);
    expect(ocsf.code).toBe(0);
    const events = readFileSync(ws.path('siem/ocsf-events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[0] ?? '{}')).toMatchObject({ class_uid: 6003 });
    await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'jsonl', '--out', 'siem']);
    expect(readFileSync(ws.path('siem/decisions.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(3);
  });

  test('a tampered bundle is not exported; unknown providers are usage errors', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evidence', 'bundle', '--session', 'sess-a']);
    writeFileSync(
      ws.path(BUNDLE, 'siem-event.json'),
      readFileSync(ws.path(BUNDLE, 'siem-event.json'), 'utf8').replace('high', 'low'),
    );
    const run = await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'splunk']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /does not verify \(1 error\(s\), first: checksum mismatch: siem-event\.json\): nothing exported/,
    );
    expect(existsSync(ws.path(`${BUNDLE}-siem`))).toBe(false);
    const unknown = await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'qradar']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^cavra: unknown provider 'qradar': use one of all, splunk, sentinel, datadog, webhook, ocsf, jsonl\n/,
    );
    rmSync(ws.path(BUNDLE), { recursive: true });
    expect((await ws.run(['evidence', 'export-siem', BUNDLE, '--provider', 'all'])).stderr).toMatch(
      /^cavra: cannot read bundle/,
    );
    expect(workspace().dir).not.toBe(ws.dir);
  });
});
