/**
 * Test support for the API: an app over a store of the caller's choosing, with the bundled packs, a fixed
 * signing key, a stepping clock and counter ids, so route tests are deterministic. Node only (tests).
 */
import { createHash } from 'node:crypto';
import { createApp, createDemoAuth, type ApiDeps, type CavraApp, type EvidenceSigner } from '../src/api';
import { loadPolicySet } from '../src/cli/load-policies';
import type { PolicySet } from '../src/engine';
import {
  createTrustRoot,
  generateKeyPair,
  logOrigin,
  nobleCrypto,
  type EvidenceCrypto,
  type TrustRoot,
} from '../src/evidence';
import type { Store } from '../src/store';
import { openSqlJsStore } from '../src/store/drivers/sql-js';

/** The evidence crypto with Node's SHA-256, as the server binds it. */
export const testCrypto: EvidenceCrypto = {
  ...nobleCrypto,
  sha256: (data) => createHash('sha256').update(data).digest(),
};

/** A fixed Ed25519 key (seed 0x00..0x1f) and its trust root. Test use only. */
export const testKey = generateKeyPair(
  Uint8Array.from({ length: 32 }, (_, i) => i),
  testCrypto,
);

function trustRootOf(): TrustRoot {
  const root = createTrustRoot(
    { publicKeyPem: testKey.publicKeyPem, validFrom: '2020-01-01T00:00:00Z', owner: 'test' },
    testCrypto,
  );
  if (!root.ok) throw new Error(root.error.message);
  return root.value;
}

/** The trust root of {@link testKey}. */
export const testTrustRoot = trustRootOf();

let policies: PolicySet | undefined;

/** The bundled packs, loaded once per test worker. */
export function bundledPolicies(): PolicySet {
  policies ??= loadPolicySet({}, process.cwd());
  return policies;
}

/** A clock that starts at `start` and moves `stepMs` forward on every reading. */
export function steppingClock(start = '2026-05-21T15:40:00.000Z', stepMs = 1000): () => Date {
  let now = Date.parse(start);
  return () => {
    const at = new Date(now);
    now += stepMs;
    return at;
  };
}

/** Ids 000000000001, 000000000002, … */
export function counterIds(): () => string {
  let counter = 0;
  return () => (++counter).toString(16).padStart(12, '0');
}

/** Errors reported through `onBackgroundError` and the 500 handler; tests assert it stays empty. */
export type ErrorLog = unknown[];

/** The test log's signer (origin `cavra.dev/evidence/test`, {@link testKey}); override the checkpoint policy. */
export function testSigner(checkpointPolicy = { everyEntries: 1000, everySeconds: 3600 }): EvidenceSigner {
  return {
    origin: logOrigin('test'),
    key: testKey,
    trustRoots: [testTrustRoot],
    crypto: testCrypto,
    checkpointPolicy,
  };
}

/** Deps over `store` with test defaults; override anything. */
export function testDeps(store: Store, overrides: Partial<ApiDeps> = {}, errors: ErrorLog = []): ApiDeps {
  return {
    store,
    policies: bundledPolicies(),
    evidence: testSigner(),
    clock: steppingClock(),
    randomHex12: counterIds(),
    auth: createDemoAuth(),
    config: { version: '0.1.0-test' },
    onBackgroundError: (error) => {
      errors.push(error);
    },
    ...overrides,
  };
}

/** An app over a fresh in-memory sql.js store. Close the store when done (`store.close()`). */
export async function openTestApp(
  overrides: Partial<ApiDeps> = {},
): Promise<{ app: CavraApp; store: Store; deps: ApiDeps; errors: ErrorLog }> {
  const store = await openSqlJsStore({ crypto: testCrypto });
  const errors: ErrorLog = [];
  const deps = testDeps(store, overrides, errors);
  return { app: createApp(deps), store, deps, errors };
}

/** JSON request options. */
export function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
