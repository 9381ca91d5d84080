/** Unit tests for word parts: quoting, escapes, expansions, substitutions, brace expansion. */
import { expect, test } from 'vitest';
import { allCommands, dq, lit, param, parse, simple, sq, strip, wordParts, words } from './corpus/helpers';

// ------------------------------------------------------------------ word parts

test('unquoted literals: escapes removed, glob flagged only for unquoted * ? [', () => {
  expect(wordParts('echo \\r\\m', 1)).toEqual([lit('rm')]);
  expect(wordParts('echo *.js', 1)).toEqual([lit('*.js', true)]);
  expect(wordParts('echo \\*', 1)).toEqual([lit('*')]);
  expect(wordParts('echo "*"', 1)).toEqual([dq(lit('*'))]);
  expect(wordParts('echo [ab]', 1)).toEqual([lit('[ab]', true)]);
  expect(wordParts('echo ~/x', 1)).toEqual([lit('~/x')]);
});

test('single quotes keep everything; r\'m\' -r"f" splits like bash', () => {
  expect(strip(simple(`r'm' -r"f" '$(x) \\'`).words.map((w) => w.parts))).toEqual([
    [lit('r'), sq('m')],
    [lit('-r'), dq(lit('f'))],
    [sq('$(x) \\')],
  ]);
});

test("$'…' decodes ANSI-C escapes", () => {
  expect(
    wordParts(String.raw`echo $'\x72\x6d' $'\162m' $'\u0072m' $'a\tb\n' $'it\'s' $'\e[0m' $'\cA' $'\q'`, 1),
  ).toEqual([sq('rm', true)]);
  expect(
    words(String.raw`echo $'\162m' $'\u0072m' $'a\tb\n' $'it\'s' $'\e[0m' $'\cA' $'\q' $'\"\\'`),
  ).toEqual(['echo', 'rm', 'rm', 'a\tb\n', "it's", '\x1b[0m', '\x01', '\\q', '"\\']);
  expect(words(String.raw`$'rm\0junk' x`)).toEqual(['rm', 'x']); // bash cuts at NUL
});

test('double quotes: only \\$ \\` \\" \\\\ and \\newline are escapes', () => {
  expect(wordParts('echo "a\\"b \\$x \\q \\\\ c\\\nd"', 1)).toEqual([dq(lit('a"b $x \\q \\ cd'))]);
  expect(wordParts('echo $"hello"', 1)).toEqual([dq(lit('hello'))]);
  expect(wordParts('echo "$"', 1)).toEqual([dq(lit('$'))]);
});

test('short parameters: $name $1 $@ $* $# $? $$ $! $- $0', () => {
  const names = simple('echo $x $1 $@ $* $# $? $$ $! $- $0 $10')
    .words.slice(1)
    .map((w) => {
      const p = w.parts[0];
      return p?.type === 'ParamExpansion' ? p.name : null;
    });
  expect(names).toEqual(['x', '1', '@', '*', '#', '?', '$', '!', '-', '0', '1']);
  expect(wordParts('echo $10', 1)).toEqual([param('1', '$1'), lit('0')]);
  expect(wordParts('echo $ a$', 1)).toEqual([lit('$')]);
});

test('${…} with operators: the operand is parsed into parts', () => {
  expect(wordParts('echo ${x:-$(id)}', 1)).toEqual([
    {
      type: 'ParamExpansion',
      name: 'x',
      raw: '${x:-$(id)}',
      operand: [
        {
          type: 'CommandSubstitution',
          backquote: false,
          raw: 'id',
          script: strip(parse('id')),
        },
      ],
    },
  ]);
  for (const src of [
    '${x-a}',
    '${x:=a}',
    '${x#a}',
    '${x##a}',
    '${x%a}',
    '${x%%a}',
    '${x/a/b}',
    '${x//a/b}',
    '${x^}',
    '${x,,}',
  ]) {
    expect((wordParts(`echo ${src}`, 1)[0] as { name: string }).name).toBe('x');
  }
  expect(wordParts('echo ${x@Q}', 1)).toEqual([param('x', '${x@Q}', [lit('Q')])]);
  expect(wordParts('echo ${x:1:2}', 1)).toEqual([param('x', '${x:1:2}', [lit('1:2')])]);
});

