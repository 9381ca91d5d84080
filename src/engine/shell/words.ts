/**
 * Word scanning for the shell parser: unquoted words, quotes, `$` expansions, backquotes, arithmetic,
 * brace expansion and here-document bodies. The grammar (parse.ts) extends this class and supplies the
 * recursive script parsing that command and process substitutions need.
 */
import { decodeAnsiC } from './ansi-c';
import type { ArithText, Script, Word, WordPart } from './ast';
import {
  AT,
  BACKSLASH,
  BACKTICK,
  BANG,
  COMMA,
  DIGIT,
  DOLLAR,
  DOT,
  DQUOTE,
  EQ,
  GT,
  HASH,
  LBRACE,
  LBRACKET,
  LPAREN,
  LT,
  META,
  MINUS,
  NAME_CHAR,
  NAME_START,
  NL,
  PLUS,
  QUESTION,
  RBRACE,
  RBRACKET,
  RPAREN,
  SPECIAL_PARAM,
  SQUOTE,
  STAR,
  WORD_SPECIAL,
  CLASS,
  hasClass,
} from './chars';

/**
 * Internal failure signal; `parseShell` turns it into `{ ok: false, error }`. Deliberately not an `Error`:
 * capturing a stack trace made rejecting an input several times slower than parsing it.
 */
export class ParseFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Deepest nesting of scripts, quotes and expansions accepted; deeper input is rejected, not overflowed. */
const MAX_NESTING = 150;

/** Operators of `${name<op>operand}`, longest first within each leading character. */
const PARAM_OPS = [
  ':-',
  ':=',
  ':?',
  ':+',
  ':',
  '-',
  '=',
  '?',
  '+',
  '##',
  '#',
  '%%',
  '%',
  '//',
  '/#',
  '/%',
  '/',
];
const CASE_OPS = ['^^', '^', ',,', ',', '@'];

export abstract class WordScanner {
  protected pos = 0;
  protected readonly len: number;

  constructor(
    protected readonly src: string,
    /** Offset of `src` in the original input, added to every span (non-zero for backquote / here-doc text). */
    protected readonly base: number,
    protected nesting: number,
  ) {
    this.len = src.length;
  }

  /** Parses a script after `$(` or `<(` up to and including its closing `)`. */
  protected abstract parseParenScript(what: string, start: number): Script;
  /** Parses standalone text (a backquote body) as a script; `base` is its offset in the input. */
  protected abstract parseText(text: string, base: number): Script;

  protected fail(message: string, at: number = this.pos): never {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a stackless signal, caught in parseShell
    throw new ParseFailure(message, this.base + at);
  }

  protected enter(): void {
    if (++this.nesting > MAX_NESTING) this.fail('input is nested too deeply');
  }

  protected code(at: number): number {
    return this.src.charCodeAt(at);
  }

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

  /**
   * When a brace expansion starts at `open` (balanced braces within the word, with a top-level unquoted `,` or
   * `..`), returns the position of its closing `}`; else -1.
   */
  private braceEnd(open: number): number {
    const src = this.src;
    let depth = 1;
    let found = false;
    for (let i = open + 1; i < this.len; i++) {
      const c = src.charCodeAt(i);
      if (c < 128 && ((CLASS[c] ?? 0) & META) !== 0) return -1;
      switch (c) {
        case BACKSLASH:
          i++;
          break;
        case SQUOTE: {
          i = src.indexOf("'", i + 1);
          if (i < 0) return -1;
          break;
        }
        case DQUOTE:
        case BACKTICK:
          i = this.skipQuoted(i, c);
          if (i < 0) return -1;
          break;
        case DOLLAR: {
          const n = src.charCodeAt(i + 1);
          if (n === LPAREN || n === LBRACE || n === LBRACKET) {
            i = this.skipBalanced(i + 1);
            if (i < 0) return -1;
          }
          break;
        }
        case LBRACE:
          depth++;
          break;
        case RBRACE:
          if (--depth === 0) return found ? i : -1;
          break;
        case COMMA:
          if (depth === 1) found = true;
          break;
        case DOT:
          if (depth === 1 && src.charCodeAt(i + 1) === DOT) found = true;
          break;
      }
    }
    return -1;
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
    if (this.pos !== close || this.code(close) !== RBRACE) {
      this.pos = open;
      return null;
    }
    this.pos = close + 1;
    return {
      type: 'BraceExpansion',
      raw: this.src.slice(open, close + 1),
      alternatives: comma ? alternatives : [],
    };
  }

  protected readSingleQuoted(): WordPart {
    const start = this.pos;
    const end = this.src.indexOf("'", start + 1);
    if (end < 0) this.fail('unterminated single quote', start);
    this.pos = end + 1;
    return { type: 'SingleQuoted', value: this.src.slice(start + 1, end), ansiC: false };
  }

