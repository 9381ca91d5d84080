/**
 * Test-only: a deterministic, grammar-based generator of shell commands for the differential test, and a
 * mutator that breaks commands (truncation, dropped quotes and closers) to exercise the error paths.
 * Randomness comes from a seeded PRNG (mulberry32), so a given seed always yields the same corpus.
 */

/** mulberry32: small, fast, good enough for test-case generation. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

// prettier-ignore
const COMMANDS = [
  'git', 'npm', 'npx', 'node', 'rm', 'curl', 'wget', 'sh', 'bash', 'sudo', 'env', 'xargs', 'timeout', 'docker',
  'kubectl', 'terraform', 'aws', 'cat', 'echo', 'printf', 'grep', 'sed', 'awk', 'find', 'ls', 'cp', 'mv', 'chmod',
  'eval', 'exec', 'python3', 'make', 'tar', 'ssh', 'scp', 'export', 'local', 'declare', 'test', '[', 'true', 'false',
  'r\\m', "r'm'", '"rm"', '$CMD', '${SHELL:-sh}', '$(which rm)', 'command', 'builtin', 'time', 'coproc',
];

// prettier-ignore
const LITERALS = [
  'a', 'b', 'foo', 'bar', 'x.txt', '-rf', '-f', '--force', '--watch', '-c', '/tmp/x', '~/.ssh/id_rsa', '~', '*.js',
  'file?', '[ab]', 'a=b', '--opt=val', 'main', 'origin', 'HEAD~1', '\\;', '\\|', '\\ ', '\\$HOME', '\\"', "\\'",
  '\\\\', '{}', '{a,b}', '{1..3}', '{x}', '{a,{b,c}}', '@', '%', '^', ':', 'a#b', '1', '2', '-', '..', '.', ',',
  '=', 'é', '日本', 'a\\*', 'https://example.com/x?y=1', '/dev/null', '+x', '!x', 'a!', '0', '10', 'x,y', 'a}', '{',
  '}', 'in', 'do', 'if', 'then', 'done', 'esac', '=~', '==', 'p:*', '--', '$', 'a$', '\\\n', 'a\\\nb',
];

// prettier-ignore
const SQ_CONTENT = ['', 'a b', '$HOME', '$(rm -rf /)', 'a;b|c&d', '"', '\\', '`x`', 'x\ny', '*', '${a:-b}', ' '];
// prettier-ignore
const DQ_ATOMS = [
  'a b', '$x', '${y}', '$(cmd)', '\\"', '\\$', '\\\\', '\\`', "'", ';|&', '$1', '$@', '$?', '${#a}', 'x\ny', '\\q',
  '$', '${a:-"d e"}', '`echo hi`', '$((1+2))', '*', '{a,b}', '~', '\\\n',
];
// prettier-ignore
const ANSI_CONTENT = ['\\x72\\x6d', '\\n', '\\t', "\\'", '\\\\', '\\e[0m', '\\u00e9', '\\101', 'a b', '\\"', '\\cA', '\\z'];
// prettier-ignore
const PARAMS = [
  '$x', '$HOME', '$1', '$@', '$*', '$#', '$?', '$$', '$!', '$-', '$0', '${x}', '${#x}', '${x:-def}', '${x-def}',
  '${x:=v}', '${x:?err}', '${x:+alt}', '${x#*.}', '${x##*/}', '${x%.*}', '${x%%/*}', '${x/a/b}', '${x//a/b}',
  '${x^}', '${x^^}', '${x,,}', '${x@Q}', '${!x}', '${arr[1]}', '${arr[@]}', '${#arr[@]}', '${x:1:2}', '${x: -1}',
  '${!pre*}', '${x:-$(id)}', '${x:-`id`}', '${x:-"a b"}', "${x:-'q'}", '${x:-a b}', '${x:-}',
];
// prettier-ignore
const ARITH = ['1+2', '$x+1', 'i++', '(1+2)*3', '$(wc -l < f)', 'x<3', '${#a}*2', 'a[1]+1', '`echo 1`', '2**8'];
// prettier-ignore
const REDIR_OPS = ['<', '>', '>>', '>|', '<>', '<&', '>&', '&>', '&>>', '<<<', '2>', '2>>', '2>&', '1>', '{fd}>', '0<'];

/** Generates `count` commands from the grammar with the given seed. */
export function generateCommands(count: number, seed: number): string[] {
  const g = new Generator(new Rng(seed));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(g.program());
  return out;
}

class Generator {
  constructor(private readonly rng: Rng) {}

  program(): string {
    const r = this.rng;
    if (r.chance(0.06)) return this.heredocProgram();
    return this.list(0);
  }

  private heredocProgram(): string {
    const r = this.rng;
    const delim = r.pick(['EOF', 'END', 'X_1']);
    const quoting = r.pick(['', "'", '"', '\\']);
    const dash = r.chance(0.3);
    const quoted = quoting === '\\' ? `\\${delim}` : `${quoting}${delim}${quoting}`;
    const lines: string[] = [];
    const n = r.int(4);
    for (let i = 0; i < n; i++) {
      lines.push(
        (dash && r.chance(0.5) ? '\t' : '') +
          r.pick([
            'hello',
            '$HOME',
            '$(date)',
            '`id`',
            '\\$x',
            'a "b" \'c\'',
            '${x:-y}',
            '$((1+2))',
            'rm -rf /',
            '',
          ]),
      );
    }
    const head =
      `${this.simple(1)} <<${dash ? '-' : ''}${quoted}` + (r.chance(0.3) ? ` | ${this.simple(1)}` : '');
    const tail = r.chance(0.2) ? `\n${this.list(1)}` : '';
    return `${head}\n${lines.map((l) => l + '\n').join('')}${dash ? '\t' : ''}${delim}${tail}`;
  }

  private list(depth: number): string {
    const r = this.rng;
    let s = this.andOr(depth);
    const n = depth === 0 ? r.int(2) : r.chance(0.15) ? 1 : 0;
    for (let i = 0; i < n; i++) s += r.pick(['; ', ' & ', '\n', ';\n', ' ;']) + this.andOr(depth);
    if (r.chance(0.1)) s += r.pick([';', ' &', '\n', ' # comment']);
    return s;
  }

  private andOr(depth: number): string {
    const r = this.rng;
    let s = this.pipeline(depth);
    while (r.chance(0.25)) s += r.pick([' && ', ' || ', ' &&\n', '||']) + this.pipeline(depth);
    return s;
  }

  private pipeline(depth: number): string {
    const r = this.rng;
    let s = (r.chance(0.08) ? '! ' : '') + this.command(depth);
    while (r.chance(0.25)) s += r.pick([' | ', ' |& ', '|', ' |\n']) + this.command(depth);
    return s;
  }

  private command(depth: number): string {
    const r = this.rng;
    if (depth >= 2 || r.chance(0.75)) return this.simple(depth);
    const body = (): string => this.list(depth + 1);
    const redir = (): string => (r.chance(0.2) ? ' ' + this.redirect(depth) : '');
    switch (r.int(11)) {
      case 0:
        return `(${body()})${redir()}`;
      case 1:
        return `{ ${body()}; }${redir()}`;
      case 2:
        return `if ${body()}; then ${body()}${r.chance(0.3) ? `; elif ${body()}; then ${body()}` : ''}${r.chance(0.4) ? `; else ${body()}` : ''}; fi${redir()}`;
      case 3:
        return `for ${r.pick(['x', 'f', 'i'])}${r.chance(0.8) ? ` in ${this.words(depth, 3)}` : ''}; do ${body()}; done${redir()}`;
      case 4:
        return `for ((i=0; i<${r.int(5)}; i++)); do ${body()}; done`;
      case 5:
        return `${r.pick(['while', 'until'])} ${body()}; do ${body()}; done${redir()}`;
      case 6: {
        let s = `case ${this.word(depth)} in`;
        const n = 1 + r.int(3);
        for (let i = 0; i < n; i++) {
          s += ` ${r.chance(0.3) ? '(' : ''}${r.pick(['a', '*', 'x|y', '*.txt', '[ab]*', '"q"'])}) ${body()}`;
          s += i === n - 1 && r.chance(0.5) ? '' : r.pick([';;', ';;', ';&', ';;&']);
        }
        return `${s} esac${redir()}`;
      }
      case 7:
        return r.chance(0.5)
          ? `${r.pick(['f', 'cleanup', 'do_it'])}() { ${body()}; }`
          : `function ${r.pick(['g', 'deploy'])} { ${body()}; }`;
      case 8:
        return `[[ ${this.testExpr(depth)} ]]${redir()}`;
      case 9:
        return `(( ${r.pick(ARITH)} ))`;
      default:
        return `time ${this.simple(depth)}`;
    }
  }

  /**
   * A simple command for inside backquotes, with `\\`, `` ` `` and `$` escaped. Single quotes and backslashes
   * are avoided: mvdan-sh mishandles escapes there (a documented deviation), which would hide the input.
   */
  private backquoteBody(depth: number): string {
    for (let attempt = 0; attempt < 5; attempt++) {
      const body = this.simple(depth);
      if (!/['\\]/.test(body)) return body.replace(/[`$]/g, (c) => '\\' + c);
    }
    return 'date';
  }

  private testExpr(depth: number): string {
    const r = this.rng;
    switch (r.int(5)) {
      case 0:
        return `${r.pick(['-f', '-d', '-z', '-n', '-x'])} ${this.word(depth)}`;
      case 1:
        return `${this.word(depth)} ${r.pick(['==', '!=', '=', '<', '>', '-eq', '-lt'])} ${this.word(depth)}`;
      case 2:
        return `${this.word(depth)} =~ ${r.pick(['^a.*$', '(foo|bar)', '[0-9]+', '\\.txt$', '"x"'])}`;
      case 3:
        return `! ${this.testExpr(depth)}`;
      default:
        return `${this.testExpr(depth)} ${r.pick(['&&', '||'])} ( ${this.testExpr(depth)} )`;
    }
  }

  private simple(depth: number): string {
    const r = this.rng;
    const items: string[] = [];
    const assigns = r.chance(0.15) ? 1 + r.int(2) : 0;
    for (let i = 0; i < assigns; i++) items.push(this.assignment(depth));
    if (assigns === 0 || r.chance(0.7)) {
      items.push(r.pick(COMMANDS));
      const n = r.int(4);
      for (let i = 0; i < n; i++) items.push(r.chance(0.12) ? this.redirect(depth) : this.word(depth));
    }
    if (r.chance(0.1)) items.push(this.redirect(depth));
    return items.join(' ');
  }

  private assignment(depth: number): string {
    const r = this.rng;
    const name = r.pick(['A', 'PATH', 'x', 'LD_PRELOAD', 'arr', 'a_1']);
    const op = r.chance(0.15) ? '+=' : '=';
    if (r.chance(0.1)) return `${name}${op}(${this.words(depth, 3)})`;
    if (r.chance(0.1)) return `${name}[${r.pick(['1', '$i', 'k'])}]=${this.word(depth)}`;
    return `${name}${op}${r.chance(0.15) ? '' : this.word(depth)}`;
  }

  private redirect(depth: number): string {
    const r = this.rng;
    const op = r.pick(REDIR_OPS);
    const target = op.endsWith('&') ? r.pick(['1', '2', '-', '0']) : this.word(depth);
    return `${op}${r.chance(0.5) ? ' ' : ''}${target}`;
  }

  private words(depth: number, max: number): string {
    const n = 1 + this.rng.int(max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.word(depth));
    return out.join(' ');
  }

  /** A word: one to three concatenated parts. */
  word(depth: number): string {
    const r = this.rng;
    let s = '';
    const n = 1 + (r.chance(0.3) ? r.int(3) : 0);
    for (let i = 0; i < n; i++) s += this.part(depth);
    return s;
  }

  private part(depth: number): string {
    const r = this.rng;
    const nested = depth < 2 && r.chance(0.5);
    switch (r.int(nested ? 12 : 7)) {
      case 0:
      case 1:
      case 2:
        return r.pick(LITERALS);
      case 3:
        return `'${r.pick(SQ_CONTENT)}'`;
      case 4: {
        let s = '';
        const n = r.int(3);
        for (let i = 0; i < n; i++) s += r.pick(DQ_ATOMS);
        return `"${s}"`;
      }
      case 5:
        return `$'${r.pick(ANSI_CONTENT)}'`;
      case 6:
        return r.pick(PARAMS);
      case 7:
        return `$(${this.list(depth + 1)})`;
      case 8:
        return '`' + this.backquoteBody(depth + 1) + '`';
      case 9:
        return r.chance(0.5) ? `$((${r.pick(ARITH)}))` : `$[${r.pick(ARITH)}]`;
      case 10:
        return `${r.pick(['<', '>'])}(${this.list(depth + 1)})`;
      default:
        return `"$(${this.simple(depth + 1)})"`;
    }
  }
}

// prettier-ignore
const CLOSERS = [')', '}', '"', "'", '`', 'fi', 'done', 'esac', ']]', '))', ';;', 'then', 'do', 'in', '$(', '${'];

/** Deterministic breakages of `source`: truncations and removals of one quote, bracket or keyword. */
export function mutate(source: string, rng: Rng, count: number): string[] {
  const out: string[] = [];
  if (source.length < 2) return out;
  for (let i = 0; i < count; i++) {
    switch (rng.int(4)) {
      case 0:
        out.push(source.slice(0, 1 + rng.int(source.length - 1)));
        break;
      case 1: {
        const at = rng.int(source.length);
        out.push(source.slice(0, at) + source.slice(at + 1));
        break;
      }
      case 2: {
        const token = rng.pick(CLOSERS);
        const at = source.indexOf(token, rng.int(source.length));
        out.push(at < 0 ? source + token : source.slice(0, at) + source.slice(at + token.length));
        break;
      }
      default: {
        const at = rng.int(source.length);
        out.push(source.slice(0, at) + rng.pick(CLOSERS) + source.slice(at));
      }
    }
  }
  return out;
}