test('${#x} ${!x} ${!pre*} ${a[i]} ${#}: names without prefix or subscript', () => {
  const names = simple('echo ${#x} ${!x} ${!pre*} ${a[$i]} ${#a[@]} ${#} ${!}')
    .words.slice(1)
    .map((w) => {
      const p = w.parts[0];
      return p?.type === 'ParamExpansion' ? [p.name, p.operand.length] : null;
    });
  expect(names).toEqual([
    ['x', 0],
    ['x', 0],
    ['pre', 0],
    ['a', 1],
    ['a', 0],
    ['#', 0],
    ['!', 0],
  ]);
});

test("inside double quotes a ${x:-'…'} operand's single quotes are literal, as in bash", () => {
  expect(allCommands(`echo "\${x:-'$(rm -rf /)'}"`)).toEqual([`echo \${x:-'$(rm -rf /)'}`, 'rm -rf /']);
});

test('$( ) is a recursive script; ) inside case patterns and quotes does not end it', () => {
  expect(allCommands('x=$(case $a in y) echo ")";; esac; ls)')).toEqual(['', 'echo )', 'ls']);
  expect(allCommands('echo $(echo $(echo deep))')).toEqual(['echo $(…)', 'echo $(…)', 'echo deep']);
});

test('backquotes: inner escapes removed before the recursive parse', () => {
  const p = wordParts('echo `echo \\`id\\``', 1)[0];
  expect(p?.type === 'CommandSubstitution' && p.backquote).toBe(true);
  expect(allCommands('echo `echo \\`id\\``')).toEqual(['echo $(…)', 'echo $(…)', 'id']);
  expect(allCommands('echo "`echo \\"a b\\"`"')).toEqual(['echo $(…)', 'echo a b']);
});

test('$(( )) and $[ ]: raw text plus the expansions inside', () => {
  expect(wordParts('echo $(( $(wc -l < f) + x ))', 1)).toEqual([
    {
      type: 'ArithExpansion',
      arithmetic: {
        raw: ' $(wc -l < f) + x ',
        parts: [
          {
            type: 'CommandSubstitution',
            backquote: false,
            raw: 'wc -l < f',
            script: strip(parse('wc -l < f')),
          },
        ],
      },
    },
  ]);
  expect(wordParts('echo $[1+$y]', 1)).toEqual([
    { type: 'ArithExpansion', arithmetic: { raw: '1+$y', parts: [param('y', '$y')] } },
  ]);
});

test('process substitution <( ) and >( )', () => {
  const parts = simple('diff <(sort a) >(gzip > b)')
    .words.slice(1)
    .map((w) => w.parts[0]);
  expect(parts.map((p) => (p?.type === 'ProcessSubstitution' ? [p.direction, p.raw] : null))).toEqual([
    ['in', 'sort a'],
    ['out', 'gzip > b'],
  ]);
  expect(allCommands('bash <(curl -s https://x)')).toEqual(['bash <(…)', 'curl -s https://x']);
});

test('brace expansion: only with a top-level comma or .., alternatives parsed', () => {
  expect(wordParts('echo {a,b}c', 1)).toEqual([
    { type: 'BraceExpansion', raw: '{a,b}', alternatives: [[lit('a')], [lit('b')]] },
    lit('c'),
  ]);
  expect(wordParts('echo {1..3}', 1)).toEqual([{ type: 'BraceExpansion', raw: '{1..3}', alternatives: [] }]);
  expect(wordParts('echo {a,{b,c}}', 1)).toEqual([
    {
      type: 'BraceExpansion',
      raw: '{a,{b,c}}',
      alternatives: [
        [lit('a')],
        [{ type: 'BraceExpansion', raw: '{b,c}', alternatives: [[lit('b')], [lit('c')]] }],
      ],
    },
  ]);
  for (const plain of ['{}', '{x}', '{a', 'a}', '"{a,b}"', '{a..$(id)}']) {
    expect(wordParts(`echo ${plain}`, 1).some((p) => p.type === 'BraceExpansion')).toBe(false);
  }
  expect(allCommands('{rm,-rf,/}')).toEqual(['{rm,-rf,/}']);
  expect(allCommands('echo {a,$(id)}')).toEqual(['echo {a,$(id)}', 'id']);
  expect(allCommands('echo {1..$(id)}')).toEqual(['echo {1..$(…)}', 'id']);
});

test('brace expansion is not performed in assignment values', () => {
  expect(strip(simple('a={x,y} cmd').assignments[0]?.value?.parts)).toEqual([lit('a={x,y}'.slice(2))]);
});
