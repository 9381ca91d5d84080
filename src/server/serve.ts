/**
 * `cavra serve`: one port serving the API under `/api` and the console (or a "not built yet" page) elsewhere.
 * Opens the database the configuration names, loads or creates the evidence key, seeds an empty database with
 * the demo sessions, signs checkpoints on a timer, and shuts down cleanly (a last checkpoint, then the store).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import {
  ApiError,
  createApp,
  createDemoAuth,
  createOidcAuth,
  seedDemoData,
  webRandomHex12,
  type ApiDeps,
  type SeedReport,
} from '../api';
import type { PolicySet } from '../engine';
import { logOrigin, type EvidenceCrypto } from '../evidence';
import type { Store } from '../store';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { openStore } from '../store/drivers/open';
import { sweepExpiredApprovals } from '../api/approvals/approval-service';
import { approvalLine } from './approval-config';
import { describeDatabase, type ServerConfig } from './config';
import { consoleApp, isConsoleBuilt } from './console-static';
import { loadSigningKey, type LoadedKey } from './keys';

/** What `startServer` is given. */
export type ServeOptions = {
  config: ServerConfig;
  policies: PolicySet;
  /** Where a built console would be (`dist/console/`). */
  consoleDir: string;
  version: string;
  cwd: string;
  /** Start-up lines and notices. */
  log: (line: string) => void;
  /** Failures that did not stop the server (a request's 500, a failed timer checkpoint). */
  logError: (line: string) => void;
  now?: () => Date;
};

/** A listening server. */
export type RunningServer = {
  url: string;
  port: number;
  /** Stops listening, lets requests in flight finish, signs a last checkpoint, closes the database. */
  close(): Promise<void>;
};

/** How long `close` waits for requests in flight before cutting connections. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * Starts the server and resolves once it listens.
 * @throws Error with an operator-facing message (unreadable key, database unreachable, port in use).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  const crypto = nodeCrypto;
  // The database first: a server that cannot reach it must not leave a freshly generated key behind.
  const store = await openDatabase(config, crypto);
  try {
    const key = loadSigningKey({ ...config, crypto, now });
    const origin = await logOriginOf(config, store);
    const reportError = (error: unknown): void => {
      options.logError(
        `cavra serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    };
    const deps: ApiDeps = {
      store,
      policies: options.policies,
      evidence: {
        origin,
        key: key.key,
        trustRoots: key.trustRoots,
        crypto,
        checkpointPolicy: config.checkpointPolicy,
      },
      clock: now,
      randomHex12: webRandomHex12,
      auth:
        config.auth === undefined
          ? createDemoAuth()
          : createOidcAuth(config.auth.oidc, {
              fetch: (input, init) => fetch(input, init),
              clock: now,
              ...(config.auth.rbac !== undefined && { rbac: config.auth.rbac }),
            }),
      config: {
        version: options.version,
        corsOrigins: config.corsOrigins,
        ...(config.publicApiBaseUrl !== undefined && { publicApiBaseUrl: config.publicApiBaseUrl }),
        ...(config.auth?.console !== undefined && { consoleOidc: config.auth.console }),
        databaseLabel: store.dialect,
      },
      onBackgroundError: reportError,
      approvals: {
        ...(config.approvals.routing !== undefined && { routing: config.approvals.routing }),
        ...(config.approvals.notifications !== undefined && {
          notifications: config.approvals.notifications,
        }),
      },
    };
    const app = createApp(deps);
    const seeded = config.seed
      ? await seedDemoData({ app, store, policies: options.policies, crypto }, { anchor: now() })
      : null;
    const root = new Hono().route('/', app).route('/', consoleApp(options.consoleDir, options.version));
    const listener = getRequestListener(root.fetch);
    const server = createServer((request, response) => {
      void listener(request, response);
    });
    await listen(server, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    const url = `http://${displayHost(config.host)}:${port}`;
    const timer = setInterval(() => {
      app.evidence.checkpointIfDue().catch(reportError);
    }, config.checkpointPolicy.everySeconds * 1000);
    timer.unref();
    // Pending approvals past their deadline become `expired` (and are logged) even when nobody touches them.
    const sweep = (): void => {
      sweepExpiredApprovals(app, now()).catch(reportError);
    };
    sweep();
    const sweeper = setInterval(sweep, config.approvals.sweepSeconds * 1000);
    sweeper.unref();
    for (const line of startupLines(options, { url, origin, key, seeded })) log(line);
    return {
      url,
      port,
      close: async () => {
        clearInterval(timer);
        clearInterval(sweeper);
        await stopListening(server);
        // Notifications already under way get the same grace as requests in flight.
        await Promise.race([app.approvals.settled(), delay(SHUTDOWN_GRACE_MS)]);
        try {
          const last = await app.evidence.checkpoint();
          if (last.isNew) log(`signed a last checkpoint at tree size ${last.checkpoint.tree_size}`);
        } catch (error) {
          // An empty log has nothing to checkpoint; anything else is worth reporting.
          if (!(error instanceof ApiError && error.code === 'evidence_log_empty')) reportError(error);
        }
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The log's origin: `CAVRA_EVIDENCE_LOG_ID` when set, else the one the store's checkpoints already use (the
 * CLI's evidence commands follow the same rule), else `cavra.dev/evidence/local`.
 */
