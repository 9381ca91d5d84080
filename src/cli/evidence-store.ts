/**
 * The evidence commands' window on the store: opening it (the driver is imported only when a command needs
 * it), reading the whole log back as a checked Merkle tree, and signing checkpoints over it. A store that was
 * edited is refused, never signed over.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  MerkleTree,
  entryLeafHash,
  logOrigin,
  signCheckpoint,
  toHex,
  utf8,
  verifyEntryHash,
  type CheckpointRecord,
  type EvidenceEntry,
  type EvidenceKeyPair,
} from '../evidence';
import type { Store, StoreOptions } from '../store';
import { nodeCrypto } from '../store/drivers/node-crypto';
import { displayPath, type Outcome } from './context';
import type { CliIo } from './io';

/** Where the store is when neither `--db` nor `CAVRA_DATABASE_URL` says (relative to the working directory). */
export const DEFAULT_DB = '.cavra/cavra.db';

/** The origin of a log that has no checkpoint yet (later ones keep the origin of the latest checkpoint). */
export const DEFAULT_ORIGIN = logOrigin('local');

/** Entries read per query while rebuilding the tree. */
const READ_CHUNK = 5000;

/** Where a store lives, as `--db`/`CAVRA_DATABASE_URL` say; mirrors `parseStoreTarget` in store/drivers/open. */
export type DbTarget =
  { driver: 'postgres'; url: string; label: string } | { driver: 'sqlite'; path: string; label: string };

/**
 * Reads `--db`, else `CAVRA_DATABASE_URL`, else `.cavra/cavra.db`. A PostgreSQL URL is shown without its
 * password; a SQLite path is resolved against the CLI's working directory.
 */
export function dbTarget(io: CliIo, db: string | undefined): DbTarget {
  const value = (db ?? io.env['CAVRA_DATABASE_URL'] ?? '').trim();
  // INVARIANT: the same rule as parseStoreTarget (store/drivers/open.ts), tested against it. It is repeated
  // here so a SQLite run never loads pg (~40 ms) and a PostgreSQL run never loads the native SQLite addon.
  if (/^postgres(ql)?:\/\//i.test(value)) return { driver: 'postgres', url: value, label: redactUrl(value) };
  const path = resolve(io.cwd, value === '' ? DEFAULT_DB : value);
  return { driver: 'sqlite', path, label: displayPath(io, path) };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** An open store and how to name it in messages. */
export type OpenedStore = { store: Store; label: string };

/**
 * Opens (and migrates) the store. With `mustExist`, a SQLite file that is not there is an error instead of a
 * new empty database (a typo in `--db` must not answer "the log is empty").
 */
export async function openEvidenceStore(
  io: CliIo,
  db: string | undefined,
  options: { mustExist: boolean },
): Promise<Outcome<OpenedStore>> {
  const target = dbTarget(io, db);
  if (options.mustExist && target.driver === 'sqlite' && !existsSync(target.path)) {
    return {
      ok: false,
      message: `no evidence store at ${target.label}: record decisions first (cavra evaluate … --record), or point --db or CAVRA_DATABASE_URL at the store`,
    };
  }
  // The store builds entries (and keeps its Merkle frontier) with native hashing.
  const storeOptions: StoreOptions = { crypto: nodeCrypto };
  try {
    const store =
      target.driver === 'postgres'
        ? await (
            await import('../store/drivers/postgres')
          ).openPostgresStore({ ...storeOptions, url: target.url })
        : await (
            await import('../store/drivers/better-sqlite3')
          ).openSqliteStore({
            ...storeOptions,
            path: target.path,
          });
    return { ok: true, value: { store, label: target.label } };
  } catch (error) {
    return { ok: false, message: `cannot open the store at ${target.label}: ${errorText(error)}` };
  }
}

/** Runs `fn` with an open store and closes it afterwards, whatever happens. */
export async function withStore<T>(opened: OpenedStore, fn: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await fn(opened.store);
  } finally {
    await opened.store.close();
  }
}

/** `1 entry`, `5 entries`: a count with its noun. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every stored checkpoint (of every origin), smallest tree first. */
export async function allCheckpoints(store: Store): Promise<CheckpointRecord[]> {
  const out: CheckpointRecord[] = [];
  for (let offset = 0; ;) {
    const page = await store.evidence.checkpoints.list({}, { limit: 500, offset });
    out.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) break;
  }
  return out.sort((a, b) => a.tree_size - b.tree_size || (a.origin < b.origin ? -1 : 1));
}

/**
 * The origin this store's log signs under, by the server's rule (src/server): `CAVRA_EVIDENCE_LOG_ID` when set
 * (and valid), else the latest checkpoint's origin, else {@link DEFAULT_ORIGIN}.
 */
export async function storeOrigin(store: Store, env: CliIo['env']): Promise<string> {
  const logId = env['CAVRA_EVIDENCE_LOG_ID']?.trim() ?? '';
  if (/^[A-Za-z0-9._-]{1,64}$/.test(logId)) return logOrigin(logId);
  return (await store.evidence.checkpoints.latest())?.origin ?? DEFAULT_ORIGIN;
}

