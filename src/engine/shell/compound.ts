/**
 * Compound commands of the shell parser (see lexer.ts for the layering).
 */
import type {
  ArithCommand,
  CaseClause,
  Command,
  ForClause,
  FunctionDef,
  IfClause,
  Redirect,
  Script,
  TestClause,
  WhileClause,
  Word,
  WordPart,
} from './ast';
import { AMP, GT, LPAREN, LT, NL, PIPE, RPAREN, SEMI, SPACE, TAB } from './chars';
import { TEST_BINARY, TEST_UNARY, TestState, checkTest } from './test-clause';
import { WordScanner, mergeLiterals, staticText } from './words';

/** Compound commands: `( )`, `{ }`, `(( ))`, if, while/until, for/select, case, functions, `[[ ]]`. */
export abstract class CompoundParser extends WordScanner {
  protected abstract parseScript(): Script;
  protected abstract parseCommand(): Command;
  protected abstract parseTrailingRedirects(): Redirect[];

  // ---------------------------------------------------------------- compound commands

  protected parseSubshell(): Command {
    const start = this.pos++;
    this.enter();
    const body = this.parseScript();
    if (this.code(this.pos) !== RPAREN) {
      if (this.pos >= this.len) this.fail("expected ')' to close '('", start);
      this.unexpected();
    }
    this.pos++;
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return { type: 'Subshell', start: this.base + start, end: this.endOf(redirects), body, redirects };
  }

  /** `(( … ))`. Like mvdan-sh, `((a); b)` (a subshell in a subshell, for bash) is rejected. */
  protected parseArithCommand(): ArithCommand {
    const start = this.pos;
    this.pos += 2;
    const arithmetic = this.readArith(true);
    if (arithmetic === null) return this.fail("expected '))' to close '(('", start);
    const redirects = this.parseTrailingRedirects();
    return {
      type: 'ArithCommand',
      start: this.base + start,
      end: this.endOf(redirects),
      arithmetic,
      redirects,
    };
  }

  protected parseBraceGroup(): Command {
    const start = this.pos++;
    this.enter();
    const body = this.parseScript();
    this.expectReserved('}', "expected '}' to close '{'", start);
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return { type: 'BraceGroup', start: this.base + start, end: this.endOf(redirects), body, redirects };
  }

  protected parseIf(): IfClause {
    const start = this.pos;
    this.pos += 2;
    this.enter();
    const branches: IfClause['branches'] = [];
    let elseBody: Script | null = null;
    let keyword = 'if';
    for (;;) {
      const condition = this.parseBody(keyword);
      this.expectReserved('then', "expected 'then'", start);
      branches.push({ condition, body: this.parseBody('then') });
      const next = this.peekReserved();
      if (next === 'elif') {
        this.pos += 4;
        keyword = 'elif';
        continue;
      }
      if (next === 'else') {
        this.pos += 4;
        elseBody = this.parseBody('else');
      }
      this.expectReserved('fi', "expected 'fi'", start);
      break;
    }
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return {
      type: 'IfClause',
      start: this.base + start,
      end: this.endOf(redirects),
      branches,
      elseBody,
      redirects,
    };
  }

  protected parseWhile(until: boolean): WhileClause {
    const start = this.pos;
    this.pos += 5;
    this.enter();
    const condition = this.parseBody(until ? 'until' : 'while');
    const body = this.parseDoGroup(start, false);
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return {
      type: 'WhileClause',
      start: this.base + start,
      end: this.endOf(redirects),
      until,
      condition,
      body,
      redirects,
    };
  }

