/**
 * Word scanning for the shell parser (see lexer.ts for the layering): unquoted words, quotes, backquotes,
 * brace expansion, here-document bodies. The grammar layers above supply the recursive script parsing.
 */
import type { Script, Word, WordPart } from './ast';
import {
  AT,
  BACKSLASH,
  BACKTICK,
  BANG,
  CLASS,
  COMMA,
  DOLLAR,
  DOT,
  DQUOTE,
  EQ,
  GT,
  hasClass,
  LBRACE,
  LBRACKET,
  LPAREN,
  LT,
  META,
  NAME_CHAR,
  NAME_START,
  NL,
  PLUS,
  QUESTION,
  RBRACE,
  RBRACKET,
  RPAREN,
  SQUOTE,
  STAR,
  WORD_SPECIAL,
} from './chars';
import { ExpansionScanner } from './expansions';

/** `{1..10}`, `{a..e}`, `{01..10..2}`: the sequence forms bash expands. */
const SEQUENCE = /^\{(?:-?\d+\.\.-?\d+|[A-Za-z]\.\.[A-Za-z])(?:\.\.-?\d+)?\}$/;

/** True when the brace text has a comma outside nested braces, quotes and escapes (cheap pre-check). */
function hasTopLevelComma(raw: string): boolean {
  let depth = 0;
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === LBRACE) depth++;
    else if (c === RBRACE) depth--;
    else if (c === COMMA && depth === 0) return true;
    else if (c === SQUOTE || c === DQUOTE || c === DOLLAR || c === BACKTICK) return true; // let the full reader decide
  }
  return false;
}

/**
 * Words: unquoted text, quotes, backquotes, process substitution, brace expansion, assignment prefixes and
 * here-document bodies.
 */
export abstract class WordScanner extends ExpansionScanner {
  /** Parses standalone text (a backquote body) as a script; `base` is its offset in the input. */
  protected abstract parseText(text: string, base: number): Script;

  /** Reads an unquoted word at `pos`; null (nothing consumed) when no word starts here. */
  protected readWord(braces: boolean): Word | null {
    const start = this.pos;
    const parts: WordPart[] = [];
    this.readUnquoted(parts, braces, false);
    if (this.pos === start) return null;
    return { type: 'Word', start: this.base + start, end: this.base + this.pos, parts };
  }

  /**
   * The unquoted-word loop. Stops at a metacharacter (or, inside a brace alternative, at a top-level `,`/`}`).
   */
  protected readUnquoted(parts: WordPart[], braces: boolean, braceAlt: boolean): void {
    const src = this.src;
    const len = this.len;
    let lit = '';
    let glob = false;
    let seg = this.pos;
    let depth = 0; // literal `{` nesting inside a brace alternative
    let pos = this.pos;
    for (;;) {
      // Fast path: plain characters.
      let c = src.charCodeAt(pos);
      while (pos < len && (c >= 128 || ((CLASS[c] ?? 0) & (META | WORD_SPECIAL)) === 0))
        c = src.charCodeAt(++pos);
      if (pos >= len) break;
      if (((CLASS[c] ?? 0) & META) !== 0) {
        if ((c === LT || c === GT) && src.charCodeAt(pos + 1) === LPAREN) {
          lit += src.slice(seg, pos);
          if (lit !== '') parts.push({ type: 'Literal', value: lit, glob });
          lit = '';
          glob = false;
          this.pos = pos;
          parts.push(this.readProcessSubst());
          pos = seg = this.pos;
          continue;
        }
        break;
      }
      switch (c) {
        case BACKSLASH: {
          lit += src.slice(seg, pos);
          if (pos + 1 >= len) {
            // A trailing backslash is literal.
            seg = pos;
            pos++;
          } else if (src.charCodeAt(pos + 1) === NL) {
            pos += 2;
            seg = pos;
          } else {
            seg = pos + 1;
            pos += 2;
          }
          continue;
        }
        case STAR:
        case QUESTION:
        case AT:
        case BANG:
        case PLUS:
          if (src.charCodeAt(pos + 1) === LPAREN) {
            // Extended glob `@(a|b)`: kept as literal text.
            pos = this.skipExtGlob(pos + 1);
            glob = true;
            continue;
          }
          if (c === STAR || c === QUESTION) glob = true;
          pos++;
          continue;
        case LBRACKET:
          glob = true;
          pos++;
          continue;
        case LBRACE:
          if (braces) {
            const end = this.braceEnd(pos);
            this.pos = pos;
            const brace = end >= 0 ? this.readBraceExpansion(end) : null;
            if (brace !== null) {
              lit += src.slice(seg, pos);
              if (lit !== '') parts.push({ type: 'Literal', value: lit, glob });
              lit = '';
              glob = false;
              parts.push(brace);
              pos = seg = this.pos;
              continue;
            }
          }
          if (braceAlt) depth++;
          pos++;
          continue;
        case RBRACE:
          if (braceAlt) {
            if (depth === 0) break;
            depth--;
          }
          pos++;
          continue;
        case COMMA:
          if (braceAlt && depth === 0) break;
          pos++;
          continue;
        default: {
          // Quotes, `$` and backquotes: a non-literal part.
          this.pos = pos;
          let part: WordPart | null;
          if (c === SQUOTE) part = this.readSingleQuoted();
          else if (c === DQUOTE) part = this.readDoubleQuoted();
          else if (c === BACKTICK) part = this.readBackquote(false);
          else part = this.readDollar(false);
          if (part === null) {
            pos++; // a literal `$`
            continue;
          }
          lit += src.slice(seg, pos);
          if (lit !== '') parts.push({ type: 'Literal', value: lit, glob });
          lit = '';
          glob = false;
          parts.push(part);
          pos = seg = this.pos;
          continue;
        }
      }
      break; // only reached from `break` inside the switch (brace alternative end)
    }
    lit += src.slice(seg, pos);
    if (lit !== '') parts.push({ type: 'Literal', value: lit, glob });
    this.pos = pos;
  }

