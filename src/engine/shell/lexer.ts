/**
 * The lowest layer of the shell parser: position, failure signal, blanks/comments, reserved words.
 */
import type { Word } from './ast';
import { BACKSLASH, endsWord, GT, HASH, LBRACE, LPAREN, LT, NL, RBRACE, SPACE, TAB } from './chars';

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

/** Words reserved in command position, by first letter (looked up without allocating a string). */
const RESERVED_WORDS = 'if then elif else fi do done case esac while until for select function time in'.split(
  ' ',
);
const RESERVED_BY_LETTER: readonly (readonly string[])[] = Array.from({ length: 26 }, (_, k) =>
  RESERVED_WORDS.filter((w) => w.charCodeAt(0) === 97 + k),
);

/**
 * The cursor over the source and the lexical helpers every layer of the parser shares: blanks and comments,
 * reserved words, failure reporting. Layers: Lexer → ExpansionScanner (expansions.ts) → WordScanner (words.ts)
 * → CompoundParser (compound.ts) → Parser (parse.ts).
 */
export abstract class Lexer {
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

  /** Called just after a newline token was consumed (here-document bodies start there). */
  protected abstract onNewline(): void;

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

  /** A one-part literal word of `length` characters at `pos` (operators inside `[[ ]]`, `time`). */
  protected literalWord(length: number): Word {
    const start = this.pos;
    this.pos += length;
    return {
      type: 'Word',
      start: this.base + start,
      end: this.base + this.pos,
      parts: [{ type: 'Literal', value: this.src.slice(start, this.pos), glob: false }],
    };
  }

  /**
   * The reserved word at `pos` if a whole one is there (letters, or `{ } [[ ]] !`, followed by a character that
   * ends a word); null otherwise. Says nothing about whether it is in command position.
   */
  protected peekReserved(): string | null {
    const src = this.src;
    const start = this.pos;
    let i = start;
    let c = src.charCodeAt(i);
    let word: string | null = null;
    if (c >= 97 && c <= 122) {
      while ((c = src.charCodeAt(++i)) >= 97 && c <= 122);
      const length = i - start;
      for (const w of RESERVED_BY_LETTER[src.charCodeAt(start) - 97] ?? []) {
        if (w.length === length && src.startsWith(w, start)) word = w;
      }
    } else if (c === LBRACE || c === RBRACE || c === 33) {
      i++;
      word = c === LBRACE ? '{' : c === RBRACE ? '}' : '!';
    } else if ((c === 91 || c === 93) && src.charCodeAt(i + 1) === c) {
      i += 2;
      word = c === 91 ? '[[' : ']]';
    }
    if (word === null) return null;
    const n = src.charCodeAt(i);
    if (!endsWord(n)) return null;
    if ((n === LT || n === GT) && src.charCodeAt(i + 1) === LPAREN) return null; // `{>(…)`: a word, as in bash
    return word;
  }

  /** Blanks, line continuations and comments (up to, not including, the newline). */
  protected skipBlanks(): void {
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
  protected skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.code(this.pos) !== NL) return;
      this.pos++;
      this.onNewline();
    }
  }

  /** Fails with "unexpected …" naming the token at `pos`. */
  protected unexpected(): never {
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
