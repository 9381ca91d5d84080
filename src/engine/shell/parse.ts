/**
 * A purpose-built parser for the bash subset the command guard analyses (see ast.ts and
 * docs/decisions/0003-shell-parser.md). It is scannerless: the grammar below reads the source directly with
 * `charCodeAt`, and words.ts reads words, quotes and expansions.
 *
 * Deliberate simplifications (all documented in the decision record):
 * - `time [-p]` is not a node: before a simple command its words are prepended to that command
 *   (`time -p make` is the simple command `time -p make`, which the engine unwraps like `sudo`); before a
 *   compound command (`time { …; }`) it is dropped. `coproc` and declaration builtins are simple commands.
 * - Reserved words are recognised only in command position; `{`/`}` only as whole words there.
 * - `!(…)` in command position is a negated subshell (as in bash), not an extended glob.
 * - Spans inside backquote substitutions and `<<-` here-documents are approximate (offset of the unescaped text).
 */
import type {
  ArithCommand,
  Assignment,
  CaseClause,
  Command,
  ForClause,
  FunctionDef,
  IfClause,
  ParseResult,
  Pipeline,
  Redirect,
  RedirectOp,
  Script,
  Statement,
  TestClause,
  WhileClause,
  Word,
  WordPart,
} from './ast';
import {
  AMP,
  BACKSLASH,
  LBRACKET,
  DIGIT,
  DQUOTE,
  GT,
  HASH,
  LBRACE,
  LPAREN,
  LT,
  MINUS,
  NAME_CHAR,
  NAME_START,
  NL,
  PIPE,
  RBRACE,
  RPAREN,
  SEMI,
  SPACE,
  SQUOTE,
  TAB,
  endsWord,
  hasClass,
} from './chars';
import { ParseFailure, WordScanner } from './words';

/** Parses `source`. Never throws: syntax errors (and inputs nested absurdly deep) give `ok: false`. */
export function parseShell(source: string): ParseResult {
  try {
    return { ok: true, script: new Parser(source, 0, 0).parseProgram() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: { message: e.message, offset: e.offset } };
    if (e instanceof RangeError)
      return { ok: false, error: { message: 'input is nested too deeply', offset: 0 } };
    return { ok: false, error: { message: 'internal parser error', offset: 0 } };
  }
}

const RESERVED = new Set([
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  'select',
  'function',
  'time',
  'in',
  '{',
  '}',
  '[[',
  ']]',
  '!',
]);

/** Reserved words that end a statement list (the caller decides whether it expected it). */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);

/** Builtins whose `name=(…)` arguments are array assignments (bash parses them like assignments). */
const DECLARATION_BUILTINS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

type PendingHeredoc = { redirect: Redirect; delimiter: string; stripTabs: boolean; quoted: boolean };

class Parser extends WordScanner {
  private heredocs: PendingHeredoc[] = [];
  /** Whether the last `parseStatement` consumed a `;` or `&`. */
  private separated = false;

  parseProgram(): Script {
    const script = this.parseScript();
    if (this.pos < this.len) this.unexpected();
    if (this.heredocs[0] !== undefined) this.failHeredoc(this.heredocs[0]);
    return script;
  }

  protected parseParenScript(what: string, start: number): Script {
    this.enter();
    // Here-documents pending outside `$( … )` are read after the line that contains it, not at a newline inside.
    const outer = this.heredocs.length > 0 ? this.heredocs : null;
    if (outer !== null) this.heredocs = [];
    const script = this.parseScript();
    if (outer !== null) this.heredocs = [...outer, ...this.heredocs];
    if (this.code(this.pos) !== RPAREN) {
      if (this.pos >= this.len) this.fail(`unterminated ${what}`, start);
      this.unexpected();
    }
    this.pos++;
    this.nesting--;
    return script;
  }

  protected parseText(text: string, base: number): Script {
    return new Parser(text, base, this.nesting).parseProgram();
  }

  // ---------------------------------------------------------------- lists

