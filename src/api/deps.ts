/**
 * What the API is built from. Everything with an effect on the outside world (database, clock, randomness,
 * keys, identity) comes in here, so the same app runs in Node (src/server) and in a browser (the sandbox).
 */
import type { PolicySet } from '../engine';
import type { CheckpointPolicy, EvidenceCrypto, EvidenceKeyPair, TrustRoot } from '../evidence';
import type { Store } from '../store';
import type { AuthAdapter } from './auth';
import type { ApprovalDeps } from './approvals/approval-service';

/** The server's evidence identity: the log it writes, the key it signs checkpoints and bundles with. */
export type EvidenceSigner = {
  /** The log's checkpoint origin, `cavra.dev/evidence/<log-id>` (`logOrigin`). */
  origin: string;
  /** Ed25519 key pair; the private half never leaves the process. */
  key: EvidenceKeyPair;
  /** Keys `GET /evidence/verify` accepts (the current key's trust root, plus older keys being rotated out). */
  trustRoots: readonly TrustRoot[];
  crypto: EvidenceCrypto;
  /** When `POST /decisions` signs a checkpoint by itself; on-demand checkpoints ignore it. */
  checkpointPolicy: CheckpointPolicy;
};

/** Deployment facts the console and the boundary endpoints report. None of them changes behaviour here. */
export type ApiConfig = {
  /** Product version (`GET /version`, OpenAPI `info.version`). */
  version: string;
  /** `CAVRA_PUBLIC_API_BASE_URL`: where browsers reach the API; default `/api` (same origin). */
  publicApiBaseUrl?: string;
  /** `CAVRA_CORS_ORIGINS`: browser origins allowed to call the API; none means no CORS headers. */
  corsOrigins?: readonly string[];
  /** Shown by `/console/config`: `sqlite` (better-sqlite3 or sql.js) or `postgres`. */
  databaseLabel?: string;
  /** Manifest `signer` of session bundles; default `cavra-api`. */
  bundleSigner?: string;
  /**
   * The console's sign-in (`/console/config` → `oidc`): the issuer, the console's public client (Authorization
   * Code + PKCE) and what it asks for. Absent: an OIDC server's console says sign-in is not configured.
   */
  consoleOidc?: ConsoleOidcClient;
};

/** The console's OIDC client, as `/console/config` publishes it. */
export type ConsoleOidcClient = {
  issuer: string;
  client_id: string;
  scopes: string[];
  /** Extra authorization-request parameters, e.g. `resource` (RFC 8707) or `audience` (Auth0). */
  extra_query_params: Record<string, string>;
};

/** Everything `createApp` needs. */
export type ApiDeps = {
  store: Store;
  policies: PolicySet;
  evidence: EvidenceSigner;
  /** The clock for decisions, entries, checkpoints and bundles. */
  clock: () => Date;
  /** 12 lowercase hex characters from a CSPRNG (decision and correlation ids). */
  randomHex12: () => string;
  auth: AuthAdapter;
  config: ApiConfig;
  /**
   * Called with failures that do not fail the request (a checkpoint that could not be signed after its
   * decision was stored). Default: nothing; the server logs them.
   */
  onBackgroundError?: (error: unknown) => void;
  /** Approval routing, notifications and TTL; default: upstream's routing rules, no notifications, 24 h. */
  approvals?: ApprovalDeps;
};

/** Two lowercase hex digits per byte value. */
const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Random bytes drawn per refill: 682 ids of 6 bytes. */
const POOL_BYTES = 4092;

/**
 * A `randomHex12` over a pool of CSPRNG bytes, refilled 4 KB at a time. One call into the CSPRNG per id costs
 * more than the rest of the id (about 12 µs each on Node; a decision takes two): the pool pays it once per 682
 * ids, as Node's own `randomUUID` does. Every byte is used once. The ids are identifiers, not secrets.
 * @param fill - fills its argument with CSPRNG bytes; default the Web Crypto `getRandomValues`.
 */
export function pooledRandomHex12(
  fill: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
): () => string {
  const pool = new Uint8Array(POOL_BYTES);
  let offset = POOL_BYTES;
  return () => {
    if (offset === POOL_BYTES) {
      fill(pool);
      offset = 0;
    }
    let hex = '';
    for (const end = offset + 6; offset < end; offset++) hex += HEX_PAIRS[pool[offset] as number] as string;
    return hex;
  };
}

/** 12 hex characters from the Web Crypto CSPRNG (present in browsers and Node ≥ 19), pooled. */
export const webRandomHex12: () => string = pooledRandomHex12();