  protected parseFor(keyword: 'for' | 'select'): ForClause {
    const start = this.pos;
    this.pos += keyword.length;
    this.enter();
    this.skipBlanks();
    let variable: string | null = null;
    let items: Word[] | null = null;
    let arithmetic = null;
    if (keyword === 'for' && this.code(this.pos) === LPAREN && this.code(this.pos + 1) === LPAREN) {
      this.pos += 2;
      arithmetic = this.readArith(true);
      if (arithmetic === null || !threeClauses(arithmetic.raw)) {
        this.fail("expected 'init; condition; step' in 'for (( ))'", start);
      }
      this.skipBlanks();
      if (this.code(this.pos) === SEMI) this.pos++;
    } else {
      // bash checks the name only when the loop runs (`for . in a` parses), so any unquoted word is accepted.
      const name = this.readWord(false);
      variable = name === null ? null : staticText(name);
      if (variable === null) this.fail(`expected a variable name after '${keyword}'`);
      this.skipBlanks();
      if (this.code(this.pos) === SEMI) this.pos++;
      else {
        this.skipSpaceAndNewlines();
        if (this.peekReserved() === 'in') {
          this.pos += 2;
          items = [];
          for (;;) {
            this.skipBlanks();
            const c = this.code(this.pos);
            if (c === SEMI) {
              this.pos++;
              break;
            }
            if (this.pos >= this.len || c === NL) break;
            const word = this.readWord(true);
            if (word === null) this.unexpected();
            items.push(word);
          }
        }
      }
    }
    const body = this.parseDoGroup(start, true);
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return {
      type: 'ForClause',
      start: this.base + start,
      end: this.endOf(redirects),
      keyword,
      variable,
      items,
      arithmetic,
      body,
      redirects,
    };
  }

  /** `do … done` (or, for `for`/`select`, a `{ … }` body as bash allows). */
  protected parseDoGroup(start: number, braceAllowed: boolean): Script {
    this.skipSpaceAndNewlines();
    if (braceAllowed && this.peekReserved() === '{') {
      this.pos++;
      const body = this.parseScript();
      this.expectReserved('}', "expected '}' to close '{'", start);
      return body;
    }
    this.expectReserved('do', "expected 'do'", start);
    const body = this.parseBody('do');
    this.expectReserved('done', "expected 'done'", start);
    return body;
  }

