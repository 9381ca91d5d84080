/**
 * The in-browser backend: the real API (`createApp`) over the sql.js store, signed with the published sandbox
 * key, identities from the persona adapter. The same function runs in Node (fixture generator, tests) and in
 * the page; only the sql.js module and the seed bytes differ.
 */
import type { SqlJsStatic } from 'sql.js';
import { createApp, webRandomHex12, type AuthAdapter, type CavraApp } from '../../src/api';
import type { PolicySet } from '../../src/engine';
import { logOrigin, nobleCrypto, type CheckpointPolicy, type EvidenceCrypto } from '../../src/evidence';
import { openSqlJsStore, type SqlJsStore } from '../../src/store/drivers/sql-js';
import { createPersonaAuth } from './persona-auth';
import { sandboxKey } from './sandbox-key';

/** The sandbox log's id (checkpoint origin `cavra.dev/evidence/sandbox`). */
export const SANDBOX_LOG_ID = 'sandbox';

/** What {@link openSandboxBackend} is built from. */
export type SandboxBackendOptions = {
  /** An initialised sql.js module (the page's is initialised with the wasm file's URL). */
  sqlJs: SqlJsStatic;
  /** A database image to start from (the fixture seed or a saved session); none: an empty database. */
  data?: Uint8Array;
  policies: PolicySet;
  version: string;
  /** Default: the real clock. The fixture generator injects its own. */
  clock?: () => Date;
  /** Default: Web Crypto randomness. The fixture generator injects a deterministic counter. */
  randomHex12?: () => string;
  crypto?: EvidenceCrypto;
  /** Default: a checkpoint every 100 entries or 10 minutes. */
  checkpointPolicy?: CheckpointPolicy;
  onBackgroundError?: (error: unknown) => void;
  /** Default: the persona adapter. The fixture generator acts as the demo operator (body actors trusted). */
  auth?: AuthAdapter;
};

/** A running backend: the app, its store, and a `fetch` that reaches the app without a network. */
export interface SandboxBackend {
  readonly app: CavraApp;
  readonly store: SqlJsStore;
  /** The app's Web-standard handler (`Request` in, `Response` out). */
  handle(request: Request): Promise<Response>;
  /** The database as a SQLite image (for IndexedDB persistence or a new seed). */
  exportDatabase(): Uint8Array;
  close(): Promise<void>;
}

/** Opens the store (migrating it), builds the API over it, and returns the backend. */
export async function openSandboxBackend(options: SandboxBackendOptions): Promise<SandboxBackend> {
  const crypto = options.crypto ?? nobleCrypto;
  const clock = options.clock ?? (() => new Date());
  const store = await openSqlJsStore({
    sqlJs: options.sqlJs,
    ...(options.data !== undefined && { data: options.data }),
    crypto,
    now: clock,
  });
  const { key, trustRoot } = sandboxKey(crypto);
  const app = createApp({
    store,
    policies: options.policies,
    evidence: {
      origin: logOrigin(SANDBOX_LOG_ID),
      key,
      trustRoots: [trustRoot],
      crypto,
      checkpointPolicy: options.checkpointPolicy ?? { everyEntries: 100, everySeconds: 600 },
    },
    clock,
    randomHex12: options.randomHex12 ?? webRandomHex12,
    auth: options.auth ?? createPersonaAuth(),
    config: {
      version: options.version,
      databaseLabel: 'sqlite (sql.js in this browser tab)',
      bundleSigner: 'cavra-sandbox',
    },
    ...(options.onBackgroundError !== undefined && { onBackgroundError: options.onBackgroundError }),
  });
  return {
    app,
    store,
    handle: async (request) => app.fetch(request),
    exportDatabase: () => store.export(),
    close: () => store.close(),
  };
}
