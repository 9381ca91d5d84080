/**
 * Pattern semantics.
 *
 * Upstream semantics (all pattern kinds): every `*` (and `**`) means any run of characters, `/` included;
 * everything else is literal and case-sensitive; the pattern is anchored at both ends.
 *
 * Gitignore semantics (paths only, added by CAVRA so a pack is never less strict than upstream):
 * a pattern without an inner slash matches a name at any depth; a leading `**\/` matches zero or more
 * directories; `*` and `?` stay within one segment; a pattern that matches a directory covers what lies below.
 */

const REGEX_SPECIALS = /[.+?^${}()|[\]\\]/g;

function escapeLiteral(text: string): string {
  return text.replace(REGEX_SPECIALS, '\\$&');
}

/** Upstream's matcher: `^` + escaped literal with `*` → `.*` + `$`. */
export function upstreamRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map(escapeLiteral)
    .join('.*')
    .replace(/(\.\*)+/g, '.*');
  return new RegExp(`^${body}$`, 's');
}

/** Gitignore-style matcher for a path pattern (see module doc). */
export function gitignoreRegex(pattern: string): RegExp {
  let body = pattern;
  const dirOnly = body.endsWith('/') && body.length > 1;
  if (dirOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  let out = '';
  let index = 0;
  while (index < body.length) {
    if (body.startsWith('**/', index)) {
      out += '(?:.*/)?';
      index += 3;
    } else if (body.startsWith('/**', index) && index + 3 === body.length) {
      out += '/.*';
      index += 3;
    } else if (body.startsWith('**', index)) {
      out += '.*';
      index += 2;
    } else {
      const char = body.charAt(index);
      out += char === '*' ? '[^/]*' : char === '?' ? '[^/]' : escapeLiteral(char);
      index += 1;
    }
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A pattern that names a directory covers everything below it (gitignore's directory rule).
  const suffix = dirOnly ? '/.*$' : '(?:/.*)?$';
  return new RegExp(prefix + out + suffix, 's');
}

/** True when `pattern` has no wildcard characters of either semantics. */
export function isLiteral(pattern: string): boolean {
  return !pattern.includes('*') && !pattern.includes('?');
}

/**
 * Whether some path matches both a shell glob (`*`, `?`, `[…]` stay within one segment) and a pack pattern
 * (upstream semantics: `*` crosses `/`). Used for glob operands the engine cannot expand (`cat .e*`): if the
 * glob and a sensitive pattern can name the same path, the access cannot be cleared statically.
 */
export function globIntersectsPattern(glob: string, pattern: string): boolean {
  const left = tokenizeWildcard(glob, SEGMENT_STAR);
  const right = tokenizeWildcard(pattern, FULL_STAR);
  const memo = new Map<number, boolean>();
  const width = right.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const x = left[i];
    const y = right[j];
    let result: boolean;
    if (x === undefined && y === undefined) result = true;
    else if (y === FULL_STAR) result = visit(i, j + 1) || (x !== undefined && visit(i + 1, j));
    else if (x === SEGMENT_STAR)
      result = visit(i + 1, j) || (y !== undefined && y !== '/' && visit(i, j + 1));
    else if (x === undefined || y === undefined) result = false;
    else if (x === ANY_CHAR) result = y !== '/' && visit(i + 1, j + 1);
    else result = x === y && visit(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

const FULL_STAR = '\u0000full*';
const SEGMENT_STAR = '\u0000seg*';
const ANY_CHAR = '\u0000?';

/** Splits a pattern into characters and wildcard tokens (runs of `*` collapse; `?`/`[…]` are one character). */
function tokenizeWildcard(pattern: string, star: string): string[] {
  const globbing = star === SEGMENT_STAR;
  const out: string[] = [];
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charAt(index);
    const close = char === '[' ? pattern.indexOf(']', index + 2) : -1;
    if (char === '*') {
      if (out[out.length - 1] !== star) out.push(star);
    } else if (globbing && char === '?') out.push(ANY_CHAR);
    else if (globbing && close !== -1) {
      out.push(ANY_CHAR);
      index = close;
    } else out.push(char);
  }
  return out;
}
