import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { exportJsonl, verifyJsonl } from '../evidence';
import { parseStoreTarget } from '../store/drivers/open';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { dbTarget, openEvidenceStore, allCheckpoints } from './evidence-store';
import { REQUESTS, recordedWorkspace, workspace } from './evidence-test-support';

describe('cavra evaluate --record', { timeout: 30_000 }, () => {
  test('the positional form records the decision and says where, after the decision', async () => {
    const ws = workspace();
    const run = await ws.run(['evaluate', 'read_file', '.env', '--record']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^decision\s+block\n/);
    expect(run.stdout).toMatch(/\nrecorded 1 decision in \.cavra\/cavra\.db \(evidence entry 0\)\n$/);
    const second = await ws.run(['evaluate', 'read_file', 'README.md', '--record']);
    expect(second.stdout).toMatch(/\(evidence entry 1\)\n$/);
  });

  test('with --json stdout stays JSON; the note goes to stderr', async () => {
    const ws = workspace();
    const run = await ws.run(['evaluate', 'execute_command', 'npm test', '--record', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { schema_version: string }).schema_version).toBe('cavra.decision.v1');
    expect(run.stderr).toBe('cavra: recorded 1 decision in .cavra/cavra.db (evidence entry 0)\n');
  });

  test('a batch is stored and logged in order (decisions, sessions, entries); bad requests are skipped', async () => {
    const ws = workspace();
    const input = JSON.stringify([...REQUESTS.slice(0, 2), 'not a request', ...REQUESTS.slice(2)]);
    const run = await ws.run(['evaluate', '--input', '-', '--record', '--json'], { stdin: input });
    expect(run.code).toBe(2);
    const slots = JSON.parse(run.stdout) as { decision_id?: string }[];
    expect(slots).toHaveLength(6);
    expect(run.stderr).toContain('cavra: recorded 5 decisions in .cavra/cavra.db (evidence entries 0..4)\n');
    const opened = await openEvidenceStore({ ...ioOf(ws.dir) }, undefined, { mustExist: true });
    if (!opened.ok) throw new Error(opened.message);
    const store = opened.value.store;
    try {
      const entries = await store.evidence.range(0, 10);
      expect(entries.map((e) => e.payload['decision_id'])).toEqual(
        slots.filter((s) => s.decision_id !== undefined).map((s) => s.decision_id),
      );
      expect(entries.every((e) => e.kind === 'decision')).toBe(true);
      const session = await store.sessions.get('sess-a');
      expect(session?.decision_count).toBe(3);
      expect(session?.blocked_count).toBe(3);
      const third = entries[2]?.payload['decision_id'];
      expect(typeof third).toBe('string');
      expect(await store.decisions.get(third as string)).not.toBeNull();
      // What was appended verifies as a log (no checkpoint: no key in this workspace).
      const report = verifyJsonl(
        exportJsonl(entries, await allCheckpoints(store)),
        { roots: [] },
        nodeCrypto,
      );
      expect(report.errors).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('--db picks the store; without --record it is a usage error', async () => {
    const ws = workspace();
    const run = await ws.run(['evaluate', 'read_file', '.env', '--record', '--db', 'other/evidence.db']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('recorded 1 decision in other/evidence.db (evidence entry 0)');
    const misplaced = await ws.run(['evaluate', 'read_file', '.env', '--db', 'x.db']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/^cavra: option '--db' says where --record writes: add --record\n/);
    expect(misplaced.stdout).toBe('');
  });

  test('$CAVRA_DATABASE_URL is the default store', async () => {
    const ws = workspace();
    const run = await ws.run(['evaluate', 'read_file', '.env', '--record'], {
      env: { CAVRA_DATABASE_URL: 'env.db' },
    });
    expect(run.stdout).toContain('recorded 1 decision in env.db');
  });

  test('when recording fails the decision is still printed, stderr says so, and the exit code is 3', async () => {
    const ws = workspace();
    mkdirSync(ws.path('not-a-db'));
    const run = await ws.run(['evaluate', 'read_file', '.env', '--record', '--db', 'not-a-db']);
    expect(run.stdout).toMatch(/^decision\s+block\n/);
    expect(run.stderr).toMatch(
      /^cavra: the decision above was NOT recorded as evidence: cannot open the store at not-a-db: /,
    );
    expect(run.code).toBe(3);
    writeFileSync(ws.path('garbage.db'), 'this is not SQLite, but long enough to have a header of sorts');
    const batch = await ws.run(['evaluate', '--input', '-', '--record', '--db', 'garbage.db', '--json'], {
      stdin: JSON.stringify(REQUESTS),
    });
    expect(JSON.parse(batch.stdout)).toHaveLength(5);
    expect(batch.stderr).toMatch(/^cavra: the 5 decisions above were NOT recorded as evidence: /);
    expect(batch.code).toBe(3);
  });

  test('usage errors record nothing', async () => {
    const ws = workspace();
    const run = await ws.run(['evaluate', 'delete_everything', 'x', '--record']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('recorded');
  });

  test('with a key, the first record signs a checkpoint; later ones wait until one is due', async () => {
    const ws = await recordedWorkspace();
    const opened = await openEvidenceStore(ioOf(ws.dir), undefined, { mustExist: true });
    if (!opened.ok) throw new Error(opened.message);
    try {
      const checkpoints = await allCheckpoints(opened.value.store);
      expect(checkpoints.map((c) => c.tree_size)).toEqual([1]);
      expect(await opened.value.store.evidence.count()).toBe(5);
    } finally {
      await opened.value.store.close();
    }
  });
});

test('dbTarget picks the driver as parseStoreTarget does', () => {
  const io = ioOf('/work');
  for (const value of ['postgres://u:p@db/cavra', 'POSTGRESQL://db/x', '/abs/x.db', 'rel.db', '', '  ']) {
    const ours = dbTarget(io, value);
    const theirs = parseStoreTarget(value);
    expect(ours.driver).toBe(theirs.driver);
    if (ours.driver === 'sqlite' && theirs.driver === 'sqlite') {
      expect(ours.path).toBe(theirs.path.startsWith('/') ? theirs.path : `/work/${theirs.path}`);
    }
  }
  expect(dbTarget(io, 'postgres://cavra:secret@db:5432/cavra').label).toBe(
    'postgres://cavra:***@db:5432/cavra',
  );
});

function ioOf(cwd: string): Parameters<typeof openEvidenceStore>[0] {
  return { stdout: () => undefined, stderr: () => undefined, stdin: () => Promise.resolve(''), env: {}, cwd };
}
