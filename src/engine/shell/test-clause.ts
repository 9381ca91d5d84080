/**
 * The expression grammar of `[[ … ]]`, over the words the parser collected (operators are unquoted literal
 * words): where a `=~` operand starts, and whether the expression is well formed.
 */
import type { Word } from './ast';
import { staticText } from './words';

export const TEST_UNARY = new Set(
  '-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S -z -n -o -v -R'.split(' '),
);
/** Position in a `[[ ]]` expression: before a primary, after a unary operator, after a left operand, … */
export const enum TestState {
  Start,
  UnaryArg,
  Left,
  RightArg,
  Done,
}
/** Words that can only be operators (unquoted): never an operand. */
const TEST_OPERATORS = new Set(['&&', '||', '(', ')', '<', '>']);
export const TEST_BINARY = new Set('== = != =~ < > -eq -ne -lt -le -gt -ge -nt -ot -ef'.split(' '));

/**
 * Checks the structure of a `[[ … ]]` expression over its words (operators are unquoted literal words):
 * `||` of `&&` of `!`-prefixed primaries; a primary is `( expr )`, `unary-op word`, `word binary-op word` or a
 * single word.
 */
export function checkTest(words: Word[], fail: (message: string, at: number) => never): void {
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
