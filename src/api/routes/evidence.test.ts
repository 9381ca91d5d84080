import initSqlJs from 'sql.js';
import { afterEach, expect, test } from 'vitest';
import type { Decision } from '../../engine';
import {
  fromHex,
  verifyCheckpoint,
  verifyInclusion,
  type CheckpointRecord,
  type EvidenceEntry,
} from '../../evidence';
import {
  verifyBundle,
  verifyInclusionProofs,
  zipToBundle,
  type InclusionProofs,
} from '../../evidence/bundle';
import type { Store } from '../../store';
import { openSqlJsStore, type SqlJsStore } from '../../store/drivers/sql-js';
import {
  openTestApp,
  postJson,
  testCrypto,
  testDeps,
  testSigner,
  testTrustRoot,
} from '../../../test/api-support';
import { createApp } from '../app';
import type { ErrorBody } from '../errors';
import type { LogVerification } from '../evidence/evidence-service';

const stores: Store[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function setup(...args: Parameters<typeof openTestApp>) {
  const opened = await openTestApp(...args);
  stores.push(opened.store);
  return opened;
}

type App = Awaited<ReturnType<typeof setup>>['app'];

async function decide(app: App, body: object): Promise<Decision> {
  const response = await app.request('/api/decisions', postJson(body));
  expect(response.status).toBe(201);
  return (await response.json()) as Decision;
}

async function json<T>(app: App, path: string, init?: RequestInit): Promise<T> {
  return (await (await app.request(path, init)).json()) as T;
}

type LogStatus = {
  size: number;
  head: { sequence: number } | null;
  latest_checkpoint: CheckpointRecord | null;
  unsigned_entries: number;
  signing_key: { key_id: string; note_verifier_key: string };
  items: EvidenceEntry[];
  total: number;
};

test('GET /evidence: status, signing key, and entries newest first, pageable and by session', async () => {
  const { app } = await setup();
  const empty = await json<LogStatus>(app, '/api/evidence');
  expect(empty).toMatchObject({ size: 0, head: null, latest_checkpoint: null, items: [], total: 0 });
  expect(empty.signing_key.key_id).toBe(testTrustRoot.key_id);
  expect(empty.signing_key.note_verifier_key).toMatch(/^cavra\.dev\/evidence\/test\+[0-9a-f]{8}\+/);
  for (const session of ['a', 'b', 'a'])
    await decide(app, { action_type: 'read_file', target: 'x', session_id: session });
  const status = await json<LogStatus>(app, '/api/evidence?limit=2');
  expect(status).toMatchObject({ size: 3, head: { sequence: 2 }, total: 3 });
  expect(status.items.map((e) => e.sequence)).toEqual([2, 1]);
  const older = await json<LogStatus>(app, '/api/evidence?limit=2&offset=2');
  expect(older.items.map((e) => e.sequence)).toEqual([0]);
  const sessionA = await json<LogStatus>(app, '/api/evidence?session_id=a');
  expect(sessionA.items.map((e) => e.sequence)).toEqual([2, 0]);
  expect(sessionA.total).toBe(2);
});

test('checkpoints are signed by policy (every N entries), and on demand only when the log grew', async () => {
  const { app } = await setup({ evidence: testSigner({ everyEntries: 3, everySeconds: 3600 }) });
  for (let i = 0; i < 4; i++) await decide(app, { action_type: 'read_file', target: `f${i}` });
  // The first entry is checkpointed at once (nothing was signed yet), then every third.
  const page = await json<{ items: CheckpointRecord[]; total: number }>(app, '/api/evidence/checkpoints');
  expect(page.items.map((c) => c.tree_size)).toEqual([4, 1]);
  const status = await json<LogStatus>(app, '/api/evidence');
  expect(status.unsigned_entries).toBe(0);
  const again = await app.request('/api/evidence/checkpoints', { method: 'POST' });
  expect(again.status).toBe(200);
  expect(((await again.json()) as CheckpointRecord).tree_size).toBe(4);
  await decide(app, { action_type: 'read_file', target: 'f5' });
  const fresh = await app.request('/api/evidence/checkpoints', { method: 'POST' });
  expect(fresh.status).toBe(201);
  const record = (await fresh.json()) as CheckpointRecord;
  expect(record).toMatchObject({ origin: 'cavra.dev/evidence/test', tree_size: 5 });
  const check = verifyCheckpoint(record, [testTrustRoot], testCrypto, 'cavra.dev/evidence/test');
  expect(check.errors).toEqual([]);
});

test('signing checkpoints never counts the log (a full scan in SQLite): its size is the head + 1', async () => {
  const store = await openSqlJsStore({ crypto: testCrypto });
  stores.push(store);
  const uncounted: Store = {
    ...store,
    evidence: { ...store.evidence, count: () => Promise.reject(new Error('counted the log')) },
  };
  const errors: unknown[] = [];
  const deps = testDeps(uncounted, { evidence: testSigner({ everyEntries: 3, everySeconds: 3600 }) }, errors);
  const app = createApp(deps);
  for (let i = 0; i < 5; i++) await decide(app, { action_type: 'read_file', target: `f${i}` });
  const signed = await app.request('/api/evidence/checkpoints', { method: 'POST' });
  expect(signed.status).toBe(201);
  expect(((await signed.json()) as CheckpointRecord).tree_size).toBe(5);
  const page = await json<{ items: CheckpointRecord[] }>(app, '/api/evidence/checkpoints');
  expect(page.items.map((c) => c.tree_size)).toEqual([5, 4, 1]);
  expect(errors).toEqual([]);
});

test('checkpoints are signed by policy after T seconds once the log has grown', async () => {
  let now = Date.parse('2026-05-21T15:40:00.000Z');
  const { app } = await setup({
    clock: () => new Date(now),
    evidence: testSigner({ everyEntries: 1000, everySeconds: 60 }),
  });
  await decide(app, { action_type: 'read_file', target: 'a' });
  now += 30_000;
  await decide(app, { action_type: 'read_file', target: 'b' });
  expect(await app.evidence.checkpointIfDue()).toBeNull();
  now += 31_000;
  // What the server's timer does: nothing new since the last checkpoint means nothing to sign.
  expect((await app.evidence.checkpointIfDue())?.tree_size).toBe(2);
  now += 120_000;
  expect(await app.evidence.checkpointIfDue()).toBeNull();
  await decide(app, { action_type: 'read_file', target: 'c' });
  const sizes = (await json<{ items: CheckpointRecord[] }>(app, '/api/evidence/checkpoints')).items;
  expect(sizes.map((c) => c.tree_size)).toEqual([3, 2, 1]);
});

test('POST /evidence/checkpoints on an empty log is a 409', async () => {
  const { app } = await setup();
  const response = await app.request('/api/evidence/checkpoints', { method: 'POST' });
  expect(response.status).toBe(409);
  expect(((await response.json()) as ErrorBody).error.code).toBe('evidence_log_empty');
});

test('GET /evidence/proof/{id}: an inclusion proof that verifies against a signed checkpoint, signing one if needed', async () => {
  const { app } = await setup();
  const decisions = [];
  for (let i = 0; i < 5; i++)
    decisions.push(await decide(app, { action_type: 'read_file', target: `f${i}`, session_id: 's' }));
  const target = decisions[3];
  if (target === undefined) throw new Error('no decision');
  // Only the first entry is checkpointed so far; the proof of entry 3 needs a new checkpoint.
  const response = await app.request(`/api/evidence/proof/${target.decision_id}`);
  expect(response.status).toBe(200);
  const proofs = (await response.json()) as InclusionProofs;
  const [proof] = proofs.proofs;
  const [checkpoint] = proofs.checkpoints;
  expect(proof).toMatchObject({ decision_id: target.decision_id, sequence: 3, entry: { payload: target } });
  expect(checkpoint?.tree_size).toBe(5);
  if (proof === undefined || checkpoint === undefined) throw new Error('no proof');
  const opened = verifyCheckpoint(checkpoint, [testTrustRoot], testCrypto);
  expect(opened.errors).toEqual([]);
  const isIncluded = verifyInclusion(
    fromHex(proof.leaf_hash) ?? new Uint8Array(),
    proof.sequence,
    checkpoint.tree_size,
    proof.inclusion_proof.map((h) => fromHex(h) ?? new Uint8Array()),
    fromHex(checkpoint.root_hash) ?? new Uint8Array(),
    testCrypto,
  );
  expect(isIncluded).toBe(true);
  expect(verifyInclusionProofs(proofs, [target], [testTrustRoot], testCrypto)).toMatchObject({
    errors: [],
    checked: 1,
  });
  // The checkpoint it signed is now the latest; a later proof reuses it.
  const again = await json<InclusionProofs>(app, `/api/evidence/proof/${decisions[0]?.decision_id ?? ''}`);
  expect(again.checkpoints[0]).toEqual(checkpoint);
  expect((await app.request('/api/evidence/proof/dec_ffffffffffff')).status).toBe(404);
});

test('GET /evidence/verify: a clean log is valid, with the checkpoint this process signed as the trusted one', async () => {
  const { app } = await setup();
  await decide(app, { action_type: 'read_file', target: 'a' });
  await decide(app, { action_type: 'read_file', target: 'b' });
  await app.request('/api/evidence/checkpoints', { method: 'POST' });
  const report = await json<LogVerification>(app, '/api/evidence/verify');
  expect(report).toMatchObject({
    valid: true,
    errors: [],
    warnings: [],
    origin: 'cavra.dev/evidence/test',
    trusted_key_ids: [testTrustRoot.key_id],
    trusted_checkpoint: { tree_size: 2 },
    checked: { entries: 2, covered_entries: 2 },
  });
});

// payload_jcs 1: the store keeps canonical payload text (hashed as is); 0: a row from before migration 0002.
test.each([1, 0])(
  'an edited store (payload_jcs %i) fails verification; the server refuses to sign or prove over it',
  async (jcs) => {
    const { app, store, deps } = await setup();
    const first = await decide(app, { action_type: 'read_file', target: '.env', session_id: 's' });
    await decide(app, { action_type: 'read_file', target: 'b', session_id: 's' });
    // Someone with database access turns the block into an allow.
    const SQL = await initSqlJs();
    const raw = new SQL.Database((store as SqlJsStore).export());
    raw.run(
      `update evidence_entries set payload_jcs = ${jcs}, payload = replace(payload, '"decision":"block"', '"decision":"allow"') where sequence = 0`,
    );
    const edited = await openSqlJsStore({ crypto: testCrypto, data: raw.export() });
    stores.push(edited);
    const tampered = createApp(testDeps(edited, { evidence: deps.evidence }));
    const report = await json<LogVerification>(tampered, '/api/evidence/verify');
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.sequence)).toContain(0);
    const proof = await tampered.request(`/api/evidence/proof/${first.decision_id}`);
    expect(proof.status).toBe(500);
    expect(((await proof.json()) as ErrorBody).error.code).toBe('evidence_log_inconsistent');
    await tampered.request('/api/decisions', postJson({ action_type: 'read_file', target: 'c' }));
    const signed = await tampered.request('/api/evidence/checkpoints', { method: 'POST' });
    expect(signed.status).toBe(500);
  },
);