  /** `@(…)`-style extended glob: returns the position after the matching `)`. */
  private skipExtGlob(open: number): number {
    let depth = 0;
    for (let i = open; i < this.len; i++) {
      const c = this.code(i);
      if (c === BACKSLASH) i++;
      else if (c === LPAREN) depth++;
      else if (c === RPAREN && --depth === 0) return i + 1;
      else if (c === NL) break;
    }
    return this.fail('unterminated extended glob', open);
  }

  /** Matching `}` (or -1) of each `{` of the word last scanned by `braceTable`. */
  private braces: Map<number, number> | null = null;

  /**
   * When a brace expansion starts at `open` (balanced braces within the word, with a top-level unquoted `,` or
   * `..`), returns the position of its closing `}`; else -1. One linear scan per word answers for all its
   * braces (scanning from each `{` made `{{{{…` quadratic).
   */
  private braceEnd(open: number): number {
    const known = this.braces?.get(open);
    if (known !== undefined) return known;
    this.braces = this.braceTable(open);
    return this.braces.get(open) ?? -1;
  }

  /** Scans the word from `from`, matching braces with a stack (quotes and `$(…)`/`${…}`/`$[…]` skipped). */
  private braceTable(from: number): Map<number, number> {
    const src = this.src;
    const table = new Map<number, number>();
    const opens: number[] = [];
    const found: boolean[] = [];
    scan: for (let i = from; i < this.len; i++) {
      const c = src.charCodeAt(i);
      if (c < 128 && ((CLASS[c] ?? 0) & META) !== 0) break;
      switch (c) {
        case BACKSLASH:
          i++;
          break;
        case SQUOTE:
          i = src.indexOf("'", i + 1);
          if (i < 0) break scan;
          break;
        case DQUOTE:
        case BACKTICK:
          i = this.skipQuoted(i, c);
          if (i < 0) break scan;
          break;
        case DOLLAR: {
          const n = src.charCodeAt(i + 1);
          if (n === LPAREN || n === LBRACE || n === LBRACKET) {
            i = this.skipBalanced(i + 1);
            if (i < 0) break scan;
          }
          break;
        }
        case LBRACE:
          opens.push(i);
          found.push(false);
          break;
        case RBRACE: {
          const open = opens.pop();
          if (open !== undefined) table.set(open, found.pop() === true ? i : -1);
          break;
        }
        case COMMA:
          if (found.length > 0) found[found.length - 1] = true;
          break;
        case DOT:
          if (found.length > 0 && src.charCodeAt(i + 1) === DOT) found[found.length - 1] = true;
          break;
      }
    }
    for (const open of opens) table.set(open, -1);
    return table;
  }