  private parseScript(): Script {
    const start = this.pos;
    const statements: Statement[] = [];
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.pos >= this.len) break;
      const c = this.code(this.pos);
      if (c === RPAREN) break;
      if (c === SEMI) {
        const n = this.code(this.pos + 1);
        if (n === SEMI || n === AMP) break; // case item terminator
        this.unexpected();
      }
      if ((c === AMP && this.code(this.pos + 1) !== GT) || c === PIPE) this.unexpected();
      const word = this.peekReserved();
      if (word !== null && CLOSERS.has(word)) break;
      statements.push(this.parseStatement());
      if (!this.separated) {
        this.skipBlanks();
        if (this.pos < this.len && !this.atListEnd()) this.unexpected();
      }
    }
    return { type: 'Script', start: this.base + start, end: this.base + this.pos, statements };
  }

  /** After a statement without `;`/`&`: only a newline, `)`, `;;`-style terminators or a closer may follow. */
  private atListEnd(): boolean {
    const c = this.code(this.pos);
    if (c === NL || c === RPAREN) return true;
    if (c === SEMI) return true; // `;;`, `;&`, `;;&` (a lone `;` was consumed as a separator)
    const word = this.peekReserved();
    return word !== null && CLOSERS.has(word);
  }

  private parseStatement(): Statement {
    const start = this.pos;
    const first = this.parsePipeline();
    const rest: Statement['rest'] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.code(this.pos);
      if ((c === AMP || c === PIPE) && this.code(this.pos + 1) === c) {
        this.pos += 2;
        this.skipSpaceAndNewlines();
        rest.push({ op: c === AMP ? '&&' : '||', pipeline: this.parsePipeline() });
      } else break;
    }
    let end = this.pos;
    let background = false;
    this.separated = false;
    const c = this.code(this.pos);
    const n = this.code(this.pos + 1);
    if (c === AMP && n !== GT) {
      background = true;
      this.separated = true;
      end = ++this.pos;
    } else if (c === SEMI && n !== SEMI && n !== AMP) {
      this.separated = true;
      this.pos++;
    }
    return { type: 'Statement', start: this.base + start, end: this.base + end, first, rest, background };
  }

  private parsePipeline(): Pipeline {
    this.skipBlanks();
    const start = this.pos;
    let negated = false;
    let timeWords: Word[] | null = null;
    for (;;) {
      const word = this.peekReserved();
      if (word === '!') {
        // bash accepts `! ! cmd` and `time ! cmd`; like mvdan-sh we reject them.
        if (negated || timeWords !== null) this.fail("unexpected '!'");
        negated = true;
        this.pos++;
      } else if (word === 'time' && timeWords === null) {
        timeWords = this.parseTimeWords();
      } else break;
      this.skipBlanks();
    }
    const commands: Command[] = [
      timeWords === null ? this.parseCommand() : this.parseTimedCommand(timeWords),
    ];
    const pipeStderr: boolean[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.code(this.pos) !== PIPE || this.code(this.pos + 1) === PIPE) break;
      const stderr = this.code(this.pos + 1) === AMP;
      this.pos += stderr ? 2 : 1;
      pipeStderr.push(stderr);
      this.skipSpaceAndNewlines();
      commands.push(this.parseCommand());
    }
    const last = commands[commands.length - 1];
    return {
      type: 'Pipeline',
      start: this.base + start,
      end: last === undefined ? this.base + this.pos : last.end,
      negated,
      commands,
      pipeStderr,
    };
  }

  /** `time` and an optional `-p` at `pos`. */
  private parseTimeWords(): Word[] {
    const words: Word[] = [this.literalWord(4)];
    this.skipBlanks();
    if (
      this.code(this.pos) === MINUS &&
      this.code(this.pos + 1) === 112 &&
      endsWord(this.code(this.pos + 2))
    ) {
      words.push(this.literalWord(2));
    }
    return words;
  }

  /** The command after `time [-p]` (see the file comment). */
  private parseTimedCommand(words: Word[]): Command {
    const c = this.code(this.pos);
    if (
      this.pos >= this.len ||
      c === NL ||
      c === SEMI ||
      c === PIPE ||
      c === RPAREN ||
      (c === AMP && this.code(this.pos + 1) !== GT)
    ) {
      const first = words[0] as Word;
      return {
        type: 'SimpleCommand',
        start: first.start,
        end: this.base + this.pos,
        assignments: [],
        words,
        redirects: [],
      };
    }
    const command = this.parseCommand();
    if (command.type === 'SimpleCommand') {
      command.words.unshift(...words);
      command.start = (words[0] as Word).start;
    }
    return command;
  }

  private literalWord(length: number): Word {
    const start = this.pos;
    this.pos += length;
    return {
      type: 'Word',
      start: this.base + start,
      end: this.base + this.pos,
      parts: [{ type: 'Literal', value: this.src.slice(start, this.pos), glob: false }],
    };
  }

  // ---------------------------------------------------------------- commands

  private parseCommand(): Command {
    this.skipBlanks();
    if (this.pos >= this.len) this.fail('expected a command');
    const c = this.code(this.pos);
    if (c === LPAREN)
      return this.code(this.pos + 1) === LPAREN ? this.parseArithCommand() : this.parseSubshell();
    if (
      c === NL ||
      c === SEMI ||
      c === PIPE ||
      c === RPAREN ||
      (c === AMP && this.code(this.pos + 1) !== GT)
    ) {
      this.unexpected();
    }
    switch (this.peekReserved()) {
      case 'time': // after `|` too, like mvdan-sh (bash would run the `time` program there)
        return this.parseTimedCommand(this.parseTimeWords());
      case '{':
        return this.parseBraceGroup();
      case 'if':
        return this.parseIf();
      case 'while':
        return this.parseWhile(false);
      case 'until':
        return this.parseWhile(true);
      case 'for':
        return this.parseFor('for');
      case 'select':
        return this.parseFor('select');
      case 'case':
        return this.parseCase();
      case 'function':
        return this.parseFunctionKeyword();
      case '[[':
        return this.parseTest();
      case 'then':
      case 'elif':
      case 'else':
      case 'fi':
      case 'do':
      case 'done':
      case 'esac':
      case '}':
      case ']]':
      case '!':
        return this.unexpected();
      default:
        return this.parseSimple();
    }
  }

  private parseSimple(): Command {
    const start = this.pos;
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    let end = start;
    let declaration = false;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.len) break;
      const c = this.code(this.pos);
      if (this.atRedirect()) {
        redirects.push(this.parseRedirect());
        end = this.pos;
        continue;
      }
      if (c === LPAREN) {
        if (words.length === 1 && assignments.length === 0 && redirects.length === 0) {
          return this.parseFunctionRest(start, words[0] as Word);
        }
        this.unexpected();
      }
      if (endsWord(c) && c !== LT && c !== GT) break;
      if (words.length === 0) {
        const assignment = this.parseAssignment();
        if (assignment !== null) {
          assignments.push(assignment);
          end = this.pos;
          continue;
        }
      } else if (declaration) {
        const word = this.parseDeclarationArray();
        if (word !== null) {
          words.push(word);
          end = this.pos;
          continue;
        }
      }
      const word = this.readWord(true);
      if (word === null) this.unexpected();
      if (words.length === 0) declaration = DECLARATION_BUILTINS.has(staticText(word) ?? '');
      words.push(word);
      end = this.pos;
    }
    if (words.length > 0 && assignments.some((a) => a.array !== null || a.subscript !== null)) {
      // bash accepts `a=(1 2) cmd` and `a[i]=x cmd`; like mvdan-sh we reject them.
      this.fail('an array assignment cannot prefix a command', start);
    }
    if (words.length === 1 && assignments.length === 0 && staticText(words[0] as Word) === 'coproc') {
      this.fail("expected a command after 'coproc'");
    }
    return {
      type: 'SimpleCommand',
      start: this.base + start,
      end: this.base + end,
      assignments,
      words,
      redirects,
    };
  }

  /** `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(…)` at `pos`; null if there is none. */
  private parseAssignment(): Assignment | null {
    const prefix = this.assignmentPrefix();
    if (prefix === null) return null;
    const start = this.pos;
    const name = this.src.slice(start, prefix.nameEnd);
    let subscript = null;
    if (prefix.subscriptEnd >= 0) {
      this.pos = prefix.nameEnd + 1;
      subscript = this.readArith(false);
    }
    this.pos = start + prefix.length;
    const append = this.code(this.pos - 2) === 43; // `+=`
    let value: Word | null = null;
    let array: Word[] | null = null;
    if (this.code(this.pos) === LPAREN) array = this.parseArrayElements();
    else
      value = this.readWord(false) ?? {
        type: 'Word',
        start: this.base + this.pos,
        end: this.base + this.pos,
        parts: [],
      };
    return {
      type: 'Assignment',
      start: this.base + start,
      end: this.base + this.pos,
      name,
      append,
      value,
      array,
      subscript,
    };
  }

  /** The elements of `( … )` at `pos` (on the `(`), through the closing `)`. */
  private parseArrayElements(): Word[] {
    const open = this.pos++;
    const items: Word[] = [];
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.pos >= this.len) this.fail("expected ')' to close the array", open);
      if (this.code(this.pos) === RPAREN) {
        this.pos++;
        return items;
      }
      if (this.code(this.pos) === LBRACKET && this.src.indexOf(']', this.pos) < 0) {
        this.fail("expected ']' to close the array subscript"); // `a=([)`, as bash
      }
      const word = this.readWord(true);
      if (word === null) this.unexpected();
      items.push(word);
    }
  }

  /**
   * `name=(a b)` as an argument of a declaration builtin (`declare -a x=(1 2)`): one word whose parts are
   * `name=(`, each element's parts separated by a space literal, and `)`.
   */
  private parseDeclarationArray(): Word | null {
    if (!/^[A-Za-z_]\w*\+?=\(/.test(this.src.slice(this.pos, this.pos + 100))) return null;
    const prefix = this.assignmentPrefix();
    if (prefix === null || this.code(this.pos + prefix.length) !== LPAREN) return null;
    const start = this.pos;
    this.pos += prefix.length;
    const items = this.parseArrayElements();
    const parts: WordPart[] = [
      { type: 'Literal', value: this.src.slice(start, start + prefix.length + 1), glob: false },
    ];
    items.forEach((item, i) => {
      if (i > 0) parts.push({ type: 'Literal', value: ' ', glob: false });
      parts.push(...item.parts);
    });
    parts.push({ type: 'Literal', value: ')', glob: false });
    return { type: 'Word', start: this.base + start, end: this.base + this.pos, parts };
  }

  // ---------------------------------------------------------------- redirections

  /** True at `<`, `>` (not `<(`/`>(`), `&>`, `N>` or `{var}>`. */
  private atRedirect(): boolean {
    const src = this.src;
    let i = this.pos;
    let c = src.charCodeAt(i);
    if (c === AMP) return src.charCodeAt(i + 1) === GT;
    if (hasClass(c, DIGIT)) {
      while (hasClass((c = src.charCodeAt(++i)), DIGIT));
    } else if (c === LBRACE && hasClass(src.charCodeAt(i + 1), NAME_START)) {
      i++;
      while (hasClass((c = src.charCodeAt(++i)), NAME_CHAR));
      if (c !== RBRACE) return false;
      c = src.charCodeAt(++i);
    }
    return (c === LT || c === GT) && src.charCodeAt(i + 1) !== LPAREN;
  }

  private parseRedirect(): Redirect {
    const src = this.src;
    const start = this.pos;
    let i = start;
    while (i < this.len && src.charCodeAt(i) !== LT && src.charCodeAt(i) !== GT && src.charCodeAt(i) !== AMP)
      i++;
    const fd = i > start ? src.slice(start, i) : null;
    let op: RedirectOp;
    const c = src.charCodeAt(i);
    const n = src.charCodeAt(i + 1);
    if (c === AMP) op = src.charCodeAt(i + 2) === GT ? '&>>' : '&>';
    else if (c === LT) {
      if (n === LT)
        op = src.charCodeAt(i + 2) === LT ? '<<<' : src.charCodeAt(i + 2) === MINUS ? '<<-' : '<<';
      else op = n === AMP ? '<&' : n === GT ? '<>' : '<';
    } else op = n === GT ? '>>' : n === AMP ? '>&' : n === PIPE ? '>|' : '>';
    this.pos = i + op.length;
    this.skipBlanks();
    if (this.atRedirect()) this.fail(`expected a word after '${op}'`); // `>2>x`: `2>` is a redirection, as in bash
    const target = this.readWord(false);
    if (target === null) return this.fail(`expected a word after '${op}'`);
    const redirect: Redirect = {
      type: 'Redirect',
      start: this.base + start,
      end: this.base + this.pos,
      op,
      fd,
      target,
      heredoc: null,
    };
    if (op === '<<' || op === '<<-') {
      const raw = src.slice(target.start - this.base, target.end - this.base);
      const delimiter = delimiterText(raw);
      const quoted = delimiter !== raw;
      this.heredocs.push({ redirect, delimiter, stripTabs: op === '<<-', quoted });
    }
    return redirect;
  }

  /** Reads the bodies of pending here-documents; `pos` is just after a newline. */
  private readHeredocs(): void {
    const src = this.src;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      const bodyStart = this.pos;
      let body = '';
      let found = false;
      while (this.pos < this.len) {
        const lineStart = this.pos;
        let lineEnd = src.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = this.len;
        let textStart = lineStart;
        if (h.stripTabs) while (textStart < lineEnd && src.charCodeAt(textStart) === TAB) textStart++;
        this.pos = Math.min(lineEnd + 1, this.len);
        if (lineEnd - textStart === h.delimiter.length && src.startsWith(h.delimiter, textStart)) {
          found = true;
          break;
        }
        body += src.slice(textStart, this.pos);
      }
      if (!found) this.failHeredoc(h);
      const parts: WordPart[] = h.quoted
        ? [{ type: 'Literal', value: body, glob: false }]
        : new Parser(body, this.base + bodyStart, this.nesting).readHeredocParts();
      h.redirect.heredoc = {
        type: 'Word',
        start: this.base + bodyStart,
        end: this.base + bodyStart + body.length,
        parts,
      };
    }
  }

  private failHeredoc(h: PendingHeredoc): never {
    return this.fail(`unterminated here-document '${h.delimiter}'`, h.redirect.start - this.base);
  }

  /** Redirections after a compound command. */
  private parseTrailingRedirects(): Redirect[] {
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      if (!this.atRedirect()) return redirects;
      redirects.push(this.parseRedirect());
    }
  }

  // ---------------------------------------------------------------- compound commands

  private parseSubshell(): Command {
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
  private parseArithCommand(): ArithCommand {
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

  private parseBraceGroup(): Command {
    const start = this.pos++;
    this.enter();
    const body = this.parseScript();
    this.expectReserved('}', "expected '}' to close '{'", start);
    this.nesting--;
    const redirects = this.parseTrailingRedirects();
    return { type: 'BraceGroup', start: this.base + start, end: this.endOf(redirects), body, redirects };
  }

  private parseIf(): IfClause {
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

  private parseWhile(until: boolean): WhileClause {
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

  private parseFor(keyword: 'for' | 'select'): ForClause {
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
  private parseDoGroup(start: number, braceAllowed: boolean): Script {
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

  private parseCase(): CaseClause {
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

  private parseFunctionKeyword(): FunctionDef {
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
  private parseFunctionRest(start: number, name: Word): FunctionDef {
    this.pos++;
    this.skipBlanks();
    if (this.code(this.pos) !== RPAREN) this.fail("expected ')' in function definition");
    this.pos++;
    return this.parseFunctionBody(start, name);
  }

  private parseFunctionBody(start: number, nameWord: Word): FunctionDef {
    const name = staticText(nameWord);
    if (name === null || nameWord.parts.length !== 1)
      this.fail('invalid function name', nameWord.start - this.base);
    this.skipSpaceAndNewlines();
    this.enter();
    const body = this.parseCommand();
    this.nesting--;
    return { type: 'FunctionDef', start: this.base + start, end: body.end, name, body, redirects: [] };
  }

  private parseTest(): TestClause {
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
  private readRegexWord(): Word | null {
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
  private parseBody(keyword: string): Script {
    const body = this.parseScript();
    if (body.statements.length === 0) {
      if (this.pos >= this.len) this.fail(`'${keyword}' must be followed by a command`);
      this.unexpected();
    }
    return body;
  }

  private expectReserved(word: string, message: string, start: number): void {
    if (this.peekReserved() === word) {
      this.pos += word.length;
      return;
    }
    if (this.pos >= this.len) this.fail(message, start);
    this.fail(message);
  }

  private endOf(redirects: Redirect[]): number {
    const last = redirects[redirects.length - 1];
    return last === undefined ? this.base + this.pos : last.end;
  }

  /**
   * The reserved word at `pos` if a whole one is there (letters, or `{ } [[ ]] !`, followed by a character that
   * ends a word); null otherwise. Says nothing about whether it is in command position.
   */
  private peekReserved(): string | null {
    const src = this.src;
    const start = this.pos;
    let i = start;
    let c = src.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      while ((c = src.charCodeAt(++i)) >= 97 && c <= 122);
    } else if (c === LBRACE || c === RBRACE || c === 33) i++;
    else if ((c === 91 || c === 93) && src.charCodeAt(i + 1) === c) i += 2;
    else return null;
    const n = src.charCodeAt(i);
    if (!endsWord(n)) return null;
    if ((n === LT || n === GT) && src.charCodeAt(i + 1) === LPAREN) return null; // `{>(…)`: a word, as in bash
    const word = src.slice(start, i);
    return RESERVED.has(word) ? word : null;
  }

  /** Blanks, line continuations and comments (up to, not including, the newline). */
  private skipBlanks(): void {
    const src = this.src;
    let pos = this.pos;
    for (;;) {
      const c = src.charCodeAt(pos);
      if (c === SPACE || c === TAB) pos++;
      else if (c === BACKSLASH && src.charCodeAt(pos + 1) === NL) pos += 2;
      else if (c === HASH) {
        const nl = src.indexOf('\n', pos);
        pos = nl < 0 ? this.len : nl;
      } else break;
    }
    this.pos = pos;
  }

  /** Blanks, comments and newlines; reads pending here-document bodies at each newline. */
  private skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.code(this.pos) !== NL) return;
      this.pos++;
      if (this.heredocs.length > 0) this.readHeredocs();
    }
  }

  /** Fails with "unexpected …" naming the token at `pos`. */
  private unexpected(): never {
    const src = this.src;
    const pos = this.pos;
    if (pos >= this.len) return this.fail('unexpected end of input');
    for (const op of [';;&', ';;', ';&', '&&', '||', '|&', '&>>', '&>', '>>', '<<', '>&', '<&']) {
      if (src.startsWith(op, pos)) return this.fail(`unexpected '${op}'`);
    }
    const c = src.charCodeAt(pos);
    if (c === NL) return this.fail('unexpected newline');
    if (endsWord(c)) return this.fail(`unexpected '${src.charAt(pos)}'`);
    const word = this.peekReserved();
    if (word !== null) return this.fail(`unexpected '${word}'`);
    let end = pos;
    while (end < this.len && end - pos < 20 && !endsWord(src.charCodeAt(end))) end++;
    return this.fail(`unexpected '${src.slice(pos, end)}'`);
  }
}

/**
 * The here-document delimiter named by the raw word: quote removal without expansion (bash does not expand it;
 * `$x` stays `$x`). Any quoting makes the body literal, which the caller detects as `result !== raw`.
 */
function delimiterText(raw: string): string {
  let out = '';
  let quote = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (quote === SQUOTE) {
      if (c === SQUOTE) quote = 0;
      else out += raw.charAt(i);
    } else if (c === BACKSLASH && i + 1 < raw.length) {
      const n = raw.charCodeAt(i + 1);
      if (quote === 0 || n === DQUOTE || n === BACKSLASH || n === 36 || n === 96) i++;
      out += raw.charAt(i);
    } else if (c === quote) quote = 0;
    else if (quote === 0 && (c === SQUOTE || c === DQUOTE)) quote = c;
    else if (
      quote === 0 &&
      c === 36 &&
      (raw.charCodeAt(i + 1) === SQUOTE || raw.charCodeAt(i + 1) === DQUOTE)
    )
      continue;
    else out += raw.charAt(i);
  }
  return out;
}

/** The text of a word made only of unquoted literal parts; null when it has quotes or expansions. */
function staticText(word: Word): string | null {
  let text = '';
  for (const part of word.parts) {
    if (part.type !== 'Literal') return null;
    text += part.value;
  }
  return text;
}

function mergeLiterals(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.type === 'Literal' && last !== undefined && last.type === 'Literal') {
      out[out.length - 1] = { type: 'Literal', value: last.value + part.value, glob: last.glob || part.glob };
    } else out.push(part);
  }
  return out;
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

const TEST_UNARY = new Set(
  '-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S -z -n -o -v -R'.split(' '),
);
/** Position in a `[[ ]]` expression: before a primary, after a unary operator, after a left operand, … */
const enum TestState {
  Start,
  UnaryArg,
  Left,
  RightArg,
  Done,
}
/** Words that can only be operators (unquoted): never an operand. */
const TEST_OPERATORS = new Set(['&&', '||', '(', ')', '<', '>']);
const TEST_BINARY = new Set('== = != =~ < > -eq -ne -lt -le -gt -ge -nt -ot -ef'.split(' '));

/**
 * Checks the structure of a `[[ … ]]` expression over its words (operators are unquoted literal words):
 * `||` of `&&` of `!`-prefixed primaries; a primary is `( expr )`, `unary-op word`, `word binary-op word` or a
 * single word.
 */
function checkTest(words: Word[], fail: (message: string, at: number) => never): void {
  const ops = words.map((w) => (w.parts.length === 1 ? staticText(w) : null));
  let i = 0;
  const at = (): number => words[Math.min(i, words.length - 1)]?.end ?? 0;
  const expectOperand = (after: string): void => {
    const op = ops[i];
    if (i >= words.length || (op !== null && op !== undefined && TEST_OPERATORS.has(op)))
      fail(`expected an operand after '${after}' in '[[ ]]'`, at());
    i++;
  };
  const primary = (): void => {
    const w = ops[i];
    if (i >= words.length) fail("expected an expression in '[[ ]]'", at());
    if (w === '!') {
      i++;
      primary();
      return;
    }
    if (w === '(') {
      i++;
      or();
      if (ops[i] !== ')') fail("expected ')' in '[[ ]]'", at());
      i++;
      return;
    }
    if (w !== null && w !== undefined && TEST_OPERATORS.has(w))
      fail(`unexpected '${w}' in '[[ ]]'`, words[i]?.start ?? 0);
    if (w !== null && w !== undefined && TEST_UNARY.has(w)) {
      i++;
      expectOperand(w);
      return;
    }
    i++;
    const op = ops[i];
    if (op !== null && op !== undefined && TEST_BINARY.has(op)) {
      i++;
      expectOperand(op);
    }
  };
  const and = (): void => {
    primary();
    while (ops[i] === '&&') {
      i++;
      primary();
    }
  };
  const or = (): void => {
    and();
    while (ops[i] === '||') {
      i++;
      and();
    }
  };
  or();
  if (i < words.length) fail(`unexpected '${ops[i] ?? 'word'}' in '[[ ]]'`, words[i]?.start ?? 0);
}
