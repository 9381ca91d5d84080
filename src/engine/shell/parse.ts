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
  Assignment,
  Command,
  ParseResult,
  Pipeline,
  Redirect,
  RedirectOp,
  Script,
  Statement,
  Word,
  WordPart,
} from './ast';
import {
  AMP,
  BACKSLASH,
  DIGIT,
  DQUOTE,
  endsWord,
  GT,
  hasClass,
  LBRACE,
  LBRACKET,
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
  SQUOTE,
  TAB,
} from './chars';
import { CompoundParser } from './compound';
import { ParseFailure } from './lexer';
import { staticText } from './words';

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

/** Reserved words that end a statement list (the caller decides whether it expected it). */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);

/** Builtins whose `name=(…)` arguments are array assignments (bash parses them like assignments). */
const DECLARATION_BUILTINS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

type PendingHeredoc = { redirect: Redirect; delimiter: string; stripTabs: boolean; quoted: boolean };

class Parser extends CompoundParser {
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

  protected parseScript(): Script {
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
  protected atListEnd(): boolean {
    const c = this.code(this.pos);
    if (c === NL || c === RPAREN) return true;
    if (c === SEMI) return true; // `;;`, `;&`, `;;&` (a lone `;` was consumed as a separator)
    const word = this.peekReserved();
    return word !== null && CLOSERS.has(word);
  }

  protected parseStatement(): Statement {
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
    let end = (rest[rest.length - 1]?.pipeline ?? first).end - this.base;
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

  protected parsePipeline(): Pipeline {
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
  protected parseTimeWords(): Word[] {
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
  protected parseTimedCommand(words: Word[]): Command {
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

  // ---------------------------------------------------------------- commands

  protected parseCommand(): Command {
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

  protected parseSimple(): Command {
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
  protected parseAssignment(): Assignment | null {
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
  protected parseArrayElements(): Word[] {
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
  protected parseDeclarationArray(): Word | null {
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
  protected atRedirect(): boolean {
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

  protected parseRedirect(): Redirect {
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
  protected readHeredocs(): void {
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

  protected failHeredoc(h: PendingHeredoc): never {
    return this.fail(`unterminated here-document '${h.delimiter}'`, h.redirect.start - this.base);
  }

  /** Redirections after a compound command. */
  protected parseTrailingRedirects(): Redirect[] {
    const redirects: Redirect[] = [];
    for (;;) {
      const before = this.pos; // left before trailing blanks, so the command's span ends at its last token
      this.skipBlanks();
      if (!this.atRedirect()) {
        this.pos = before;
        return redirects;
      }
      redirects.push(this.parseRedirect());
    }
  }

  protected onNewline(): void {
    if (this.heredocs.length > 0) this.readHeredocs();
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