  /** Skips `"…"` or `` `…` `` starting at `open`; returns the closing position or -1. */
  private skipQuoted(open: number, quote: number): number {
    for (let i = open + 1; i < this.len; i++) {
      const c = this.code(i);
      if (c === BACKSLASH) i++;
      else if (c === quote) return i;
    }
    return -1;
  }

  /** Skips a bracketed region starting at the opener `open` (`(`, `{` or `[`); returns its closer or -1. */
  private skipBalanced(open: number): number {
    let depth = 0;
    for (let i = open; i < this.len; i++) {
      const c = this.code(i);
      if (c === BACKSLASH) i++;
      else if (c === SQUOTE) {
        i = this.src.indexOf("'", i + 1);
        if (i < 0) return -1;
      } else if (c === DQUOTE || c === BACKTICK) {
        i = this.skipQuoted(i, c);
        if (i < 0) return -1;
      } else if (c === LPAREN || c === LBRACE || c === LBRACKET) depth++;
      else if ((c === RPAREN || c === RBRACE || c === RBRACKET) && --depth === 0) return i;
    }
    return -1;
  }

  /**
   * `{a,b}` / `{1..3}` at `pos`, whose closing brace `braceEnd` found at `close`. Returns null (with `pos`
   * restored) if the alternatives do not end exactly there; the `{` is then literal.
   */
  private readBraceExpansion(close: number): WordPart | null {
    const open = this.pos;
    const raw = this.src.slice(open, close + 1);
    // A sequence must be static (`{1..$(id)}` is not expanded by bash, and must not hide the substitution).
    if (!hasTopLevelComma(raw)) return SEQUENCE.test(raw) ? this.sequence(raw, close) : null;
    const alternatives: WordPart[][] = [];
    this.enter();
    this.pos = open + 1;
    let comma = false;
    for (;;) {
      const alt: WordPart[] = [];
      this.readUnquoted(alt, true, true);
      alternatives.push(alt);
      if (this.code(this.pos) !== COMMA) break;
      comma = true;
      this.pos++;
    }
    this.nesting--;
    if (!comma || this.pos !== close || this.code(close) !== RBRACE) {
      this.pos = open;
      return null;
    }
    this.pos = close + 1;
    return { type: 'BraceExpansion', raw, alternatives };
  }

  private sequence(raw: string, close: number): WordPart {
    this.pos = close + 1;
    return { type: 'BraceExpansion', raw, alternatives: [] };
  }

  protected readSingleQuoted(): WordPart {
    const start = this.pos;
    const end = this.src.indexOf("'", start + 1);
    if (end < 0) this.fail('unterminated single quote', start);
    this.pos = end + 1;
    return { type: 'SingleQuoted', value: this.src.slice(start + 1, end), ansiC: false };
  }

  /** `"…"` at `pos` (on the opening quote). */
  protected readDoubleQuoted(): WordPart {
    const start = this.pos;
    this.enter();
    this.pos++;
    const parts: WordPart[] = [];
    this.readQuotedParts(parts, DQUOTE);
    if (this.pos >= this.len) this.fail('unterminated double quote', start);
    this.pos++;
    this.nesting--;
    return { type: 'DoubleQuoted', parts };
  }

  /**
   * Parts of double-quoted text (`terminator` = `"`) or of an unquoted here-document body (`terminator` = -1,
   * read to the end of `src`): only `$`, backquotes and the escapes `\$ \` \\ \newline` (and `\"` in quotes).
   */
  protected readQuotedParts(parts: WordPart[], terminator: number): void {
    const src = this.src;
    const len = this.len;
    let lit = '';
    let seg = this.pos;
    let pos = this.pos;
    while (pos < len) {
      const c = src.charCodeAt(pos);
      if (c === terminator) break;
      if (c === BACKSLASH) {
        const n = src.charCodeAt(pos + 1);
        if (n === DOLLAR || n === BACKTICK || n === BACKSLASH || (n === DQUOTE && terminator === DQUOTE)) {
          lit += src.slice(seg, pos);
          seg = pos + 1;
          pos += 2;
        } else if (n === NL) {
          lit += src.slice(seg, pos);
          pos += 2;
          seg = pos;
        } else pos++;
        continue;
      }
      if (c !== DOLLAR && c !== BACKTICK) {
        pos++;
        continue;
      }
      this.pos = pos;
      const part = c === BACKTICK ? this.readBackquote(terminator === DQUOTE) : this.readDollar(true);
      if (part === null) {
        pos++;
        continue;
      }
      lit += src.slice(seg, pos);
      if (lit !== '') parts.push({ type: 'Literal', value: lit, glob: false });
      lit = '';
      parts.push(part);
      pos = seg = this.pos;
    }
    lit += src.slice(seg, pos);
    if (lit !== '') parts.push({ type: 'Literal', value: lit, glob: false });
    this.pos = pos;
  }

