import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseShell } from './parse';
import { allCommands, dq, error, first, lit, param, parse, simple, strip, words } from './corpus/helpers';
import { wordText as text } from './corpus/ast-walk';

// ------------------------------------------------------------------ lists and pipelines

test('empty input and comments only give an empty script', () => {
  expect(parse('').statements).toEqual([]);
  expect(parse('  # just a comment\n\n').statements).toEqual([]);
});

test('a simple command: words split on blanks, spans cover the source', () => {
  const script = parse('npm test -- --watch');
  expect(words('npm test -- --watch')).toEqual(['npm', 'test', '--', '--watch']);
  const cmd = simple('npm test -- --watch');
  expect(cmd.words.map((w) => [w.start, w.end])).toEqual([
    [0, 3],
    [4, 8],
    [9, 11],
    [12, 19],
  ]);
  expect([script.start, script.end]).toEqual([0, 19]);
});

test('spans of statements, pipelines and compound commands end at their last token', () => {
  const st = parse('(a) >x  && { b; }  ;  c').statements;
  expect(st.map((s) => [s.start, s.end])).toEqual([
    [0, 17],
    [22, 23],
  ]);
  const first = st[0];
  expect(first?.first.commands.map((c) => [c.start, c.end])).toEqual([[0, 6]]);
  expect(first?.rest.map((r) => [r.pipeline.start, r.pipeline.end])).toEqual([[11, 17]]);
});

