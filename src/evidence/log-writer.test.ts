import { expect, test } from 'vitest';
import { toHex } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import { LogWriter } from './log-writer';
import { buildTestLog, testDecision, testTime } from './test-log';
import { verifyLog } from './verify-log';

test('a writer resumed from its persisted state continues the same log', () => {
  const reference = buildTestLog({ size: 30 });
  const first = new LogWriter(reference.origin, crypto);
  const entries = Array.from({ length: 17 }, (_, i) =>
    first.append('decision', testDecision(i), testTime(i)),
  );
  const resumed = new LogWriter(reference.origin, crypto, JSON.parse(JSON.stringify(first.state())) as never);
  for (let i = 17; i < 30; i++) entries.push(resumed.append('decision', testDecision(i), testTime(i)));
  expect(entries).toEqual(reference.entries);
  const checkpoint = resumed.checkpoint(testTime(31), reference.key);
  expect(checkpoint.root_hash).toBe(reference.checkpoints.at(-1)?.root_hash);
  expect(toHex(resumed.root())).toBe(checkpoint.root_hash);
  const report = verifyLog(
    entries,
    [checkpoint],
    { roots: [reference.root], trustedCheckpoint: checkpoint },
    crypto,
  );
  expect(report).toMatchObject({ valid: true, warnings: [] });
});

test('an inconsistent state is refused', () => {
  const writer = new LogWriter('cavra.dev/evidence/t', crypto);
  writer.append('decision', testDecision(0), testTime(0));
  const state = writer.state();
  expect(() => new LogWriter('cavra.dev/evidence/t', crypto, { ...state, head: null })).toThrow(TypeError);
  expect(new LogWriter('cavra.dev/evidence/t', crypto, state).size).toBe(1);
});
