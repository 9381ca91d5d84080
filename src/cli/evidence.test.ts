import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  decodePublicKeyPem,
  exportJsonl,
  parseTrustRoots,
  publicKeyFingerprint,
  verifyJsonl,
  type CheckpointRecord,
  type TrustRoot,
} from '../evidence';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { allCheckpoints, openEvidenceStore } from './evidence-store';
import { editStore, recordedWorkspace, workspace, type Workspace } from './evidence-test-support';

const KEY = '.cavra/keys/evidence-ed25519-private.pem';
const ROOT = '.cavra/keys/evidence-trust-root.json';

function trustRoots(ws: Workspace, file = ROOT): TrustRoot[] {
  const parsed = parseTrustRoots(JSON.parse(readFileSync(ws.path(file), 'utf8')), nodeCrypto);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('cavra evidence', { timeout: 30_000 }, () => {
  test('without a subcommand: the help on stderr, exit 2; unknown ones list the choices', async () => {
    const ws = workspace();
    const bare = await ws.run(['evidence']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^usage: cavra evidence <subcommand>/);
    const unknown = await ws.run(['evidence', 'sign']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^cavra: unknown evidence subcommand 'sign': use one of keygen, trust-root, checkpoint, export, proof, verify, bundle, export-siem\n/,
    );
    for (const sub of [
      'keygen',
      'trust-root',
      'checkpoint',
      'export',
      'proof',
      'verify',
      'bundle',
      'export-siem',
    ]) {
      const help = await ws.run(['evidence', sub, '--help']);
      expect(help.code, sub).toBe(0);
      expect(help.stdout, sub).toMatch(/^usage: cavra evidence /);
    }
    expect((await ws.run(['help', 'evidence'])).stdout).toMatch(/^usage: cavra evidence <subcommand>/);
  });
});

describe('cavra evidence keygen', { timeout: 30_000 }, () => {
  test('writes upstream PEM files (private 0600) and an active trust root for the key', async () => {
    const ws = workspace();
    const run = await ws.run(['evidence', 'keygen']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [root] = trustRoots(ws);
    if (root === undefined) throw new Error('no root');
    const publicPem = readFileSync(ws.path('.cavra/keys/evidence-ed25519-public.pem'), 'utf8');
    expect(decodePublicKeyPem(publicPem).ok).toBe(true);
    expect(root.public_key_pem).toBe(publicPem);
    expect(root.public_key_sha256).toBe(publicKeyFingerprint(publicPem, nodeCrypto));
    expect(root).toMatchObject({ status: 'active', owner: 'platform-security', valid_until: null });
    expect(root.key_id).toBe(root.public_key_sha256.slice(0, 16));
    expect(statSync(ws.path(KEY)).mode & 0o777).toBe(0o600);
    expect(readFileSync(ws.path(KEY), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(run.stdout).toContain(`key id       ${root.key_id}\n`);
    expect(run.stdout).toContain(`fingerprint  sha256:${root.public_key_sha256}\n`);
    expect(run.stdout).toContain('private key  .cavra/keys/evidence-ed25519-private.pem (mode 0600');
  });

  test('refuses to replace a key without --force, naming the files; --force makes a new one', async () => {
    const ws = workspace();
    await ws.run(['evidence', 'keygen']);
    const before = readFileSync(ws.path(KEY), 'utf8');
    const again = await ws.run(['evidence', 'keygen']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^cavra: \.cavra\/keys\/evidence-ed25519-private\.pem, \.cavra\/keys\/evidence-ed25519-public\.pem, \.cavra\/keys\/evidence-trust-root\.json already exist: keep the key, or pass --force/,
    );
    expect(readFileSync(ws.path(KEY), 'utf8')).toBe(before);
    const forced = await ws.run(['evidence', 'keygen', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(ws.path(KEY), 'utf8')).not.toBe(before);
    expect(statSync(ws.path(KEY)).mode & 0o777).toBe(0o600);
  });

  test('--out, --key-id, --owner and --json', async () => {
    const ws = workspace();
    const run = await ws.run([
      'evidence',
      'keygen',
      '--out',
      'keys',
      '--key-id',
      'ci-2026',
      '--owner',
      'ops',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, string>;
    expect(printed).toMatchObject({
      key_id: 'ci-2026',
      owner: 'ops',
      trust_root: ws.path('keys/evidence-trust-root.json'),
    });
    expect(trustRoots(ws, 'keys/evidence-trust-root.json')[0]?.key_id).toBe('ci-2026');
    expect((await ws.run(['evidence', 'keygen', 'keys'])).stderr).toMatch(
      /^cavra: unexpected argument 'keys': give the folder with --out/,
    );
  });
});

describe('cavra evidence trust-root', { timeout: 30_000 }, () => {
  async function twoKeys(): Promise<Workspace> {
    const ws = workspace();
    await ws.run(['evidence', 'keygen', '--out', 'a', '--key-id', 'old']);
    await ws.run(['evidence', 'keygen', '--out', 'b', '--key-id', 'new']);
    const bundled = await ws.run([
      'evidence',
      'trust-root',
      'bundle',
      'a/evidence-trust-root.json',
      'b/evidence-trust-root.json',
      '--out',
      'roots.json',
    ]);
    expect(bundled.code).toBe(0);
    return ws;
  }

  test('bundle: one bundle of several roots, sorted by key id; duplicates are refused', async () => {
    const ws = await twoKeys();
    expect(trustRoots(ws, 'roots.json').map((r) => r.key_id)).toEqual(['new', 'old']);
    const twice = await ws.run([
      'evidence',
      'trust-root',
      'bundle',
      'roots.json',
      'a/evidence-trust-root.json',
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("key id 'old' appears twice");
    const printed = await ws.run(['evidence', 'trust-root', 'bundle', 'a/evidence-trust-root.json']);
    expect(JSON.parse(printed.stdout)).toMatchObject({
      schema_version: 'cavra.evidence.trust-root-bundle.v1',
    });
  });

  test('retire sets the status and the window end; revoke is final', async () => {
    const ws = await twoKeys();
    const ambiguous = await ws.run(['evidence', 'trust-root', 'retire', 'roots.json']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/holds several roots \(new, old\): say which with --key-id/);
    const retired = await ws.run([
      'evidence',
      'trust-root',
      'retire',
      'roots.json',
      '--key-id',
      'old',
      '--valid-until',
      '2099-01-01T00:00:00Z',
    ]);
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(
      'retired old: it verifies only what it signed until 2099-01-01T00:00:00Z',
    );
    expect(trustRoots(ws, 'roots.json').find((r) => r.key_id === 'old')).toMatchObject({
      status: 'retired',
      valid_until: '2099-01-01T00:00:00Z',
    });
    const early = await ws.run([
      'evidence',
      'trust-root',
      'retire',
      'roots.json',
      '--key-id',
      'new',
      '--valid-until',
      '2000-01-01T00:00:00Z',
    ]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('valid_until must be null or an RFC 3339 timestamp not before valid_from');
    expect((await ws.run(['evidence', 'trust-root', 'revoke', 'roots.json', '--key-id', 'old'])).code).toBe(
      0,
    );
    const back = await ws.run(['evidence', 'trust-root', 'retire', 'roots.json', '--key-id', 'old']);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('trust root old is revoked, which is final');
    const list = await ws.run(['evidence', 'trust-root', 'list', 'roots.json']);
    expect(list.stdout).toMatch(/^KEY ID\s+STATUS\s+OWNER/);
    expect(list.stdout).toMatch(/\nold\s+revoked\s+platform-security/);
  });

  test('create makes a root for a public key; bad inputs are usage errors', async () => {
    const ws = workspace();
    await ws.run(['evidence', 'keygen']);
    const created = await ws.run([
      'evidence',
      'trust-root',
      'create',
      '--public-key',
      '.cavra/keys/evidence-ed25519-public.pem',
      '--key-id',
      'k1',
      '--valid-from',
      '2026-01-01T00:00:00Z',
      '--out',
      'k1.json',
    ]);
    expect(created.code).toBe(0);
    expect(trustRoots(ws, 'k1.json')[0]).toMatchObject({ key_id: 'k1', valid_from: '2026-01-01T00:00:00Z' });
    const badTime = await ws.run([
      'evidence',
      'trust-root',
      'create',
      '--public-key',
      'x.pem',
      '--valid-from',
      'yesterday',
    ]);
    expect(badTime.stderr).toMatch(/^cavra: --valid-from 'yesterday' is not an RFC 3339 time/);
    const notPem = await ws.run(['evidence', 'trust-root', 'create', '--public-key', ROOT]);
    expect(notPem.code).toBe(2);
    expect(notPem.stderr).toContain("not a 'PUBLIC KEY' PEM block");
    const misplaced = await ws.run(['evidence', 'trust-root', 'list', ROOT, '--owner', 'x']);
    expect(misplaced.stderr).toMatch(/^cavra: option '--owner' does not apply to trust-root list/);
    expect((await ws.run(['evidence', 'trust-root', 'list', 'missing.json'])).stderr).toBe(
      "cavra: cannot read trust root 'missing.json': no such file\n",
    );
  });
});

describe('cavra evidence checkpoint', { timeout: 30_000 }, () => {
  test('a missing key names the keygen command', async () => {
    const ws = await recordedWorkspace({ key: false });
    const run = await ws.run(['evidence', 'checkpoint']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "cavra: no evidence signing key at .cavra/keys/evidence-ed25519-private.pem: create one with 'cavra evidence keygen', or pass --key <private.pem>\n",
    );
  });

  test('a missing store is not created', async () => {
    const ws = workspace();
    await ws.run(['evidence', 'keygen']);
    const run = await ws.run(['evidence', 'checkpoint', '--db', 'typo.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cavra: no evidence store at typo\.db: record decisions first/);
  });

  test('signs the whole log, stores it, and prints size, root and key id; again: nothing new', async () => {
    const ws = await recordedWorkspace();
    const run = await ws.run(['evidence', 'checkpoint']);
    expect(run.code).toBe(0);
    const keyId = trustRoots(ws)[0]?.key_id ?? '';
    expect(run.stdout).toMatch(
      /^tree size\s+5 entries\nroot\s+[0-9a-f]{64}\norigin\s+cavra\.dev\/evidence\/local\n/,
    );
    expect(run.stdout).toContain(`key id     ${keyId}\n`);
    const again = await ws.run(['evidence', 'checkpoint', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ tree_size: 5, created: false });
    const checkpoints = await storedCheckpoints(ws);
    expect(checkpoints.map((c) => c.tree_size)).toEqual([1, 5]);
  });

  test('an edited store is refused: nothing is signed over it', async () => {
    const ws = await recordedWorkspace();
    editStore(
      ws,
      "update evidence_entries set payload = replace(payload, 'config/.env', 'config/.env.ok') where sequence = 0",
    );
    const run = await ws.run(['evidence', 'checkpoint']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^cavra: the evidence log in \.cavra\/cavra\.db is inconsistent \(entry 0 does not match its entry_hash\); nothing was signed/,
    );
    expect((await storedCheckpoints(ws)).map((c) => c.tree_size)).toEqual([1]);
  });
});

async function storedCheckpoints(ws: Workspace): Promise<CheckpointRecord[]> {
  const opened = await openEvidenceStore(
    {
      stdout: () => undefined,
      stderr: () => undefined,
      stdin: () => Promise.resolve(''),
      env: {},
      cwd: ws.dir,
    },
    undefined,
    { mustExist: true },
  );
  if (!opened.ok) throw new Error(opened.message);
  try {
    return await allCheckpoints(opened.value.store);
  } finally {
    await opened.value.store.close();
  }
}

describe('cavra evidence export', { timeout: 30_000 }, () => {
  test('writes exactly what exportJsonl writes, and it verifies against the trust root', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evidence', 'checkpoint']);
    const run = await ws.run(['evidence', 'export', '--out', 'out/log.jsonl']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'exported 5 entries and 2 checkpoints from .cavra/cavra.db to out/log.jsonl\n' +
        'verify: cavra evidence verify --log out/log.jsonl --trust-root .cavra/keys/evidence-trust-root.json\n',
    );
    const text = readFileSync(ws.path('out/log.jsonl'), 'utf8');
    const opened = await openEvidenceStore(
      {
        stdout: () => undefined,
        stderr: () => undefined,
        stdin: () => Promise.resolve(''),
        env: {},
        cwd: ws.dir,
      },
      undefined,
      { mustExist: true },
    );
    if (!opened.ok) throw new Error(opened.message);
    try {
      const { store } = opened.value;
      expect(text).toBe(exportJsonl(await store.evidence.range(0, 100), await allCheckpoints(store)));
    } finally {
      await opened.value.store.close();
    }
    const report = verifyJsonl(text, { roots: trustRoots(ws) }, nodeCrypto);
    expect(report.errors).toEqual([]);
    expect(report.checked).toMatchObject({ entries: 5, checkpoints_verified: 2, covered_entries: 5 });
    const piped = await ws.run(['evidence', 'export', '--out', '-']);
    expect(piped.stdout).toBe(text);
  });

  test('usage: --out is required; a missing store is an error', async () => {
    const ws = workspace();
    expect((await ws.run(['evidence', 'export'])).stderr).toMatch(/^cavra: missing --out <log\.jsonl>/);
    const missing = await ws.run(['evidence', 'export', '--out', 'x.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cavra: no evidence store at \.cavra\/cavra\.db/);
  });
});

describe('cavra evidence proof', { timeout: 30_000 }, () => {
  test('not covered yet: says so and suggests a checkpoint (exit 1); then the proof verifies', async () => {
    const ws = await recordedWorkspace();
    const decisionId = await lastDecisionId(ws);
    const early = await ws.run(['evidence', 'proof', decisionId]);
    expect(early.code).toBe(1);
    expect(early.stdout).toMatch(new RegExp(`^decision\\s+${decisionId} `));
    expect(early.stderr).toBe(
      "cavra: entry 4 is not covered by a signed checkpoint yet (the latest checkpoint covers entries 0..0): run 'cavra evidence checkpoint', then ask again\n",
    );
    await ws.run(['evidence', 'checkpoint']);
    const run = await ws.run(['evidence', 'proof', decisionId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /\nsignature\s+verified: trust root [0-9a-f]{16} \(\.cavra\/keys\/evidence-trust-root\.json\)\n/,
    );
    expect(run.stdout).toMatch(/\ninclusion proof \(1 hashes, leaf up\)\n/);
    expect(run.stdout).toContain(
      'verified: entry 4 is leaf 4 of the 5-entry tree whose root the checkpoint signs',
    );
    const json = JSON.parse((await ws.run(['evidence', 'proof', decisionId, '--json'])).stdout) as {
      sequence: number;
      inclusion_proof: string[];
      verified: { inclusion: boolean; signature: string };
    };
    expect(json).toMatchObject({ sequence: 4, verified: { inclusion: true, signature: 'verified' } });
  });

  test('an unknown decision id is a usage error; an edited store gives no proof', async () => {
    const ws = await recordedWorkspace();
    const unknown = await ws.run(['evidence', 'proof', 'dec_000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "cavra: no decision 'dec_000000000000' in the evidence log at .cavra/cavra.db\n",
    );
    await ws.run(['evidence', 'checkpoint']);
    editStore(
      ws,
      "update evidence_entries set payload = replace(payload, 'block', 'allow') where sequence = 1",
    );
    const run = await ws.run(['evidence', 'proof', await lastDecisionId(ws)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/inconsistent \(entry 1 does not match its entry_hash\); no proof was made/);
  });

  test('a trust root that does not hold the signing key: the proof is printed, the signature is invalid', async () => {
    const ws = await recordedWorkspace();
    await ws.run(['evidence', 'checkpoint']);
    await ws.run(['evidence', 'keygen', '--out', 'other']);
    const run = await ws.run([
      'evidence',
      'proof',
      await lastDecisionId(ws),
      '--trust-root',
      'other/evidence-trust-root.json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^cavra: the checkpoint's signature does not verify: .*no signature by a trusted key/,
    );
    writeFileSync(ws.path('bad.json'), '{');
    expect((await ws.run(['evidence', 'proof', 'x', '--trust-root', 'bad.json'])).stderr).toMatch(
      /^cavra: trust root 'bad\.json' is not valid JSON/,
    );
  });
});

async function lastDecisionId(ws: Workspace): Promise<string> {
  const run = await ws.run(['evidence', 'export', '--out', '-']);
  const lines = run.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{"entry_hash"'));
  const last = JSON.parse(lines.at(-1) ?? '{}') as { payload: { decision_id: string } };
  return last.payload.decision_id;
}
