/**
 * `cavra evaluate … --record`: stores the decisions of a run and appends each as a `decision` evidence entry,
 * in one unit of work; then signs a checkpoint when one is due and a key is at hand. Loaded only with
 * `--record`, so plain evaluations never open a database.
 */
import { existsSync } from 'node:fs';
import type { Decision } from '../engine';
import { isCheckpointDue, type CheckpointPolicy, type EvidenceEntry } from '../evidence';
import type { Store } from '../store';
import { displayPath } from './context';
import { defaultPrivateKeyPath, readSigningKey } from './evidence-files';
import {
  StoreInconsistent,
  count,
  errorText,
  inconsistentMessage,
  openEvidenceStore,
  signStoreCheckpoint,
  storeOrigin,
  withStore,
} from './evidence-store';
import type { CliIo } from './io';

/** When `--record` signs a checkpoint by itself: every 1,000 entries or an hour after the last one. */
export const RECORD_CHECKPOINT_POLICY: CheckpointPolicy = { everyEntries: 1000, everySeconds: 3600 };

/** What the caller needs to know: whether everything was recorded. Messages are already printed. */
export type RecordOutcome = { recorded: boolean };

/**
 * Records `decisions` in the store `db` names (else `CAVRA_DATABASE_URL`, else `.cavra/cavra.db`). Prints
 * where they went (stdout, or stderr with `--json` so stdout stays JSON) and, on failure, why on stderr.
 * Never throws: a failure is `recorded: false`.
 */
export async function recordDecisions(
  io: CliIo,
  decisions: readonly Decision[],
  options: { db: string | undefined; json: boolean },
  now: () => Date = () => new Date(),
): Promise<RecordOutcome> {
  const say = (text: string): void => {
    if (options.json) io.stderr(`cavra: ${text}\n`);
    else io.stdout(`${text}\n`);
  };
  const opened = await openEvidenceStore(io, options.db, { mustExist: false });
  if (!opened.ok) return notRecorded(io, decisions.length, opened.message);
  const { label } = opened.value;
  try {
    return await withStore(opened.value, async (store) => {
      const recordedAt = now().toISOString();
      // One transaction: each decision is stored, folded into its session and appended as a `decision` entry;
      // a decision id that is already stored yields null and is neither stored nor logged again.
      const appended = await store.evidence.appendDecisions(
        decisions.map((decision) => ({ decision, recordedAt })),
      );
      const entries = appended.filter((entry): entry is EvidenceEntry => entry !== null);
      const skipped = appended.length - entries.length;
      const first = entries[0]?.sequence;
      const last = entries.at(-1)?.sequence;
      const where =
        first === undefined
          ? 'no new evidence entries'
          : first === last
            ? `evidence entry ${first}`
            : `evidence entries ${first}..${String(last)}`;
      say(`recorded ${count(entries.length, 'decision')} in ${label} (${where})`);
      if (skipped > 0) {
        io.stderr(`cavra: ${skipped} decision id(s) were already stored and were not recorded again\n`);
      }
      await checkpointIfDue(io, store, label, now, say);
      return { recorded: true };
    });
  } catch (error) {
    return notRecorded(io, decisions.length, `${label}: ${errorText(error)}`);
  }
}

function notRecorded(io: CliIo, count: number, reason: string): RecordOutcome {
  const what = count === 1 ? 'the decision above was' : `the ${count} decisions above were`;
  io.stderr(`cavra: ${what} NOT recorded as evidence: ${reason}\n`);
  return { recorded: false };
}

/**
 * Signs a checkpoint when {@link RECORD_CHECKPOINT_POLICY} says one is due and `.cavra/keys/` holds the key.
 * A checkpoint that cannot be signed is a warning: the decisions are recorded either way.
 */
async function checkpointIfDue(
  io: CliIo,
  store: Store,
  label: string,
  clock: () => Date,
  say: (text: string) => void,
): Promise<void> {
  const keyPath = defaultPrivateKeyPath(io);
  if (!existsSync(keyPath)) return;
  const origin = await storeOrigin(store, io.env);
  const last = await store.evidence.checkpoints.latest(origin);
  const size = await store.evidence.count();
  const due = isCheckpointDue(
    RECORD_CHECKPOINT_POLICY,
    last === null ? null : { size: last.tree_size, timestamp: last.timestamp ?? '' },
    { size, now: clock().toISOString() },
  );
  if (!due) return;
  const key = readSigningKey(io, undefined);
  if (!key.ok) {
    io.stderr(`cavra: warning: no checkpoint signed: ${key.message}\n`);
    return;
  }
  try {
    const signed = await signStoreCheckpoint(store, key.value.key, io.env, clock);
    if (signed.isNew) {
      say(
        `signed a checkpoint of ${count(signed.record.tree_size, 'entry', 'entries')} with key ${key.value.keyId} (${displayPath(io, keyPath)})`,
      );
    }
  } catch (error) {
    const reason = error instanceof StoreInconsistent ? inconsistentMessage(label, error) : errorText(error);
    io.stderr(`cavra: warning: no checkpoint signed: ${reason}\n`);
  }
}
