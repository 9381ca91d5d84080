/**
 * The server's configuration from flags and environment. Names follow upstream where it has them
 * (`CAVRA_APPROVAL_OIDC_CONFIG`, `CAVRA_APPROVAL_RBAC_FILE`, `CAVRA_APPROVAL_ROUTING_FILE`,
 * `CAVRA_CORS_ORIGINS`, `CAVRA_PUBLIC_API_BASE_URL`, `CAVRA_POLICY_DIR`). Problems are messages, not throws.
 */
import { resolve } from 'node:path';
import type { CheckpointPolicy } from '../evidence';
import { parseStoreTarget, type StoreTarget } from '../store/drivers/open';
import { readApprovalSettings, type ApprovalSettings } from './approval-config';
import { readAuthSettings, type AuthSettings } from './auth-config';

/** Flags of `cavra serve`. */
export type ServeFlags = { port?: string; host?: string; db?: string; seed: boolean };

/** Everything `startServer` needs to know besides the policies. */
export type ServerConfig = {
  port: number;
  host: string;
  database: StoreTarget;
  seed: boolean;
  corsOrigins: string[];
  publicApiBaseUrl: string | undefined;
  keyFile: string | undefined;
  keysDir: string;
  trustRootsFile: string | undefined;
  /** `CAVRA_EVIDENCE_LOG_ID`; absent: the origin of the store's latest checkpoint, else `local`. */
  logId: string | undefined;
  checkpointPolicy: CheckpointPolicy;
  /** Set variables this build does not act on yet (reported at start-up). */
  ignored: string[];
  /** OIDC and RBAC (`CAVRA_APPROVAL_OIDC_CONFIG`, `CAVRA_APPROVAL_RBAC_FILE`); absent: demo mode. */
  auth?: AuthSettings;
  /** Routing, notifications and the expiry sweep (`CAVRA_APPROVAL_ROUTING_FILE`, `…_PROVIDER_CONFIG`, `…_SWEEP_SECONDS`). */
  approvals: ApprovalSettings;
};

/** Defaults: port 8787, loopback only (demo mode has no authentication), checkpoints every 100 entries or 60 s. */
export const DEFAULTS = { port: 8787, host: '127.0.0.1', everyEntries: 100, everySeconds: 60 } as const;

/**
 * Reads the configuration. Fails on anything it cannot honour: a bad number, an OIDC or RBAC file that is
 * unreadable or invalid (running with less protection than configured would be silent), RBAC without OIDC.
 */
export function readServerConfig(
  flags: ServeFlags,
  env: Record<string, string | undefined>,
  cwd: string,
): { ok: true; config: ServerConfig } | { ok: false; message: string } {
  const auth = readAuthSettings(env, cwd);
  if (!auth.ok) return auth;
  const approvals = readApprovalSettings(env, cwd);
  if (!approvals.ok) return approvals;
  const port = integer(flags.port ?? nonEmpty(env['PORT']), DEFAULTS.port, 0, 65535, '--port (or PORT)');
  const everyEntries = integer(
    nonEmpty(env['CAVRA_EVIDENCE_CHECKPOINT_ENTRIES']),
    DEFAULTS.everyEntries,
    1,
    Number.MAX_SAFE_INTEGER,
    'CAVRA_EVIDENCE_CHECKPOINT_ENTRIES',
  );
  const everySeconds = integer(
    nonEmpty(env['CAVRA_EVIDENCE_CHECKPOINT_SECONDS']),
    DEFAULTS.everySeconds,
    1,
    86_400,
    'CAVRA_EVIDENCE_CHECKPOINT_SECONDS',
  );
  if (!port.ok) return port;
  if (!everyEntries.ok) return everyEntries;
  if (!everySeconds.ok) return everySeconds;
  const logId = nonEmpty(env['CAVRA_EVIDENCE_LOG_ID']);
  if (logId !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(logId)) {
    return {
      ok: false,
      message: `CAVRA_EVIDENCE_LOG_ID '${logId}' must be 1–64 letters, digits, '.', '_' or '-'`,
    };
  }
  const database = parseStoreTarget(flags.db ?? env['CAVRA_DATABASE_URL']);
  return {
    ok: true,
    config: {
      port: port.value,
      host: flags.host ?? nonEmpty(env['CAVRA_HOST']) ?? DEFAULTS.host,
      database:
        database.driver === 'sqlite' ? { driver: 'sqlite', path: resolve(cwd, database.path) } : database,
      seed: flags.seed,
      corsOrigins: (env['CAVRA_CORS_ORIGINS'] ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
      publicApiBaseUrl: nonEmpty(env['CAVRA_PUBLIC_API_BASE_URL']),
      keyFile: optionalPath(env['CAVRA_EVIDENCE_SIGNING_KEY_FILE'], cwd),
      keysDir: resolve(cwd, '.cavra', 'keys'),
      trustRootsFile: optionalPath(env['CAVRA_EVIDENCE_TRUST_ROOTS'], cwd),
      logId,
      checkpointPolicy: { everyEntries: everyEntries.value, everySeconds: everySeconds.value },
      ignored: [],
      approvals: approvals.value,
      ...(auth.value !== undefined && { auth: auth.value }),
    },
  };
}

/** A database target for people: the SQLite path, or the PostgreSQL URL without its password. */
export function describeDatabase(target: StoreTarget): string {
  if (target.driver === 'sqlite') return `SQLite ${target.path}`;
  try {
    const url = new URL(target.url);
    if (url.password !== '') url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function optionalPath(value: string | undefined, cwd: string): string | undefined {
  const path = nonEmpty(value);
  return path === undefined ? undefined : resolve(cwd, path);
}

/** The integer, the default when absent, or a message. */
function integer(
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): { ok: true; value: number } | { ok: false; message: string } {
  if (text === undefined) return { ok: true, value: fallback };
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    return { ok: false, message: `${name} must be a whole number from ${min} to ${max}, got '${text}'` };
  }
  return { ok: true, value };
}