  /** `` `…` `` at `pos`: unescapes `\$ \` \\` (and `\"` inside double quotes), then parses the text. */
  protected readBackquote(inDq: boolean): WordPart {
    const start = this.pos;
    const src = this.src;
    let inner = '';
    let seg = start + 1;
    let pos = start + 1;
    for (;;) {
      if (pos >= this.len) this.fail('unterminated backquote', start);
      const c = src.charCodeAt(pos);
      if (c === BACKTICK) break;
      if (c === BACKSLASH) {
        const n = src.charCodeAt(pos + 1);
        if (n === DOLLAR || n === BACKTICK || n === BACKSLASH || (inDq && n === DQUOTE)) {
          inner += src.slice(seg, pos);
          seg = pos + 1;
        }
        pos += 2;
        continue;
      }
      pos++;
    }
    inner += src.slice(seg, pos);
    this.pos = pos + 1;
    this.enter();
    const script = this.parseText(inner, this.base + start + 1);
    this.nesting--;
    return { type: 'CommandSubstitution', script, backquote: true, raw: src.slice(start + 1, pos) };
  }

  /** `<(…)` or `>(…)` at `pos`. */
  protected readProcessSubst(): WordPart {
    const start = this.pos;
    const direction = this.code(start) === LT ? 'in' : 'out';
    this.pos = start + 2;
    const script = this.parseParenScript('process substitution', start);
    return { type: 'ProcessSubstitution', direction, script, raw: this.src.slice(start + 2, this.pos - 1) };
  }

  /**
   * The `name=`, `name+=` or `name[…]=` assignment prefix at `pos` (not consumed), or null. Like bash, a
   * `name[` subscript is matched up to its `]` across blanks; with no `]`, or no `=` after it, the input is
   * rejected.
   */
  protected assignmentPrefix(): { nameEnd: number; subscriptEnd: number; length: number } | null {
    const src = this.src;
    let i = this.pos;
    if (!hasClass(src.charCodeAt(i), NAME_START)) return null;
    while (hasClass(src.charCodeAt(++i), NAME_CHAR));
    const nameEnd = i;
    let subscriptEnd = -1;
    if (src.charCodeAt(i) === LBRACKET) {
      let depth = 0;
      for (; i < this.len; i++) {
        const c = src.charCodeAt(i);
        if (c === LBRACKET) depth++;
        else if (c === RBRACKET && --depth === 0) break;
        else if (c === BACKSLASH) i++;
        else if (c === SQUOTE || c === DQUOTE || c === BACKTICK) {
          i = c === SQUOTE ? src.indexOf("'", i + 1) : this.skipQuoted(i, c);
          if (i < 0) break;
        }
      }
      if (i < 0 || i >= this.len) this.fail("expected ']' to close the array subscript", nameEnd);
      subscriptEnd = i++;
    }
    const c = src.charCodeAt(i);
    if (c === EQ) return { nameEnd, subscriptEnd, length: i + 1 - this.pos };
    if (c === PLUS && src.charCodeAt(i + 1) === EQ)
      return { nameEnd, subscriptEnd, length: i + 2 - this.pos };
    // bash would run a command named `a[x]`; like mvdan-sh we reject it.
    if (subscriptEnd >= 0) this.fail("expected '=' after 'name[…]'", i);
    return null;
  }

  /** Parts of an unquoted here-document body: the whole of `src`. */
  protected readHeredocParts(): WordPart[] {
    const parts: WordPart[] = [];
    this.readQuotedParts(parts, -1);
    return parts;
  }
}

/** The text of a word made only of unquoted literal parts; null when it has quotes or expansions. */
export function staticText(word: Word): string | null {
  let text = '';
  for (const part of word.parts) {
    if (part.type !== 'Literal') return null;
    text += part.value;
  }
  return text;
}

/** Joins adjacent literal parts. */
export function mergeLiterals(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.type === 'Literal' && last !== undefined && last.type === 'Literal') {
      out[out.length - 1] = { type: 'Literal', value: last.value + part.value, glob: last.glob || part.glob };
    } else out.push(part);
  }
  return out;
}
