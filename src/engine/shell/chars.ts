/**
 * Character codes and a class table for the shell scanner. Everything is compared by `charCodeAt`,
 * never by regular expressions, to keep the parser fast.
 */

export const TAB = 9;
export const NL = 10;
export const SPACE = 32;
export const BANG = 33;
export const DQUOTE = 34;
export const HASH = 35;
export const DOLLAR = 36;
export const PERCENT = 37;
export const AMP = 38;
export const SQUOTE = 39;
export const LPAREN = 40;
export const RPAREN = 41;
export const STAR = 42;
export const PLUS = 43;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const SLASH = 47;
export const DIGIT0 = 48;
export const DIGIT9 = 57;
export const COLON = 58;
export const SEMI = 59;
export const LT = 60;
export const EQ = 61;
export const GT = 62;
export const QUESTION = 63;
export const AT = 64;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
export const CARET = 94;
export const BACKTICK = 96;
export const LBRACE = 123;
export const PIPE = 124;
export const RBRACE = 125;

/** Ends an unquoted word: blanks, newline and `; & | < > ( )`. */
export const META = 1;
/** Needs attention inside an unquoted word (quotes, `$`, escapes, glob and brace characters). */
export const WORD_SPECIAL = 2;
/** May start a variable name: `[A-Za-z_]`. */
export const NAME_START = 4;
/** May continue a variable name: `[A-Za-z0-9_]`. */
export const NAME_CHAR = 8;
/** `[0-9]`. */
export const DIGIT = 16;
/** One-character special parameters: `@ * # ? $ ! -` (digits are handled separately). */
export const SPECIAL_PARAM = 32;

/** Class bits for ASCII; code units >= 128 have no class (plain word characters). */
export const CLASS: Uint8Array = (() => {
  const bits = new Array<number>(128).fill(0);
  const add = (chars: string, mask: number): void => {
    for (let i = 0; i < chars.length; i++)
      bits[chars.charCodeAt(i)] = (bits[chars.charCodeAt(i)] ?? 0) | mask;
  };
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
  add(' \t\n;&|<>()', META);
  add('\\\'"$`*?[{},@!+', WORD_SPECIAL);
  add(letters, NAME_START | NAME_CHAR);
  add('0123456789', NAME_CHAR | DIGIT);
  add('@*#?$!-', SPECIAL_PARAM);
  return Uint8Array.from(bits);
})();

/** True when `c` (a code unit, or NaN at end of input) has any of the class bits in `mask`. */
export function hasClass(c: number, mask: number): boolean {
  return c < 128 && ((CLASS[c] ?? 0) & mask) !== 0;
}

/** True at end of input or on a character that ends an unquoted word. */
export function endsWord(c: number): boolean {
  return Number.isNaN(c) || (c < 128 && ((CLASS[c] ?? 0) & META) !== 0);
}