test("GET /evidence/sessions/{id}/bundle: a zip of the session's signed bundle with inclusion proofs", async () => {
  const { app } = await setup();
  await decide(app, { action_type: 'read_file', target: '.env', session_id: 'sess 1/ü' });
  await decide(app, { action_type: 'write_file', target: 'iam/role.json', session_id: 'sess 1/ü' });
  await decide(app, { action_type: 'read_file', target: 'other', session_id: 'other' });
  const response = await app.request(`/api/evidence/sessions/${encodeURIComponent('sess 1/ü')}/bundle`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  expect(response.headers.get('content-disposition')).toBe(
    `attachment; filename="sess_1__-evidence-bundle.zip"; filename*=UTF-8''${encodeURIComponent('sess 1/ü-evidence-bundle.zip')}`,
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const digest = Buffer.from(testCrypto.sha256(bytes)).toString('hex');
  expect(response.headers.get('x-cavra-artifact-sha256')).toBe(digest);
  const files = zipToBundle(bytes);
  if (!files.ok) throw new Error(files.error.message);
  expect([...files.value.keys()]).toContain('inclusion-proofs.json');
  const report = verifyBundle(files.value, { trustRoots: testTrustRoot, crypto: testCrypto });
  expect(report.errors).toEqual([]);
  expect(report.valid).toBe(true);
  const evidence = JSON.parse(Buffer.from(files.value.get('evidence.json') ?? []).toString()) as {
    decisions: Decision[];
  };
  expect(evidence.decisions.map((d) => d.target)).toEqual(['.env', 'iam/role.json']);
  const missing = await app.request('/api/evidence/sessions/nobody/bundle');
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as ErrorBody).error.code).toBe('session_not_found');
});

