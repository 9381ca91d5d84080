/**
 * The `$` expansions of the shell parser (see lexer.ts for the layering).
 */
import type { ArithText, Script, WordPart } from './ast';
import {
  AT,
  BACKSLASH,
  BACKTICK,
  BANG,
  DIGIT,
  DOLLAR,
  DQUOTE,
  EQ,
  hasClass,
  HASH,
  LBRACE,
  LBRACKET,
  LPAREN,
  MINUS,
  NAME_CHAR,
  NAME_START,
  NL,
  QUESTION,
  RBRACE,
  RBRACKET,
  RPAREN,
  SPECIAL_PARAM,
  SQUOTE,
  STAR,
} from './chars';
import { decodeAnsiC } from './ansi-c';
import { Lexer } from './lexer';

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

/** `$…` expansions: parameters, `$( )`, `$(( ))`, `$[ ]`, `$'…'`, `$"…"`, and arithmetic text. */
export abstract class ExpansionScanner extends Lexer {
  /** Parses a script after `$(` or `<(` up to and including its closing `)`. */
  protected abstract parseParenScript(what: string, start: number): Script;
  protected abstract readSingleQuoted(): WordPart;
  protected abstract readDoubleQuoted(): WordPart;
  protected abstract readBackquote(inDq: boolean): WordPart;

  /** `$'…'` at `pos` (on the `$`). */
  protected readAnsiC(): WordPart {
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
  protected readParamExpansion(inDq: boolean): WordPart {
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
  protected matchParamOp(): number {
    const src = this.src;
    for (const op of PARAM_OPS) if (src.startsWith(op, this.pos)) return op.length;
    for (const op of CASE_OPS) if (src.startsWith(op, this.pos)) return op.length;
    return 0;
  }

  /** The word after a `${name<op>` operator, up to the matching `}` (left at `pos`). */
  protected readParamOperand(parts: WordPart[], inDq: boolean, start: number): void {
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
}
