/**
 * A JSON reader that keeps what `JSON.parse` loses when Python wrote the text: numbers written with a fraction
 * or exponent stay `PyFloat`s, so re-serializing an upstream file gives back its exact bytes. It also accepts
 * Python's `NaN`/`Infinity`/`-Infinity` and keeps the last of duplicate keys, as `json.loads` does.
 */
import { PyFloat, type PyJsonValue } from './python-json';

/** The parse outcome: a value, or the first problem with its character offset. */
export type PyJsonParse = { ok: true; value: PyJsonValue } | { ok: false; message: string };

/** Parses `text` the way Python's `json.loads` reads it. */
export function parsePythonJson(text: string): PyJsonParse {
  const reader = new Reader(text);
  try {
    const value = reader.value();
    reader.skipSpace();
    if (reader.pos !== text.length) reader.fail('trailing data');
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, message: error.message };
    throw error;
  }
}

class ParseError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not contain raw control characters
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new ParseError(`invalid JSON at offset ${this.pos}: ${what}`);
  }

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text.charAt(this.pos))) this.pos++;
  }

  value(): PyJsonValue {
    this.skipSpace();
    const char = this.text.charAt(this.pos);
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.number();
  }

  private object(): PyJsonValue {
    const result: Record<string, PyJsonValue> = {};
    this.pos++;
    this.skipSpace();
    if (this.text.charAt(this.pos) === '}') return (this.pos++, result);
    for (;;) {
      this.skipSpace();
      if (this.text.charAt(this.pos) !== '"') this.fail('expected a property name');
      const key = this.string();
      this.skipSpace();
      if (this.text.charAt(this.pos++) !== ':') this.fail("expected ':'");
      // defineProperty: a "__proto__" key is data, never the prototype.
      Object.defineProperty(result, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const next = this.text.charAt(this.pos++);
      if (next === '}') return result;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): PyJsonValue {
    const result: PyJsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charAt(this.pos) === ']') return (this.pos++, result);
    for (;;) {
      result.push(this.value());
      this.skipSpace();
      const next = this.text.charAt(this.pos++);
      if (next === ']') return result;
      if (next !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    let out = '';
    this.pos++;
    for (;;) {
      STRING_RUN.lastIndex = this.pos;
      const run = STRING_RUN.exec(this.text)?.[0] ?? '';
      out += run;
      this.pos += run.length;
      const char = this.text.charAt(this.pos++);
      if (char === '"') return out;
      if (char !== '\\') this.fail('unterminated string or control character');
      const escape = this.text.charAt(this.pos++);
      if (escape === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else {
        out += ESCAPES[escape] ?? this.fail('bad escape');
      }
    }
  }

  private number(): PyJsonValue {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('unexpected character');
    this.pos += match[0].length;
    const value = Number(match[0]);
    return match[1] !== undefined || match[2] !== undefined ? new PyFloat(value) : value;
  }
}

const LITERALS: readonly (readonly [string, PyJsonValue])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', new PyFloat(NaN)],
  ['Infinity', new PyFloat(Infinity)],
  ['-Infinity', new PyFloat(-Infinity)],
];
