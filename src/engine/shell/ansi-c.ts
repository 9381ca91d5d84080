/**
 * Decoding of bash ANSI-C quoting (`$'…'`), as described in the bash manual ("ANSI-C Quoting").
 */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Decodes the text between `$'` and `'`: `\n \t \r \a \b \e \E \f \v \\ \' \" \?`, `\NNN` (1–3 octal digits),
 * `\xHH` (1–2 hex digits), `\uHHHH` (1–4), `\UHHHHHHHH` (1–8), `\cX` (control character). Unknown escapes keep
 * their backslash. Like bash, the result is cut at the first NUL character (`$'rm\0x'` is `rm`).
 */
export function decodeAnsiC(raw: string): string {
  let out = '';
  let seg = 0;
  const n = raw.length;
  let i = 0;
  while (i < n) {
    if (raw.charCodeAt(i) !== 92 || i + 1 >= n) {
      i++;
      continue;
    }
    out += raw.slice(seg, i);
    const ch = raw.charAt(i + 1);
    i += 2;
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) {
      out += simple;
    } else if (ch >= '0' && ch <= '7') {
      let value = ch.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && i < n; k++) {
        const d = raw.charCodeAt(i) - 48;
        if (d < 0 || d > 7) break;
        value = value * 8 + d;
        i++;
      }
      out += String.fromCharCode(value & 0xff);
    } else if (ch === 'x' || ch === 'u' || ch === 'U') {
      const max = ch === 'x' ? 2 : ch === 'u' ? 4 : 8;
      let value = 0;
      let digits = 0;
      while (digits < max && i < n) {
        const d = hexValue(raw.charCodeAt(i));
        if (d < 0) break;
        value = value * 16 + d;
        i++;
        digits++;
      }
      if (digits === 0) out += '\\' + ch;
      else if (value > 0x10ffff) out += '\ufffd';
      else out += String.fromCodePoint(value);
    } else if (ch === 'c' && i < n) {
      out += String.fromCharCode(raw.charCodeAt(i) & 0x1f);
      i++;
    } else {
      out += '\\' + ch;
    }
    seg = i;
  }
  out += raw.slice(seg);
  const nul = out.indexOf('\0');
  return nul >= 0 ? out.slice(0, nul) : out;
}