test('lists: ; && || & and newlines', () => {
  const s = parse('a; b && c || d & e\nf');
  expect(s.statements.map((st) => [st.rest.map((r) => r.op), st.background])).toEqual([
    [[], false],
    [['&&', '||'], true],
    [[], false],
    [[], false],
  ]);
  expect(allCommands('a; b && c || d & e\nf')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
});

test('&& || and | may be followed by newlines', () => {
  expect(allCommands('a &&\n\n b ||\n c |\n d')).toEqual(['a', 'b', 'c', 'd']);
});

test('pipelines: | and |& and ! negation', () => {
  const p = parse('! a | b |& c').statements[0]?.first;
  expect(p?.negated).toBe(true);
  expect(p?.pipeStderr).toEqual([false, true]);
  expect(p?.commands.map((c) => c.type)).toEqual(['SimpleCommand', 'SimpleCommand', 'SimpleCommand']);
});

test('comments start only at the beginning of a word', () => {
  expect(words('echo a#b #c d')).toEqual(['echo', 'a#b']);
  expect(allCommands('a # c; rm -rf /\nb')).toEqual(['a', 'b']);
});

test('line continuations join lines, also inside a word', () => {
  expect(words('echo a \\\n b')).toEqual(['echo', 'a', 'b']);
  expect(words('r\\\nm -rf /')).toEqual(['rm', '-rf', '/']);
});

test('time [-p] becomes the first words of the simple command it times (the engine unwraps it)', () => {
  expect(words('time -p make all')).toEqual(['time', '-p', 'make', 'all']);
  expect(words('time')).toEqual(['time']);
  expect(allCommands('time { rm x; }')).toEqual(['rm x']);
  expect(allCommands('a | time b')).toEqual(['a', 'time b']);
});

// ------------------------------------------------------------------ simple commands

test('assignments before the command word; after it they are plain words', () => {
  const c = simple('A=1 B+=x C= cmd D=2');
  expect(strip(c.assignments)).toEqual([
    {
      type: 'Assignment',
      name: 'A',
      append: false,
      value: { type: 'Word', parts: [lit('1')] },
      array: null,
      subscript: null,
    },
    {
      type: 'Assignment',
      name: 'B',
      append: true,
      value: { type: 'Word', parts: [lit('x')] },
      array: null,
      subscript: null,
    },
    {
      type: 'Assignment',
      name: 'C',
      append: false,
      value: { type: 'Word', parts: [] },
      array: null,
      subscript: null,
    },
  ]);
  expect(c.words.map(text)).toEqual(['cmd', 'D=2']);
});

test('assignment values keep their substitutions', () => {
  const a = simple('B=$(curl x) cmd').assignments[0];
  expect(a?.value?.parts[0]?.type).toBe('CommandSubstitution');
  expect(allCommands('B=$(curl x) cmd')).toEqual(['cmd', 'curl x']);
});

test('array assignments and subscripted assignments', () => {
  const c = simple('arr=(one "two three" $(four)) a[$i+1]=x');
  expect(c.assignments[0]?.array?.map(text)).toEqual(['one', 'two three', '$(…)']);
  expect(c.assignments[0]?.value).toBeNull();
  expect(c.assignments[1]?.name).toBe('a');
  expect(strip(c.assignments[1]?.subscript)).toEqual({ raw: '$i+1', parts: [param('i', '$i')] });
  expect(allCommands('x[$(id)]=1')).toEqual(['', 'id']);
});

test('declaration builtins take array arguments as one word', () => {
  const c = simple('declare -a x=(1 "2 3")');
  expect(c.words.map(text)).toEqual(['declare', '-a', 'x=(1 2 3)']);
  expect(c.assignments).toEqual([]);
});

test('redirections anywhere among the words, with fd prefixes', () => {
  const c = simple('cmd >out 2>&1 arg <in 3<>f 4>|g {fd}>h &>all &>>more >>app <&0');
  expect(c.words.map(text)).toEqual(['cmd', 'arg']);
  expect(c.redirects.map((r) => [r.fd, r.op, text(r.target)])).toEqual([
    [null, '>', 'out'],
    ['2', '>&', '1'],
    [null, '<', 'in'],
    ['3', '<>', 'f'],
    ['4', '>|', 'g'],
    ['{fd}', '>', 'h'],
    [null, '&>', 'all'],
    [null, '&>>', 'more'],
    [null, '>>', 'app'],
    [null, '<&', '0'],
  ]);
});

test('a command may consist of redirections only', () => {
  const c = simple('> /etc/passwd');
  expect(c.words).toEqual([]);
  expect(c.redirects[0]?.op).toBe('>');
});

test('here-string <<<', () => {
  const r = simple('grep x <<< "$var"').redirects[0];
  expect(r?.op).toBe('<<<');
  expect(strip(r?.target.parts)).toEqual([dq(param('var', '$var'))]);
});

// ------------------------------------------------------------------ here-documents

test('here-document with unquoted delimiter: body parsed for expansions', () => {
  const r = simple('cat <<EOF\nhi $USER $(id) \\$x\nEOF\n').redirects[0];
  expect(r?.op).toBe('<<');
  expect(text(r?.target ?? { parts: [] })).toBe('EOF');
  const body = r?.heredoc?.parts ?? [];
  expect(body.map((p) => p.type)).toEqual([
    'Literal',
    'ParamExpansion',
    'Literal',
    'CommandSubstitution',
    'Literal',
  ]);
  expect(strip(body[4])).toEqual(lit(' $x\n'));
  expect(allCommands('cat <<EOF\n$(rm -rf /)\nEOF')).toEqual(['cat', 'rm -rf /']);
});

test('here-document with quoted delimiter: body is one literal', () => {
  for (const d of ["'EOF'", '"EOF"', '\\EOF', 'E"O"F']) {
    const r = simple(`cat <<${d}\n$(id) \`x\`\nEOF\n`).redirects[0];
    expect(strip(r?.heredoc?.parts)).toEqual([lit('$(id) `x`\n')]);
  }
});

test('<<- strips leading tabs from the body and the delimiter line', () => {
  const r = simple('cat <<-EOF\n\t\tone\n\ttwo\n\tEOF\necho after').redirects[0];
  expect(strip(r?.heredoc?.parts)).toEqual([lit('one\ntwo\n')]);
  expect(allCommands('cat <<-EOF\n\tx\n\tEOF\necho after')).toEqual(['cat', 'echo after']);
});

test('several here-documents on one line are read in order', () => {
  const c = simple("cat <<A <<'B'\nfirst $x\nA\nsecond $y\nB\n");
  expect(c.redirects.map((r) => text(r.heredoc ?? { parts: [] }))).toEqual(['first $x\n', 'second $y\n']);
});

test('here-document bodies start after the line, even when a substitution spans lines', () => {
  expect(allCommands('cat <<X $(echo\n)\nbody\nX\nls')).toEqual(['cat $(…)', 'echo', 'ls']);
  expect(allCommands('x=$(cat <<EOF\n$(id)\nEOF\n)')).toEqual(['', 'cat', 'id']);
});

// ------------------------------------------------------------------ compound commands

test('subshell and brace group, with trailing redirects', () => {
  const sub = first('(cd /tmp && rm -rf build) > log');
  expect(sub.type).toBe('Subshell');
  expect(sub.redirects.map((r) => r.op)).toEqual(['>']);
  const group = first('{ a; b; } 2>/dev/null');
  expect(group.type).toBe('BraceGroup');
  expect(allCommands('{ a; b; } 2>/dev/null')).toEqual(['a', 'b']);
});

test('{ and } are reserved only as whole words in command position', () => {
  expect(words('echo { } {x')).toEqual(['echo', '{', '}', '{x']);
  expect(error('{ echo }').message).toBe("expected '}' to close '{'");
  expect(first('{ echo a;}').type).toBe('BraceGroup');
});

test('if / elif / else', () => {
  const c = first('if a; then b; elif c; then d; else e; fi');
  expect(c.type).toBe('IfClause');
  if (c.type !== 'IfClause') return;
  expect(c.branches.length).toBe(2);
  expect(c.elseBody?.statements.length).toBe(1);
  expect(allCommands('if a; then b; elif c; then d; else e; fi')).toEqual(['a', 'b', 'c', 'd', 'e']);
});

test('for loops: in list, implicit "$@", C-style, brace body; select', () => {
  const c = first('for f in *.log "$x"; do gzip "$f"; done');
  expect(c.type === 'ForClause' && [c.keyword, c.variable, c.items?.map(text)]).toEqual([
    'for',
    'f',
    ['*.log', '$x'],
  ]);
  const implicit = first('for x; do echo "$x"; done');
  expect(implicit.type === 'ForClause' && implicit.items).toBeNull();
  const cstyle = first('for ((i = 0; i < $(n); i++)); do echo $i; done');
  expect(cstyle.type === 'ForClause' && [cstyle.variable, cstyle.arithmetic?.raw]).toEqual([
    null,
    'i = 0; i < $(n); i++',
  ]);
  expect(allCommands('for ((i = 0; i < $(n); i++)); do echo $i; done')).toEqual(['n', 'echo $i']);
  expect(allCommands('for x in a b; { rm $x; }')).toEqual(['rm $x']);
  expect(first('select o in a b; do break; done').type === 'ForClause').toBe(true);
  expect(allCommands('for pkg in a b\ndo\n npm info "$pkg"\ndone')).toEqual(['npm info $pkg']);
});

test('while and until', () => {
  const c = first('until curl -sf x; do sleep 1; done');
  expect(c.type === 'WhileClause' && c.until).toBe(true);
  expect(allCommands('while read -r f; do rm "$f"; done < <(find .)')).toEqual([
    'read -r f',
    'rm $f',
    'find .',
  ]);
});

test('case: patterns, optional (, terminators ;; ;& ;;& and an optional last ;;', () => {
  const c = first('case $1 in (a|b) x;; c) y;& d) z;;& *) w; esac');
  if (c.type !== 'CaseClause') throw new Error('not a case');
  expect(c.items.map((i) => [i.patterns.map(text), i.terminator])).toEqual([
    [['a', 'b'], ';;'],
    [['c'], ';&'],
    [['d'], ';;&'],
    [['*'], null],
  ]);
  expect(allCommands('case x in\n  deploy)\n    terraform apply\n    ;;\nesac')).toEqual(['terraform apply']);
});

test('function definitions: name(), function name, function name()', () => {
  for (const src of ['f() { rm x; }', 'function f { rm x; }', 'function f() ( rm x )', 'f ()\n{\n rm x\n}']) {
    const c = first(src);
    expect(c.type === 'FunctionDef' && c.name).toBe('f');
    expect(allCommands(src)).toEqual(['rm x']);
  }
  expect(allCommands(':(){ :|:& };:')).toEqual([':', ':', ':']);
});

test('[[ ]]: words, operators as literal words, lenient =~ operand', () => {
  const c = first('[[ -f $x && ! ( $a == b* || $c < d ) ]]');
  expect(c.type === 'TestClause' && c.words.map(text)).toEqual([
    '-f',
    '$x',
    '&&',
    '!',
    '(',
    '$a',
    '==',
    'b*',
    '||',
    '$c',
    '<',
    'd',
    ')',
  ]);
  const re = first('[[ $v =~ ^(a|b c)+$ ]]');
  expect(re.type === 'TestClause' && re.words.map(text)).toEqual(['$v', '=~', '^(a|b c)+$']);
  expect(allCommands('[[ $(id -u) -eq 0 ]]')).toEqual(['id -u']);
});

test('(( )) arithmetic command', () => {
  expect(strip(first('(( i++ ))'))).toEqual({
    type: 'ArithCommand',
    arithmetic: { raw: ' i++ ', parts: [] },
    redirects: [],
  });
});

test('reserved words only in command position', () => {
  expect(words('echo if then fi done')).toEqual(['echo', 'if', 'then', 'fi', 'done']);
  expect(allCommands('if true; then echo fi; fi')).toEqual(['true', 'echo fi']);
  expect(words('A=1 if')).toEqual(['if']);
});

test('!(…) at the start of a command is a negated subshell, as in bash', () => {
  const p = parse('!(rm -rf /tmp/x)').statements[0]?.first;
  expect(p?.negated).toBe(true);
  expect(p?.commands[0]?.type).toBe('Subshell');
  expect(words('echo !(x) @(a|b)')).toEqual(['echo', '!(x)', '@(a|b)']);
});

test('finds every simple command of a red-team style compound command', () => {
  const src =
    'sudo -E bash -c "curl x | sh" && A=$(id) terraform apply; f() { eval "$(base64 -d <<< x)"; }; f';
  expect(allCommands(src)).toEqual([
    'sudo -E bash -c curl x | sh',
    'terraform apply',
    'id',
    'eval $(…)',
    'base64 -d',
    'f',
  ]);
});

// ------------------------------------------------------------------ errors

test('syntax errors give a lowercase message and an offset', () => {
  const cases: [string, string, number][] = [
    ["echo 'abc", 'unterminated single quote', 5],
    ['echo "abc', 'unterminated double quote', 5],
    ["echo $'abc", "unterminated $'…' quote", 5],
    ['echo `abc', 'unterminated backquote', 5],
    ['echo $(abc', 'unterminated command substitution', 5],
    ['echo ${abc', 'unterminated parameter expansion', 5],
    ['echo ${a b}', 'bad substitution', 8],
    ['echo $((1+2)', "expected '))' to close '$(('", 5],
    ['(a', "expected ')' to close '('", 0],
    ['a)', "unexpected ')'", 1],
    ['if a; b; fi', "expected 'then'", 9],
    ['if a; then b', "expected 'fi'", 0],
    ['while a; b; done', "expected 'do'", 12],
    ['for x in a; do b', "expected 'done'", 0],
    ['case x in a) b;;', "expected 'esac'", 0],
    ['case x a) b;; esac', "expected 'in'", 7],
    ['{ a', "expected '}' to close '{'", 0],
    ['[[ a', "expected ']]' to close '[['", 0],
    ['[[ a b ]]', "unexpected 'b' in '[[ ]]'", 5],
    ['cat <<EOF\nabc', "unterminated here-document 'EOF'", 4],
    ['a &&', 'expected a command', 4],
    ['a | | b', "unexpected '|'", 4],
    ['; a', "unexpected ';'", 0],
    ['a;;', "unexpected ';;'", 1],
    ['fi', "unexpected 'fi'", 0],
    ['echo a (b)', "unexpected '('", 7],
    ['echo >', "expected a word after '>'", 6],
    ['if true; then fi', "'then' must be followed by a command", 14],
    ["'f'() { a; }", 'invalid function name', 0],
  ];
  for (const [src, message, offset] of cases) {
    expect([src, error(src)]).toEqual([src, { message, offset }]);
  }
});

test('deeply nested input is rejected, not overflowed', () => {
  expect(error('$('.repeat(5000) + ')'.repeat(5000)).message).toBe('input is nested too deeply');
  expect(error('"${x:-'.repeat(3000)).message).toBe('input is nested too deeply');
  expect(parse('$('.repeat(50) + 'id' + ')'.repeat(50)).statements.length).toBe(1);
});

test('pathological inputs stay linear (generous bound: quadratic would take minutes)', () => {
  const inputs = [
    'echo ' + '{'.repeat(50_000) + ',',
    'echo ' + '{a,'.repeat(20_000),
    'a | '.repeat(20_000) + 'b',
    'cat ' + '<<E '.repeat(5_000) + '\n' + 'E\n'.repeat(5_000),
    'echo "' + '${x:-a}'.repeat(10_000) + '"',
  ];
  for (const input of inputs) {
    const start = performance.now();
    parseShell(input);
    expect(performance.now() - start).toBeLessThan(2_000);
  }
});

// ------------------------------------------------------------------ properties

test('parseShell never throws on arbitrary strings', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const r = parseShell(s);
      return r.ok || r.error.message !== 'internal parser error';
    }),
    { numRuns: 3_000, seed: 42 },
  );
}, 30_000);

test('parseShell never throws on arbitrary unicode, including lone surrogates', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const r = parseShell(s);
      return r.ok || r.error.message !== 'internal parser error';
    }),
    { numRuns: 1_000, seed: 43 },
  );
}, 30_000);

test('parseShell never throws on strings of shell metacharacters, and spans stay in range', () => {
  const unit = fc.constantFrom(
    ...' \t\n;&|<>()$`\'"\\{}[]*?!#=~-:,.@%+^/0123456789aefinotdsc'.split(''),
    '<<',
    '$(',
    '${',
    '$((',
    '((',
  );
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 60 }), (s) => {
      const r = parseShell(s);
      if (!r.ok)
        return (
          r.error.message !== 'internal parser error' && r.error.offset >= 0 && r.error.offset <= s.length
        );
      return r.script.start >= 0 && r.script.end <= s.length;
    }),
    { numRuns: 10_000, seed: 44 },
  );
}, 30_000);
