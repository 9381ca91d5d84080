/**
 * A byte-faithful emulation of Python's `json.dumps(obj, sort_keys=True[, indent=2])` with the default
 * `ensure_ascii=True`, which is how upstream CAVRA writes every bundle file and the manifest's canonical bytes
 * (docs/evidence-bundles.md). File hashes are taken over these bytes, so "close" is not good enough.
 */

/**
 * A number that Python holds as a `float`: written with Python's `repr` (`1.0`, `1e+16`, `1.5e-07`).
 * JavaScript has one number type, so plain integral numbers are written as Python ints.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** What the serializer accepts: JSON values, `PyFloat`s, and object properties that are `undefined` (skipped). */
export type PyJsonValue =
  | string
  | number
  | boolean
  | null
  | PyFloat
  | readonly PyJsonValue[]
  | { readonly [key: string]: PyJsonValue | undefined };

/** A JSON object as the serializer accepts it. */
export type PyJsonObject = { readonly [key: string]: PyJsonValue | undefined };

/** The value as an object (not an array, `null` or `PyFloat`), or `undefined`. */
export function asPyJsonObject(value: PyJsonValue): PyJsonObject | undefined {
  return typeof value === 'object' && value !== null && !isArray(value) && !(value instanceof PyFloat)
    ? value
    : undefined;
}

/** Separators and indentation, as Python's `json.dumps` takes them. */
export type PyJsonFormat = { indent?: number };

/** `json.dumps(value, sort_keys=True)` (indent given: `json.dumps(value, indent=n, sort_keys=True)`). */
export function pythonJsonDumps(value: PyJsonValue, format: PyJsonFormat = {}): string {
  return write(value, format.indent, '');
}

/** A bundle file's text: `json.dumps(value, indent=2, sort_keys=True) + "\n"`. */
export function pythonJsonFile(value: PyJsonValue): string {
  return `${pythonJsonDumps(value, { indent: 2 })}\n`;
}

function write(value: PyJsonValue, indent: number | undefined, prefix: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  const inner = indent === undefined ? '' : prefix + ' '.repeat(indent);
  const [open, itemSep, close] =
    indent === undefined ? ['', ', ', ''] : [`\n${inner}`, `,\n${inner}`, `\n${prefix}`];
  if (isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => write(item, indent, inner)).join(itemSep)}${close}]`;
  }
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort(compareCodePoints)
    .map((key) => `${quote(key)}: ${write(value[key] ?? null, indent, inner)}`);
  if (entries.length === 0) return '{}';
  return `{${open}${entries.join(itemSep)}${close}}`;
}

function isArray(value: PyJsonValue): value is readonly PyJsonValue[] {
  return Array.isArray(value);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python's `py_encode_basestring_ascii`: everything outside printable ASCII is `\uXXXX`, lowercase hex. */
function quote(text: string): string {
  // JS strings are UTF-16, so astral characters already come as the surrogate pairs Python writes.
  const escaped = text.replace(
    // eslint-disable-next-line no-control-regex -- these are exactly the characters JSON must escape
    /["\\\u0000-\u001f\u007f-\uffff]/g,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

/** Python's `float.__repr__`: the shortest round-tripping digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // value = 0.<digits> × 10^point
  if (point <= -4 || point > 16) {
    const body = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
    const exp = Number(exponent);
    return `${sign}${body}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Orders strings by Unicode code point, as Python's `sorted` does (JS `sort` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (astral characters) sort after U+E000–U+FFFF in code point order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
