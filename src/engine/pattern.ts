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