  /** `$'…'` at `pos` (on the `$`). */
  private readAnsiC(): WordPart {
    const start = this.pos;
    for (let i = start + 2; i < this.len; i++) {
      const c = this.code(i);
      if (c === BACKSLASH) i++;
      else if (c === SQUOTE) {
        this.pos = i + 1;
        return { type: 'SingleQuoted', value: decodeAnsiC(this.src.slice(start + 2, i)), ansiC: true };
      }
    }
    return this.fail("unterminated $'…' quote", start);
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

  /**
   * A `$` construct at `pos`. Returns null, consuming nothing, when the `$` is literal (`$` before a space,
   * or `$'`/`$"` inside double quotes).
   */
  protected readDollar(inDq: boolean): WordPart | null {
    const start = this.pos;
    const c = this.code(start + 1);
    if (c === LPAREN) {
      if (this.code(start + 2) === LPAREN) {
        // Always arithmetic (bash would re-read `$((cmd); cmd)` as a command substitution; mvdan-sh and we reject).
        this.pos = start + 3;
        const arithmetic = this.readArith(true);
        if (arithmetic === null) return this.fail("expected '))' to close '$(('", start);
        return { type: 'ArithExpansion', arithmetic };
      }
      this.pos = start + 2;
      const script = this.parseParenScript('command substitution', start);
      return {
        type: 'CommandSubstitution',
        script,
        backquote: false,
        raw: this.src.slice(start + 2, this.pos - 1),
      };
    }
    if (c === LBRACE) return this.readParamExpansion(inDq);
    if (c === LBRACKET) {
      this.pos = start + 2;
      const arithmetic = this.readArith(false);
      if (arithmetic === null) return this.fail('unterminated arithmetic expansion', start);
      return { type: 'ArithExpansion', arithmetic };
    }
    if (!inDq && c === SQUOTE) return this.readAnsiC();
    if (!inDq && c === DQUOTE) {
      this.pos = start + 1;
      return this.readDoubleQuoted();
    }
    if (hasClass(c, NAME_START)) {
      let end = start + 2;
      let name = '';
      let seg = start + 1;
      for (;;) {
        const n = this.code(end);
        if (hasClass(n, NAME_CHAR)) end++;
        else if (n === BACKSLASH && this.code(end + 1) === NL && hasClass(this.code(end + 2), NAME_CHAR)) {
          name += this.src.slice(seg, end); // a line continuation inside the name (`$a\<newline>b` is `$ab`)
          end += 2;
          seg = end;
        } else break;
      }
      name += this.src.slice(seg, end);
      this.pos = end;
      return { type: 'ParamExpansion', name, raw: '$' + name, operand: [] };
    }
    if (hasClass(c, DIGIT | SPECIAL_PARAM)) {
      this.pos = start + 2;
      const name = this.src.charAt(start + 1);
      return { type: 'ParamExpansion', name, raw: '$' + name, operand: [] };
    }
    return null;
  }

  /** `${…}` at `pos`. The operand (and any array subscript's expansions) go to `operand`. */
  private readParamExpansion(inDq: boolean): WordPart {
    const start = this.pos;
    this.enter();
    let pos = start + 2;
    let c = this.code(pos);
    let prefix = 0;
    if ((c === HASH || c === BANG) && this.code(pos + 1) !== RBRACE) {
      const n = this.code(pos + 1);
      if (
        hasClass(n, NAME_CHAR | SPECIAL_PARAM) &&
        !(c === HASH && (n === MINUS || n === QUESTION || n === EQ))
      ) {
        prefix = c;
        c = this.code(++pos);
      }
    }
    let nameEnd = pos + 1;
    if (hasClass(c, NAME_START)) {
      while (hasClass(this.code(nameEnd), NAME_CHAR)) nameEnd++;
    } else if (hasClass(c, DIGIT)) {
      while (hasClass(this.code(nameEnd), DIGIT)) nameEnd++;
    } else if (!hasClass(c, SPECIAL_PARAM)) {
      if (pos >= this.len) this.fail('unterminated parameter expansion', start);
      this.fail('bad substitution', pos);
    }
    const name = this.src.slice(pos, nameEnd);
    this.pos = nameEnd;
    const operand: WordPart[] = [];
    if (this.code(this.pos) === LBRACKET) {
      this.pos++;
      const subscript = this.readArith(false);
      if (subscript === null) this.fail('unterminated parameter expansion', start);
      for (const p of subscript.parts) operand.push(p);
    }
    c = this.code(this.pos);
    if (prefix === BANG && (c === STAR || c === AT) && this.code(this.pos + 1) === RBRACE) this.pos++;
    else if (c !== RBRACE) {
      const op = this.matchParamOp();
      if (op === 0) {
        if (this.pos >= this.len) this.fail('unterminated parameter expansion', start);
        this.fail('bad substitution', this.pos);
      }
      this.pos += op;
      if (
        op === 1 &&
        c === AT &&
        (!hasClass(this.code(this.pos), NAME_START) || this.code(this.pos + 1) !== RBRACE)
      ) {
        this.fail('bad substitution', this.pos); // `${x@Q}` takes exactly one operator letter
      }
      this.readParamOperand(operand, inDq, start);
    }
    this.pos++; // the closing brace
    this.nesting--;
    return { type: 'ParamExpansion', name, raw: this.src.slice(start, this.pos), operand };
  }

  /** Length of the `${…}` operator at `pos`, or 0. */
  private matchParamOp(): number {
    const src = this.src;
    for (const op of PARAM_OPS) if (src.startsWith(op, this.pos)) return op.length;
    for (const op of CASE_OPS) if (src.startsWith(op, this.pos)) return op.length;
    return 0;
  }

  /** The word after a `${name<op>` operator, up to the matching `}` (left at `pos`). */
  private readParamOperand(parts: WordPart[], inDq: boolean, start: number): void {
    const src = this.src;
    let lit = '';
    let glob = false;
    let seg = this.pos;
    let pos = this.pos;
    for (;;) {
      if (pos >= this.len) this.fail('unterminated parameter expansion', start);
      const c = src.charCodeAt(pos);
      if (c === RBRACE) break; // bash does not count braces here: `${a:-{x}}` is `${a:-{x}` then `}`
      if (c === BACKSLASH) {
        const n = src.charCodeAt(pos + 1);
        if (!inDq || n === DOLLAR || n === BACKTICK || n === DQUOTE || n === BACKSLASH || n === RBRACE) {
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
      if (!inDq && (c === STAR || c === QUESTION || c === LBRACKET)) glob = true;
      // Inside double quotes a single quote is an ordinary character (bash): `"${a:-'$(x)'}"` runs `x`.
      if ((c === SQUOTE && !inDq) || c === DQUOTE || c === DOLLAR || c === BACKTICK) {
        this.pos = pos;
        let part: WordPart | null;
        if (c === SQUOTE) part = this.readSingleQuoted();
        else if (c === DQUOTE) part = this.readDoubleQuoted();
        else if (c === BACKTICK) part = this.readBackquote(inDq);
        else part = this.readDollar(inDq);
        if (part === null) {
          pos++;
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
      pos++;
    }
    lit += src.slice(seg, pos);
    if (lit !== '') parts.push({ type: 'Literal', value: lit, glob });
    this.pos = pos;
  }

  /**
   * Arithmetic text after `$((`/`((` (`doubleParen`) or `$[`/`[` up to and including its closer. Returns null
   * when a `((` turns out not to be arithmetic (a `)` closes it without a second `)`).
   */
  protected readArith(doubleParen: boolean): ArithText | null {
    const start = this.pos;
    const src = this.src;
    const parts: WordPart[] = [];
    this.enter();
    let parens = 0;
    let brackets = 0;
    let pos = start;
    for (;;) {
      if (pos >= this.len)
        this.fail(doubleParen ? 'expected `))` to close arithmetic' : "expected ']'", start);
      const c = src.charCodeAt(pos);
      if (c === LPAREN) parens++;
      else if (c === RPAREN) {
        if (parens > 0) parens--;
        else if (doubleParen && src.charCodeAt(pos + 1) === RPAREN) break;
        else if (doubleParen) {
          this.nesting--;
          return null;
        }
      } else if (c === LBRACKET) brackets++;
      else if (c === RBRACKET) {
        if (brackets === 0 && !doubleParen) break;
        brackets--;
      } else if (c === BACKSLASH) pos++;
      else if (c === SQUOTE) {
        // bash matches single quotes inside arithmetic text (and rejects the expression when it runs)
        pos = src.indexOf("'", pos + 1);
        if (pos < 0) this.fail('unterminated single quote', start);
      } else if (c === DOLLAR || c === BACKTICK || c === DQUOTE) {
        this.pos = pos;
        const part =
          c === DOLLAR
            ? this.readDollar(false)
            : c === BACKTICK
              ? this.readBackquote(false)
              : this.readDoubleQuoted();
        if (part !== null) {
          parts.push(part);
          pos = this.pos;
          continue;
        }
      }
      pos++;
    }
    this.pos = pos + (doubleParen ? 2 : 1);
    this.nesting--;
    return { raw: src.slice(start, pos), parts };
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
