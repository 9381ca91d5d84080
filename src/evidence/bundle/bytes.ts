/**
 * Strict UTF-8 decoding for bundle files (the evidence layer compiles against ES2023 only, without
 * `TextDecoder`). Encoding, hex and base64 live in ../canonical.ts.
 */

/** Decodes strict UTF-8 (no overlongs, surrogates or truncation); `null` when the bytes are not UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | null {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] ?? 0;
    const [length, min] =
      b0 < 0x80 ? [1, 0] : b0 >= 0xf0 ? [4, 0x10000] : b0 >= 0xe0 ? [3, 0x800] : [2, 0x80];
    if ((b0 >= 0x80 && b0 < 0xc2) || b0 > 0xf4 || i + length > bytes.length) return null;
    let cp = length === 1 ? b0 : b0 & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k] ?? 0;
      if ((b & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (b & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    text += String.fromCodePoint(cp);
    i += length;
  }
  return text;
}
