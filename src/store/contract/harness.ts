/**
 * Test harness for the store contract: the three drivers behind one interface, throwaway PostgreSQL databases,
 * and decision fixtures. Node only (tests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Decision } from '../../engine';
import type { Store, StoreOptions } from '../store';
import { openSqliteStore } from '../drivers/better-sqlite3';
import { openPostgresStore } from '../drivers/postgres';
import { openSqlJsStore } from '../drivers/sql-js';
import { testNextEntry } from './test-entry';

/** A database a test owns: open it (again) as a store; drop it at the end. */
export type TestDatabase = {
  open(options?: Partial<StoreOptions>): Promise<Store>;
  dispose(): Promise<void>;
};

/**
 * One driver of the contract suite. `skip` says why it cannot run here; `appendsOnly`: a variant that differs
 * from another driver only in how appends commit runs the migrations, decisions, sessions and evidence parts.
 */
export type TestDriver = {
  name: string;
  skip?: string;
  appendsOnly?: boolean;
  createDatabase(): Promise<TestDatabase>;
};

const storeOptions = (options: Partial<StoreOptions> = {}): StoreOptions => ({
  nextEntry: testNextEntry,
  ...options,
});

/** sql.js in memory. Reopening starts from the image the previous store had when it was closed. */
export const sqlJsDriver: TestDriver = {
  name: 'sql.js',
  createDatabase: () => {
    let image: Uint8Array | undefined;
    return Promise.resolve({
      open: async (options) => {
        const store = await openSqlJsStore({ ...storeOptions(options), data: image });
        return {
          ...store,
          close: () => {
            image = store.export();
            return store.close();
          },
        };
      },
      dispose: () => Promise.resolve(),
    });
  },
};

/** better-sqlite3 on a file in a fresh temporary directory. */
export const betterSqliteDriver: TestDriver = {
  name: 'better-sqlite3',
  createDatabase: () => {
    const dir = mkdtempSync(join(tmpdir(), 'cavra-store-'));
    const path = join(dir, '.cavra', 'cavra.db');
    return Promise.resolve({
      open: (options) => openSqliteStore({ ...storeOptions(options), path }),
      dispose: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
};

/**
 * better-sqlite3 with the writer thread (appends outside units of work committed by a second connection on a
 * worker thread). The thread builds entries itself, so a test that injects its own `nextEntry` gets a store
 * without one.
 */
export const betterSqliteWriterDriver: TestDriver = {
  name: 'better-sqlite3 + writer thread',
  appendsOnly: true,
  createDatabase: () => {
    const dir = mkdtempSync(join(tmpdir(), 'cavra-store-'));
    const path = join(dir, '.cavra', 'cavra.db');
    return Promise.resolve({
      open: (options) =>
        options?.nextEntry === undefined
          ? openSqliteStore({ ...options, path, writerThread: true })
          : openSqliteStore({ ...storeOptions(options), path }),
      dispose: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
};

/** The server every PostgreSQL test database is created on (`.ci/run` sets it), or undefined. */
export const TEST_DATABASE_URL = process.env.CAVRA_TEST_DATABASE_URL;

/** A fresh database `cavra_test_<random>` on the test server; `drop` removes it (closing stores first). */
export async function createThrowawayPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  if (TEST_DATABASE_URL === undefined) throw new Error('CAVRA_TEST_DATABASE_URL is not set');
  const name = `cavra_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    // Tests measure locking, not the disk: commits need not wait for fsync (the lock is held until COMMIT returns).
    await admin.query(`alter database ${name} set synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * PostgreSQL: one throwaway database per test file (created lazily, dropped by `disposeAll`) and one
 * schema per test database, selected through the connection's `search_path`, so tests stay isolated and cheap.
 */
export function postgresDriver(): TestDriver & { disposeAll(): Promise<void> } {
  let server: Promise<{ url: string; drop(): Promise<void> }> | undefined;
  return {
    name: 'postgres',
    ...(TEST_DATABASE_URL === undefined
      ? { skip: 'CAVRA_TEST_DATABASE_URL is not set (.ci/run sets it to the local server)' }
      : {}),
    createDatabase: async () => {
      server ??= createThrowawayPostgres();
      const { url } = await server;
      const schema = `s_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      return {
        open: (options) =>
          openPostgresStore({ ...storeOptions(options), url: scoped.toString(), poolSize: 4 }),
        dispose: () => Promise.resolve(),
      };
    },
    disposeAll: async () => {
      if (server !== undefined) await (await server).drop();
    },
  };
}

let decisionCounter = 0;

/** A complete decision with unique ids; override any field. */
export function makeDecision(overrides: Partial<Decision> = {}): Decision {
  decisionCounter += 1;
  const id = decisionCounter.toString(16).padStart(12, '0');
  return {
    schema_version: 'cavra.decision.v1',
    decision_id: `dec_${id}`,
    session_id: 'session-1',
    agent_id: 'claude-code',
    actor: 'dev@example.com',
    action_type: 'execute_command',
    target: 'git status',
    requested_operation: 'execute',
    policy_pack: 'default',
    policy_id: 'default',
    rule_id: 'commands.default.allow',
    decision: 'allow',
    severity: 'low',
    reason: 'allowed by default',
    evidence_refs: [`decision://dec_${id}`],
    approver_group: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    correlation_id: `cor_${id}`,
    repository: 'acme/payments',
    policy_revision: 'sha256:00',
    mode: 'enforce',
    base_decision: 'allow',
    mode_reason: 'enforce',
    evidence_required: false,
    matched_rules: [],
    ...overrides,
  };
}
