import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parsePythonJson } from './python-json-parse';
import {
  compareCodePoints,
  floatRepr,
  PyFloat,
  pythonJsonDumps,
  pythonJsonFile,
  type PyJsonValue,
} from './python-json';

const SAMPLE = join(import.meta.dirname, '../../../fixtures/evidence/bundle-sample');

test('every JSON file of the upstream sample bundle re-serializes to its exact bytes', () => {
  const names = readdirSync(SAMPLE).filter((name) => name.endsWith('.json'));
  expect(names).toHaveLength(5);
  for (const name of names) {
    const text = readFileSync(join(SAMPLE, name), 'utf8');
    expect(pythonJsonFile(JSON.parse(text) as PyJsonValue), name).toBe(text);
  }
});

test('canonical form uses the Python default separators', () => {
  expect(pythonJsonDumps({ b: [1, 2, { d: null, c: true }], a: 'x' })).toBe(
    '{"a": "x", "b": [1, 2, {"c": true, "d": null}]}',
  );
});

test('indent mode puts "," at line ends and writes empty containers inline', () => {
  expect(pythonJsonDumps({ a: [], b: {}, c: [1, { x: 'y' }] }, { indent: 2 })).toBe(
    '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "x": "y"\n    }\n  ]\n}',
  );
});

test('ensure_ascii escapes everything outside printable ASCII, lowercase, astral as surrogate pairs', () => {
  // Expected strings computed with CPython 3.12: json.dumps(s)
  expect(pythonJsonDumps('é ✓ 😀')).toBe('"\\u00e9 \\u2713 \\ud83d\\ude00"');
  expect(pythonJsonDumps('"\\\n\r\t\b\f\u0001\u007f/')).toBe('"\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u007f/"');
  expect(pythonJsonDumps('\u2028\uffff')).toBe('"\\u2028\\uffff"');
});

test('floats are written as Python repr, ints as ints', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.1, '0.1'],
    [-0, '-0.0'],
    [1779378000, '1779378000.0'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1.5e16, '1.5e+16'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e100, '1e+100'],
    [123.456, '123.456'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ];
  for (const [value, repr] of cases) expect(floatRepr(value), String(value)).toBe(repr);
  expect(pythonJsonDumps([new PyFloat(2), 2, 2.5, 1e21])).toBe('[2.0, 2, 2.5, 1000000000000000000000]');
});

test('keys sort by code point, not UTF-16 unit', () => {
  expect(['\u{10000}', '\uffff', 'a'].sort(compareCodePoints)).toEqual(['a', '\uffff', '\u{10000}']);
  expect(pythonJsonDumps({ '\u{10000}': 1, '\uffff': 2 })).toBe('{"\\uffff": 2, "\\ud800\\udc00": 1}');
});

test('undefined properties are skipped, as JSON.stringify does', () => {
  expect(pythonJsonDumps({ a: undefined, b: 1 })).toBe('{"b": 1}');
});

test('parsing keeps floats, so Python-written text round-trips', () => {
  const text = '{\n  "a": 1.0,\n  "b": 2,\n  "c": 1e-05,\n  "d": [\n    NaN,\n    -0.0\n  ]\n}\n';
  const parsed = parsePythonJson(text);
  expect(parsed.ok && pythonJsonFile(parsed.value)).toBe(text);
  expect(parsePythonJson('{"__proto__": 1}')).toEqual({
    ok: true,
    value: JSON.parse('{"__proto__": 1}') as unknown,
  });
  expect(parsePythonJson('{"a": 1,}').ok).toBe(false);
  expect(parsePythonJson('[1] x').ok).toBe(false);
});

test(
  'our text means what JSON.stringify means, and our reader gives it back unchanged',
  { timeout: 30_000 },
  () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false, maxDepth: 3 }), (value: unknown) => {
        const text = pythonJsonDumps(value as PyJsonValue);
        const viaJs = pythonJsonDumps(JSON.parse(JSON.stringify(value)) as PyJsonValue);
        const viaJsReadingOurs = pythonJsonDumps(JSON.parse(text) as PyJsonValue);
        const ours = parsePythonJson(text);
        return viaJs === text && viaJsReadingOurs === text && ours.ok && pythonJsonDumps(ours.value) === text;
      }),
      { numRuns: 100 },
    );
  },
);
