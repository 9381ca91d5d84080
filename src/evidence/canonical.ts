/**
 * Canonical bytes and encodings for the evidence plane: RFC 8785 (JCS) JSON, UTF-8, hex and base64.
 * Pure ES2023: no Buffer, no btoa/atob.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { JsonValue } from '../engine';
import type { EvidenceCrypto } from './types';

// WHATWG TextEncoder exists in every runtime CAVRA supports (Node ≥ 11, all browsers); the ES2023 lib this
// layer compiles against does not declare it, so only what is used is declared here.
declare const TextEncoder: new () => {
  encode(input: string): Uint8Array;
  encodeInto(input: string, destination: Uint8Array): { read: number; written: number };
};
const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);

// A UTF-16 surrogate that is not half of a pair; such a string has no UTF-8 form, so JCS rejects it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// ES2024's String.prototype.isWellFormed (Node ≥ 20, current browsers) is native and O(1) for one-byte strings;
// the ES2023 lib this layer compiles against does not declare it. Older engines fall back to the regex.
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** True when the string is well-formed UTF-16, so it has a UTF-8 form (no lone surrogates). */
export const isWellFormed: (text: string) => boolean =
  nativeIsWellFormed === undefined
    ? (text) => !LONE_SURROGATE.test(text)
    : (text) => nativeIsWellFormed.call(text);

// Characters JSON.stringify escapes in a well-formed string: `"`, `\` and the C0 controls.
// eslint-disable-next-line no-control-regex -- the C0 controls are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** The JCS form of a string (RFC 8785 §3.2.2.2). */
export function serializeString(text: string): string {
  if (!isWellFormed(text)) throw new TypeError(LONE_SURROGATE_ERROR);
  // INVARIANT: JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires, in the same lowercase form, and
  // nothing else in a well-formed string; most strings need none of it, so skip the call for them.
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * Sorts property names in place by UTF-16 code units (RFC 8785 §3.2.3; JS `<` on strings compares code
 * units). Insertion sort: objects here have a few dozen keys at most, where it beats `Array.prototype.sort`.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const LONE_SURROGATE_ERROR = 'canonical JSON: a string contains a lone surrogate, which has no UTF-8 form';

/**
 * {@link serializeString} inside {@link canonicalJson}: a string with nothing to escape is copied as is and its
 * well-formedness checked once, on the whole output (a lone surrogate stays lone there: quotes surround every
 * string). A string JSON.stringify escapes is checked here, since escaping would hide a lone surrogate.
 */
function serializeMember(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  if (!isWellFormed(text)) throw new TypeError(LONE_SURROGATE_ERROR);
  return JSON.stringify(text);
}

function serialize(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return serializeMember(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonical JSON: ${String(value)} is not a JSON number`);
      // ECMAScript Number-to-String is the number form RFC 8785 §3.2.2.3 prescribes (and -0 becomes 0).
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + serialize(value[i] as JsonValue);
    return out + ']';
  }
  const keys = sortKeys(Object.keys(value));
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    out += (first ? '' : ',') + serializeMember(key) + ':' + serialize(member);
    first = false;
  }
  return out + '}';
}

/**
 * The RFC 8785 (JCS) text of a JSON value. Equivalent to the `canonicalize` package (a test checks it on
 * generated values) but several times faster, which matters on the append and verification hot paths.
 * @throws TypeError for non-finite numbers and strings with lone surrogates (they have no canonical form).
 */
export function canonicalJson(value: JsonValue): string {
  const text = serialize(value);
  if (!isWellFormed(text)) throw new TypeError(LONE_SURROGATE_ERROR);
  return text;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The RFC 8785 (JCS) UTF-8 bytes of a JSON value: what CAVRA hashes and signs for its own formats. */
export function canonicalBytes(value: JsonValue): Uint8Array {
  return encoder.encode(serialize(value));
}

/**
 * SHA-256 of the UTF-8 bytes of `text[from:]`, with the character at `from` replaced by `first` when given.
 * Encodes into a reused buffer (the hot path of verification), so no per-call allocation but the digest.
 * `from` must fall after ASCII-only text, so character and byte offsets agree.
 */
export function sha256Text(text: string, crypto: EvidenceCrypto, from = 0, first?: string): Uint8Array {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  if (first !== undefined) scratch[from] = first.charCodeAt(0);
  return crypto.sha256(scratch.subarray(from, written));
}

/**
 * SHA-256 of the UTF-8 bytes of `head + middle + tail`, encoded piece by piece into a reused buffer: no string
 * is assembled (encoding a concatenation first flattens it, a copy of the whole text).
 */
export function sha256Pieces(head: string, middle: string, tail: string, crypto: EvidenceCrypto): Uint8Array {
  const need = (head.length + middle.length + tail.length) * 3;
  if (scratch.length < need) scratch = new Uint8Array(need);
  let at = encoder.encodeInto(head, scratch).written;
  at += encoder.encodeInto(middle, scratch.subarray(at)).written;
  at += encoder.encodeInto(tail, scratch.subarray(at)).written;
  return crypto.sha256(scratch.subarray(0, at));
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  return code >= 97 && code <= 102 ? code - 87 : -1;
}

/** Bytes of a lowercase, even-length hex string; null for anything else (uppercase is rejected on purpose). */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = nibble(hex.charCodeAt(2 * i));
    const low = nibble(hex.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return null;
    out[i] = high * 16 + low;
  }
  return out;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True for a lowercase hex SHA-256 digest (64 characters), the form every CAVRA hash field uses. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map(Array.from(B64, (c, i) => [c, i]));

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64.charAt(n >>> 18) + B64.charAt((n >>> 12) & 63);
    out += i + 1 < bytes.length ? B64.charAt((n >>> 6) & 63) : '=';
    out += i + 2 < bytes.length ? B64.charAt(n & 63) : '=';
  }
  return out;
}

/**
 * Bytes of standard padded base64; null unless the text is the canonical encoding of those bytes
 * (no whitespace, no URL alphabet, no missing padding, zero unused bits), so one value has one text.
 */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text.charAt(i + j);
      const v = ch === '=' && i + 4 === text.length && j >= 4 - padding ? 0 : B64_INDEX.get(ch);
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    for (let j = 0; j < 3 && o < out.length; j++) out[o++] = (n >>> (16 - 8 * j)) & 255;
  }
  return toBase64(out) === text ? out : null;
}

/** Constant-shape byte comparison (length, then every byte). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The concatenation of byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