  protected parseCase(): CaseClause {
    const start = this.pos;
    this.pos += 4;
    this.enter();
    this.skipBlanks();
    const word = this.readWord(false);
    if (word === null) return this.fail("expected a word after 'case'");
    this.skipSpaceAndNewlines();
    this.expectReserved('in', "expected 'in'", start);
    const items: CaseClause['items'] = [];
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.peekReserved() === 'esac') {
        this.pos += 4;
        break;
      }
      if (this.pos >= this.len) this.fail("expected 'esac'", start);
      if (this.code(this.pos) === LPAREN) this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipBlanks();
        const pattern = this.readWord(false);
        if (pattern === null) this.fail('expected a case pattern');
        patterns.push(pattern);
        this.skipBlanks();
        const c = this.code(this.pos);
        this.pos++;
        if (c === RPAREN) break;
        if (c !== PIPE) this.fail("expected ')' after the case pattern", this.pos - 1);
      }
      const body = this.parseScript();
      let terminator: ';;' | ';&' | ';;&' | null = null;
      if (this.code(this.pos) === SEMI) {
        const n = this.code(this.pos + 1);
        terminator = n === AMP ? ';&' : this.code(this.pos + 2) === AMP ? ';;&' : ';;';
        this.pos += terminator.length;
      } else if (this.peekReserved() !== 'esac') {
        if (this.pos >= this.len) this.fail("expected 'esac'", start);
        this.unexpected();
      }
      items.push({ patterns, body, terminator });
    }
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return {
      type: 'CaseClause',
      start: this.base + start,
      end: this.endOf(redirects),
      word,
      items,
      redirects,
    };
  }

  protected parseFunctionKeyword(): FunctionDef {
    const start = this.pos;
    this.pos += 8;
    this.skipBlanks();
    const name = this.readWord(false);
    if (name === null) return this.fail("expected a function name after 'function'");
    this.skipBlanks();
    if (this.code(this.pos) === LPAREN) return this.parseFunctionRest(start, name);
    return this.parseFunctionBody(start, name);
  }

  /** After `name`, at `(`: the `)` and the body. */
  protected parseFunctionRest(start: number, name: Word): FunctionDef {
    this.pos++;
    this.skipBlanks();
    if (this.code(this.pos) !== RPAREN) this.fail("expected ')' in function definition");
    this.pos++;
    return this.parseFunctionBody(start, name);
  }

  protected parseFunctionBody(start: number, nameWord: Word): FunctionDef {
    const name = staticText(nameWord);
    if (name === null || nameWord.parts.length !== 1)
      this.fail('invalid function name', nameWord.start - this.base);
    this.skipSpaceAndNewlines();
    this.enter();
    const body = this.parseCommand();
    this.nesting--;
    return { type: 'FunctionDef', start: this.base + start, end: body.end, name, body, redirects: [] };
  }

  protected parseTest(): TestClause {
    const start = this.pos;
    this.pos += 2;
    const words: Word[] = [];
    let regex = false;
    let state = TestState.Start;
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.pos >= this.len) this.fail("expected ']]' to close '[['", start);
      if (this.peekReserved() === ']]' && words.length > 0) {
        this.pos += 2;
        break;
      }
      const c = this.code(this.pos);
      const n = this.code(this.pos + 1);
      let word: Word | null;
      if (regex) word = this.readRegexWord();
      else if ((c === AMP || c === PIPE) && n === c) word = this.literalWord(2);
      else if (c === LPAREN || c === RPAREN || ((c === LT || c === GT) && n !== LPAREN))
        word = this.literalWord(1);
      else word = this.readWord(false);
      if (word === null) this.unexpected();
      // Track where we are in `[[ ]]`'s grammar, to know when a word is the right operand of `=~`.
      const t = word.parts.length === 1 ? staticText(word) : null;
      regex = false;
      if (state === TestState.Start) {
        if (t !== '(' && t !== '!')
          state = t !== null && TEST_UNARY.has(t) ? TestState.UnaryArg : TestState.Left;
      } else if (state === TestState.Left && t !== null && TEST_BINARY.has(t)) {
        state = TestState.RightArg;
        regex = t === '=~';
      } else if (state === TestState.UnaryArg || state === TestState.RightArg) state = TestState.Done;
      else state = t === '&&' || t === '||' ? TestState.Start : TestState.Done;
      words.push(word);
    }
    checkTest(words, (message, at) => this.fail(message, at - this.base));
    const redirects = this.parseTrailingRedirects();
    return { type: 'TestClause', start: this.base + start, end: this.endOf(redirects), words, redirects };
  }

  /** The operand of `=~`: `(`, `)`, `|`, `<`, `>` are literal; blanks end it outside parentheses. */
  protected readRegexWord(): Word | null {
    const start = this.pos;
    const parts: WordPart[] = [];
    let depth = 0;
    while (this.pos < this.len) {
      const c = this.code(this.pos);
      if (c === SPACE || c === TAB || c === NL) {
        if (depth === 0) break;
        parts.push({ type: 'Literal', value: this.src.charAt(this.pos++), glob: false });
        continue;
      }
      if (c === LPAREN || c === RPAREN || c === PIPE || c === LT || c === GT || c === SEMI || c === AMP) {
        if (c === LPAREN) depth++;
        else if (c === RPAREN && --depth < 0) break;
        parts.push({ type: 'Literal', value: this.src.charAt(this.pos++), glob: false });
        continue;
      }
      this.readUnquoted(parts, false, false);
    }
    if (this.pos === start) return null;
    return { type: 'Word', start: this.base + start, end: this.base + this.pos, parts: mergeLiterals(parts) };
  }

  // ---------------------------------------------------------------- helpers

  /** A statement list that must not be empty (`then`, `do`, … bodies). */
  protected parseBody(keyword: string): Script {
    const body = this.parseScript();
    if (body.statements.length === 0) this.fail(`'${keyword}' must be followed by a command`);
    return body;
  }

  protected expectReserved(word: string, message: string, start: number): void {
    if (this.peekReserved() === word) {
      this.pos += word.length;
      return;
    }
    if (this.pos >= this.len) this.fail(message, start);
    this.fail(message);
  }

  protected endOf(redirects: Redirect[]): number {
    const last = redirects[redirects.length - 1];
    return last === undefined ? this.base + this.pos : last.end;
  }
}

/** True when a C-style `for` header has exactly two top-level `;` (bash requires `init; cond; step`). */
function threeClauses(raw: string): boolean {
  let depth = 0;
  let semis = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === LPAREN) depth++;
    else if (c === RPAREN) depth--;
    else if (c === SEMI && depth === 0) semis++;
  }
  return semis === 2;
}
