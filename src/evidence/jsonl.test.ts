import { expect, test } from 'vitest';
import { canonicalJson } from './canonical';
import { nobleCrypto as crypto } from './crypto';
import { exportJsonl, importJsonl, parseJsonl, verifyJsonl } from './jsonl';
import { buildTestLog } from './test-log';
import type { LogTrust } from './verify-log';

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const log = buildTestLog({ size: 20, checkpointEvery: 8 });
const trust: LogTrust = { roots: [log.root], origin: log.origin, trustedCheckpoint: at(log.checkpoints, 1) };
const text = exportJsonl(log.entries, log.checkpoints);
const lines = text.trimEnd().split('\n');

test('one JCS line per record, each checkpoint right after the entry completing its tree', () => {
  expect(lines).toHaveLength(20 + 3);
  expect(lines[8]).toBe(canonicalJson(at(log.checkpoints, 0)));
  expect(lines[17]).toBe(canonicalJson(at(log.checkpoints, 1)));
  expect(lines.at(-1)).toBe(canonicalJson(at(log.checkpoints, 2)));
  expect(lines[0]).toBe(canonicalJson(at(log.entries, 0)));
  expect(lines[0]?.startsWith('{"entry_hash":')).toBe(true);
});

test('an exported log imports back unchanged and verifies cleanly', () => {
  const imported = importJsonl(text, trust, crypto);
  expect(imported.ok && imported.value.entries).toEqual(log.entries);
  expect(imported.ok && imported.value.checkpoints).toEqual(log.checkpoints);
  expect(imported.ok && imported.value.report).toMatchObject({ valid: true, errors: [], warnings: [] });
});

test('parse problems carry line numbers', () => {
  const broken = [...lines];
  broken[2] = '{"entry_hash": oops';
  broken[4] = '{"schema_version":"something.else"}';
  const doc = parseJsonl(`${broken.join('\n')}\n\n`);
  expect(doc.errors).toMatchObject([
    { code: 'jsonl_invalid_json', line: 3, message: /^line 3: not valid JSON/ },
    { code: 'jsonl_unknown_record', line: 5 },
    { code: 'jsonl_blank_line', line: 24 },
  ]);
  const imported = importJsonl(broken.join('\n'), trust, crypto);
  expect(imported).toMatchObject({
    ok: false,
    error: { code: 'log_invalid', message: /^the log does not verify: line 3/ },
  });
});

test('a reformatted line with intact content is reported as not canonical, not as tampering', () => {
  const pretty = [...lines];
  pretty[5] = JSON.stringify(log.entries[5], null, 0).replace('"sequence":5', '"sequence": 5');
  const report = verifyJsonl(pretty.join('\n'), trust, crypto);
  expect(report.errors).toMatchObject([{ code: 'entry_text_not_canonical', sequence: 5, line: 6 }]);
  const spaced = [...lines];
  spaced[8] = at(spaced, 8).replace('{', '{ ');
  expect(verifyJsonl(spaced.join('\n'), trust, crypto).errors.map((e) => e.code)).toEqual([
    'jsonl_line_not_canonical',
  ]);
});

test('an edited entry line is an entry_hash mismatch on that line', () => {
  const edited = [...lines];
  edited[4] = at(edited, 4).replace('"decision":"allow"', '"decision":"block"');
  expect(edited[4]).not.toBe(lines[4]);
  const report = verifyJsonl(edited.join('\n'), trust, crypto);
  expect(report.errors).toMatchObject([{ code: 'entry_hash_mismatch', sequence: 4, line: 5 }]);
});