/** What {@link readStoredTree} found wrong: the stored log is not what was appended or signed. */
export class StoreInconsistent extends Error {}

/** An entry's canonical text starts `{"entry_hash":"<64 hex>",`; its hash input is the rest after `{`. */
const HASH_PREFIX = '{"entry_hash":"';
const HASH_END = HASH_PREFIX.length + 64;

/**
 * Whether an entry's content hashes to its `entry_hash`. With the store's canonical text (migration 0002), the
 * hash input is that text without its `entry_hash` member, hashed as is; otherwise the entry is canonicalised.
 */
function hashMatches(entry: EvidenceEntry, text: string | undefined): boolean {
  if (text === undefined) return verifyEntryHash(entry, nodeCrypto);
  const isLayout =
    text.startsWith(HASH_PREFIX) && text.slice(HASH_PREFIX.length, HASH_END) === entry.entry_hash;
  return isLayout && toHex(nodeCrypto.sha256(utf8(`{${text.slice(HASH_END + 2)}`))) === entry.entry_hash;
}

/**
 * Reads entries `[0, size)` and builds their Merkle tree, checking on the way that each entry's hash matches
 * its content and links to the one before (the checks a tree that will be signed or proven from needs).
 * @throws StoreInconsistent when an entry was altered, is missing, or the chain is broken.
 */
export async function readStoredTree(store: Store, size: number): Promise<MerkleTree> {
  const tree = new MerkleTree(nodeCrypto);
  let previous: string | null = null;
  while (tree.size < size) {
    const from = tree.size;
    const { entries, texts } = await store.evidence.rangeForVerification(
      from,
      Math.min(size, from + READ_CHUNK),
    );
    if (entries.length === 0) throw new StoreInconsistent(`entries from ${from} are missing`);
    for (const [i, entry] of entries.entries()) {
      if (entry.sequence !== tree.size || entry.previous_hash !== previous) {
        throw new StoreInconsistent(`entry ${entry.sequence} does not link to entry ${tree.size - 1}`);
      }
      if (!hashMatches(entry, texts[i])) {
        throw new StoreInconsistent(`entry ${entry.sequence} does not match its entry_hash`);
      }
      tree.append(entryLeafHash(entry, nodeCrypto));
      previous = entry.entry_hash;
    }
  }
  return tree;
}

/**
 * Checks stored checkpoints against the tree: each one's root must be the tree's at its size, and none may
 * cover more entries than the store has.
 * @throws StoreInconsistent naming the first checkpoint that does not match.
 */
export function checkStoredCheckpoints(tree: MerkleTree, checkpoints: readonly CheckpointRecord[]): void {
  for (const checkpoint of checkpoints) {
    if (checkpoint.tree_size > tree.size) {
      throw new StoreInconsistent(
        `the checkpoint for tree size ${checkpoint.tree_size} covers more entries than the store holds (${tree.size}): entries were removed`,
      );
    }
    if (toHex(tree.root(checkpoint.tree_size)) !== checkpoint.root_hash) {
      throw new StoreInconsistent(
        `the stored entries do not produce the root signed at tree size ${checkpoint.tree_size}`,
      );
    }
  }
}

/** The message for a store that failed {@link readStoredTree} or {@link checkStoredCheckpoints}. */
export function inconsistentMessage(label: string, error: StoreInconsistent): string {
  return `the evidence log in ${label} is inconsistent (${error.message}); nothing was signed. run 'cavra evidence verify --db ${label}' for the full report`;
}

/** A checkpoint signed now over the whole stored log (the tree and stored checkpoints checked first). */
export type SignedCheckpoint = { record: CheckpointRecord; tree: MerkleTree; isNew: boolean };

/**
 * Signs and stores a checkpoint over the whole log as it is now. When the latest checkpoint already covers
 * every entry, it is returned instead (`isNew` false): the store keeps one checkpoint per size.
 * @throws StoreInconsistent when the stored log does not check out (nothing is signed then).
 */
export async function signStoreCheckpoint(
  store: Store,
  key: Pick<EvidenceKeyPair, 'privateKey' | 'publicKey'>,
  env: CliIo['env'],
  clock: () => Date = () => new Date(),
): Promise<SignedCheckpoint> {
  const size = await store.evidence.count();
  const checkpoints = await allCheckpoints(store);
  const tree = await readStoredTree(store, size);
  checkStoredCheckpoints(tree, checkpoints);
  const origin = await storeOrigin(store, env);
  const existing = checkpoints.find((c) => c.origin === origin && c.tree_size === size);
  if (existing !== undefined) return { record: existing, tree, isNew: false };
  const record = signCheckpoint(
    // Read the clock after the log: entries other processes committed meanwhile are older than the signature.
    { origin, size, rootHash: tree.root(size), timestamp: clock().toISOString() },
    key,
    nodeCrypto,
  );
  const isNew = await store.evidence.checkpoints.insert(record);
  return { record, tree, isNew };
}