test('GET /evidence/trust-roots lists the roots verification uses', async () => {
  const { app } = await setup();
  expect(await json(app, '/api/evidence/trust-roots')).toEqual({ items: [testTrustRoot], total: 1 });
});

type ExportBody = { provider: string; files: { name: string; media_type: string; content: string }[] };

test("a session's SIEM exports: upstream's four payloads, OCSF and JSONL, one line or document per decision", async () => {
  const { app } = await setup();
  await decide(app, { action_type: 'execute_command', target: 'npm test', session_id: 'sess_x' });
  await decide(app, { action_type: 'read_file', target: '.env', session_id: 'sess_x' });
  const all = await json<ExportBody>(app, '/api/evidence/sessions/sess_x/export');
  expect(all.provider).toBe('all');
  expect(all.files.map((file) => file.name).sort()).toHaveLength(4);
  for (const file of all.files) expect(() => JSON.parse(file.content) as unknown).not.toThrow();
  const ocsf = await json<ExportBody>(app, '/api/evidence/sessions/sess_x/export?provider=ocsf');
  const events = (ocsf.files[0]?.content ?? '')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { class_uid: number });
  expect(ocsf.files[0]?.media_type).toBe('application/x-ndjson');
  expect(events.map((event) => event.class_uid)).toEqual([6003, 6003]);
  const jsonl = await json<ExportBody>(app, '/api/evidence/sessions/sess_x/export?provider=jsonl');
  expect(jsonl.files[0]?.content.trim().split('\n')).toHaveLength(2);

  const unknown = await app.request('/api/evidence/sessions/sess_x/export?provider=syslog');
  expect(unknown.status).toBe(400);
  expect((await app.request('/api/evidence/sessions/nobody/export')).status).toBe(404);
});

test('PR attestation: the generated one verifies; one without a decision line names the missing target', async () => {
  const { app } = await setup();
  await decide(app, { action_type: 'execute_command', target: 'npm test', session_id: 'sess_pr' });
  await decide(app, { action_type: 'read_file', target: 'config/.env', session_id: 'sess_pr' });
  const response = await app.request('/api/evidence/sessions/sess_pr/attestation');
  expect(response.headers.get('content-type')).toContain('text/markdown');
  const markdown = await response.text();
  type Report = { valid: boolean; missing_targets: string[]; issues: { code: string }[] };
  const verify = (text: string) =>
    json<Report>(app, '/api/evidence/sessions/sess_pr/attestation/verify', postJson({ markdown: text }));
  expect(await verify(markdown)).toMatchObject({ valid: true, missing_targets: [] });
  const edited = markdown
    .split('\n')
    .filter((line) => !line.includes('config/.env'))
    .join('\n');
  const report = await verify(edited);
  expect(report.valid).toBe(false);
  expect(report.missing_targets).toEqual(['config/.env']);
  expect(report.issues.map((issue) => issue.code)).toContain('missing_decision_target');
});