async function logOriginOf(config: ServerConfig, store: Store): Promise<string> {
  if (config.logId !== undefined) return logOrigin(config.logId);
  return (await store.evidence.checkpoints.latest())?.origin ?? logOrigin('local');
}

async function openDatabase(config: ServerConfig, crypto: EvidenceCrypto): Promise<Store> {
  const target = config.database;
  try {
    // The server lives long: SQLite appends commit on a writer thread, off the event loop that serves requests.
    return await openStore(target.driver === 'sqlite' ? target.path : target.url, {
      crypto,
      writerThread: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open the database (${describeDatabase(target)}): ${reason}`, { cause: error });
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use: stop the other server or pass --port`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting connections and waits for requests in flight, cutting what is left after a grace period. */
function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function startupLines(
  options: ServeOptions,
  facts: { url: string; origin: string; key: LoadedKey; seeded: SeedReport | null },
): string[] {
  const { config, policies } = options;
  const { url, origin, key, seeded } = facts;
  const keyWhere =
    key.source.kind === 'file'
      ? `from ${key.source.path}`
      : `${key.source.isNew ? 'generated into' : 'from'} ${relative(options.cwd, key.source.dir) || '.'}/`;
  const seedLine =
    seeded === null
      ? config.seed
        ? 'existing data kept (the demo data is only seeded into an empty database)'
        : 'not seeded (--no-seed)'
      : `seeded demo data: ${seeded.sessions} sessions, ${seeded.decisions} decisions, ${seeded.checkpoints} checkpoints, ${seeded.registry.agents} agents, ${seeded.registry.mcp_servers} MCP servers`;
  const lines = [
    `CAVRA ${options.version} listening on ${url}`,
    `  api       ${url}/api  (OpenAPI 3.1: ${url}/api/openapi.json)`,
    `  console   ${isConsoleBuilt(options.consoleDir) ? `${url}/` : `not built yet (${url}/ says so and links the API)`}`,
    `  database  ${describeDatabase(config.database)}; ${seedLine}`,
    authLine(config),
    `  evidence  log ${origin}, signing key ${key.key.keyId} (${keyWhere}); checkpoints every ${config.checkpointPolicy.everyEntries} entries or ${config.checkpointPolicy.everySeconds} s`,
    `  policies  ${policies.packs.size} packs, default ${policies.defaultPack}`,
    approvalLine(config.approvals),
  ];
  if (config.auth === undefined && !isLoopback(config.host)) {
    lines.push(
      `WARNING: demo mode on ${config.host}: anyone who can reach this port acts as the demo operator. Bind to 127.0.0.1 or configure OIDC before exposing it.`,
    );
  }
  for (const name of config.ignored)
    lines.push(`note: ${name} is set but not used yet (approvals are not served by this build)`);
  if (seeded !== null && seeded.skipped.length > 0) {
    lines.push(`note: demo sessions skipped (their packs are not loaded): ${seeded.skipped.join(', ')}`);
  }
  lines.push('press Ctrl-C to stop');
  return lines;
}

/** The start-up line saying how callers are authenticated. */
function authLine(config: ServerConfig): string {
  const { auth } = config;
  if (auth === undefined)
    return '  auth      demo mode — no OIDC configured: every caller acts as the demo operator';
  const keys = auth.oidc.keys;
  const keySource =
    keys.kind === 'static'
      ? `a static JWKS (${plural(keys.jwks.keys.length, 'key')})`
      : `${keys.kind} ${keys.url}`;
  const rbac =
    auth.rbac === undefined
      ? 'no RBAC file'
      : `RBAC ${auth.rbacSource ?? ''} (${plural(auth.rbac.repositoryPermissions.length, 'repository grant')})`;
  return `  auth      OIDC — issuer ${auth.oidc.issuer}, audience ${auth.oidc.audiences.join(', ')}, keys from ${keySource}; ${rbac}; agent tokens accepted`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
