/** Workspaces for the evidence commands' tests: a temporary folder with a key and a store of decisions. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runInMemory, type CliRun } from './test-support';

/** A temporary working directory and a runner bound to it. */
export type Workspace = {
  dir: string;
  run: (
    argv: string[],
    options?: { stdin?: string; env?: Record<string, string>; isTTY?: boolean },
  ) => Promise<CliRun>;
  /** Path inside the workspace. */
  path: (...parts: string[]) => string;
};

/** An empty workspace (no key, no store); packs come from the repository's bundled folder. */
export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'cavra-evidence-'));
  return {
    dir,
    run: (argv, options = {}) => runInMemory(argv, { ...options, cwd: dir }),
    path: (...parts) => join(dir, ...parts),
  };
}

/** Requests of two sessions, with blocks, approvals and allows. */
export const REQUESTS = [
  { action_type: 'read_file', target: 'config/.env', session_id: 'sess-a' },
  { action_type: 'execute_command', target: 'terraform apply -auto-approve', session_id: 'sess-a' },
  { action_type: 'execute_command', target: 'npm test', session_id: 'sess-b' },
  { action_type: 'git_operation', target: 'origin/main', session_id: 'sess-a' },
  { action_type: 'write_file', target: 'src/app.ts', session_id: 'sess-b' },
];

/**
 * A workspace with a key (`keygen`) and the {@link REQUESTS} recorded; the first record signs a checkpoint of
 * the first entry only (nothing signed yet), so later entries are not covered until `checkpoint`.
 */
export async function recordedWorkspace(options: { key?: boolean } = {}): Promise<Workspace> {
  const ws = workspace();
  if (options.key !== false) await expectOk(ws.run(['evidence', 'keygen']));
  const [first, ...rest] = REQUESTS;
  await expectOk(
    ws.run(['evaluate', '--input', '-', '--record', '--json'], { stdin: JSON.stringify(first) }),
  );
  await expectOk(ws.run(['evaluate', '--input', '-', '--record', '--json'], { stdin: JSON.stringify(rest) }));
  return ws;
}

async function expectOk(run: Promise<CliRun>): Promise<CliRun> {
  const result = await run;
  if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
  return result;
}

/** Runs SQL on the workspace's store directly (to play the attacker who edits the database). */
export function editStore(ws: Workspace, sql: string, ...params: unknown[]): void {
  const db = new Database(ws.path('.cavra', 'cavra.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
