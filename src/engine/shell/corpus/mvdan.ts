/**
 * Test-only: renders an mvdan-sh AST in the comparison form of normalize.ts (see there for the form).
 */
import { cmdEvent, paramMarker } from './normalize';

/**
 * An mvdan-sh node. mvdan-sh is Go compiled to JS by GopherJS; its public JS wrappers convert every slice on
 * every field read (about 0.1 ms each), which made this adapter slower than the parse itself. So the adapter
 * reads GopherJS's internal objects (`__internal_object__`): Go struct fields as properties, slices as
 * `{ $array, $offset, $length }`, pointer types named by `constructor.string` (`*syntax.CallExpr`), nil
 * pointers as a per-type `nil` object. That layout is stable for the pinned mvdan-sh build (0.10.x).
 */
export interface MvNode {
  readonly [field: string]: unknown;
}

/** The part of `require('mvdan-sh').syntax` the adapter uses. */
export interface MvSyntax {
  NewParser(): { Parse(src: string, name: string): unknown };
}

type GoType = { string?: unknown; nil?: unknown };
type GoSlice = { $array?: unknown[]; $offset: number; $length: number };

/** The node behind a value, or null for Go nil / non-node values. */
function asNode(v: unknown): MvNode | null {
  if (typeof v !== 'object' || v === null) return null;
  const type = (v as { constructor?: GoType }).constructor;
  if (typeof type?.string !== 'string' || !type.string.startsWith('*syntax.') || type.nil === v) return null;
  return v as MvNode;
}

/** The internal object of a parse result (see MvNode). */
export function internalFile(file: unknown): MvNode {
  const node = asNode((file as { __internal_object__?: unknown }).__internal_object__);
  if (node === null) throw new Error('mvdan-sh: unexpected result shape');
  return node;
}

/** `*syntax.CallExpr` → `CallExpr`. */
function kind(n: MvNode): string {
  return String((n.constructor as GoType).string).slice(8);
}
function field(n: MvNode, name: string): MvNode | null {
  return asNode(n[name]);
}
function list(n: MvNode, name: string): MvNode[] {
  const sl = n[name] as GoSlice | undefined;
  if (sl?.$array === undefined) return [];
  const out: MvNode[] = [];
  for (let i = 0; i < sl.$length; i++) {
    const node = asNode(sl.$array[sl.$offset + i]);
    if (node !== null) out.push(node);
  }
  return out;
}
/** A Go string field; GopherJS keeps Go strings as one char per UTF-8 byte, so decode them. */
function str(n: MvNode | null, name: string): string {
  const v = n?.[name];
  return typeof v === 'string' ? decodeUtf8(v) : '';
}

function decodeUtf8(bytes: string): string {
  let i = 0;
  while (i < bytes.length && bytes.charCodeAt(i) < 0x80) i++;
  if (i === bytes.length) return bytes;
  let out = bytes.slice(0, i);
  while (i < bytes.length) {
    const b = bytes.charCodeAt(i);
    const extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
    let cp = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) cp = (cp << 6) | (bytes.charCodeAt(i + k) & 0x3f);
    out += String.fromCodePoint(cp);
    i += extra + 1;
  }
  return out;
}
function num(n: MvNode, name: string): number {
  const v = n[name];
  return typeof v === 'number' ? v : -1;
}
function flag(n: MvNode, name: string): boolean {
  return n[name] === true;
}

/** Calls `visit` on every node below `n` (fields in declaration order, i.e. source order); `visit` returns false to skip a subtree. */
function walk(n: MvNode, visit: (n: MvNode) => boolean): void {
  for (const key of Object.keys(n)) {
    if (key === '$val') continue;
    const v = n[key];
    const child = asNode(v);
    if (child !== null) {
      if (visit(child)) walk(child, visit);
    } else if (typeof v === 'object' && v !== null && '$array' in v) {
      for (const item of list(n, key)) if (visit(item)) walk(item, visit);
    }
  }
}

/** True when a node of `type` (`CoprocClause`, …) occurs in the parsed file. */
export function findNode(file: MvNode, type: string): boolean {
  let found = false;
  walk(file, (n) => {
    if (kind(n) === type) found = true;
    return !found;
  });
  return found;
}

type Ops = { [code: number]: string };

/** Operator codes of this mvdan-sh build, discovered by parsing probes (robust to renumbering). */
export type MvOps = {
  redir: Ops;
  binary: Ops;
  caseOp: Ops;
  proc: Ops;
  exp: Ops;
  names: Ops;
  test: Ops;
  glob: Ops;
};

export function calibrate(sh: MvSyntax): MvOps {
  const parse = (src: string): MvNode => {
    const stmt = list(internalFile(sh.NewParser().Parse(src, '')), 'Stmts')[0];
    if (stmt === undefined) throw new Error(`calibration probe gave no statement: ${src}`);
    return stmt;
  };
  const ops: MvOps = { redir: {}, binary: {}, caseOp: {}, proc: {}, exp: {}, names: {}, test: {}, glob: {} };
  const args = (st: MvNode): MvNode[] => list(field(st, 'Cmd') ?? {}, 'Args');
  const firstPart = (w: MvNode | undefined): MvNode => list(w ?? {}, 'Parts')[0] ?? {};
  for (const op of ['<', '>', '>>', '>|', '<>', '<<', '<<-', '<<<', '<&', '>&', '&>', '&>>']) {
    const st = parse(op.startsWith('<<') && op !== '<<<' ? `a ${op}E\nE\n` : `a ${op}x`);
    ops.redir[num(list(st, 'Redirs')[0] ?? {}, 'Op')] = op;
  }
  for (const op of ['&&', '||', '|', '|&'])
    ops.binary[num(field(parse(`a ${op} b`), 'Cmd') ?? {}, 'Op')] = op;
  for (const op of [';;', ';&', ';;&']) {
    const item = list(field(parse(`case a in x) b ${op} esac`), 'Cmd') ?? {}, 'Items')[0] ?? {};
    ops.caseOp[num(item, 'Op')] = op;
  }
  for (const op of ['<(', '>(']) ops.proc[num(firstPart(args(parse(`a ${op}b)`))[1]), 'Op')] = op;
  for (const op of [
    '+',
    ':+',
    '-',
    ':-',
    '?',
    ':?',
    '=',
    ':=',
    '%',
    '%%',
    '#',
    '##',
    '^',
    '^^',
    ',',
    ',,',
    '@',
  ]) {
    ops.exp[
      num(field(firstPart(args(parse(`a \${x${op}${op === '@' ? 'Q' : 'y'}}`))[1]), 'Exp') ?? {}, 'Op')
    ] = op;
  }
  for (const op of ['*', '@']) ops.names[num(firstPart(args(parse(`a \${!x${op}}`))[1]), 'Names')] = op;
  const unary = '-e -f -d -c -b -p -S -L -k -g -u -G -O -N -r -w -x -s -t -z -n -o -v -R -a -h !'.split(' ');
  for (const op of unary)
    ops.test[num(field(field(parse(`[[ ${op} x ]]`), 'Cmd') ?? {}, 'X') ?? {}, 'Op')] ??= op;
  const binary = '=~ == = != -nt -ot -ef -eq -ne -le -ge -lt -gt < > && ||'.split(' ');
  for (const op of binary)
    ops.test[num(field(field(parse(`[[ a ${op} b ]]`), 'Cmd') ?? {}, 'X') ?? {}, 'Op')] = op;
  for (const op of ['?(', '*(', '+(', '@(', '!('])
    ops.glob[num(firstPart(args(parse(`a ${op}x)`))[1]), 'Op')] = op;
  return ops;
}

type LitContext = 'unquoted' | 'dq' | 'heredoc' | 'dqOperand' | 'raw';

/** Removes backslashes the way bash's quote removal does in `ctx`. */
function unescape(value: string, ctx: LitContext): string {
  if (ctx === 'raw' || !value.includes('\\')) return value;
  const special =
    ctx === 'dq' ? '$`"\\\n' : ctx === 'heredoc' ? '$`\\\n' : ctx === 'dqOperand' ? '$`"\\}\n' : null;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '\\' && i + 1 < value.length && (special === null || special.includes(value.charAt(i + 1)))) {
      const n = value.charAt(++i);
      if (n !== '\n') out += n;
    } else out += c;
  }
  return out;
}

/** An independent (regex-based) reference decoder for `$'…'`, to check ours. */
function decodeAnsiCReference(raw: string): string {
  const simple: Record<string, string> = {
    a: '\x07',
    b: '\b',
    e: '\x1b',
    E: '\x1b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '?': '?',
  };
  const out = raw.replace(
    /\\(?:([abeEfnrtv\\'"?])|([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|c([\s\S]))/g,
    (m: string, s?: string, o?: string, x?: string, u?: string, big?: string, ctl?: string): string => {
      if (s !== undefined) return simple[s] ?? m;
      if (o !== undefined) return String.fromCharCode(parseInt(o, 8) & 0xff);
      const hex = x ?? u ?? big;
      if (hex !== undefined) {
        const v = parseInt(hex, 16);
        return v > 0x10ffff ? '\ufffd' : String.fromCodePoint(v);
      }
      return ctl !== undefined ? String.fromCharCode(ctl.charCodeAt(0) & 0x1f) : m;
    },
  );
  const nul = out.indexOf('\0');
  return nul >= 0 ? out.slice(0, nul) : out;
}

export class MvdanNormalizer {
  private readonly out: string[] = [];
  /** `time`/`coproc` words (and word nodes) waiting for the first command they apply to. */
  private prefix: { words: string[]; nodes: MvNode[] } | null = null;

  constructor(private readonly ops: MvOps) {}

  /** The comparison form of a parsed file (the internal object, see `internalFile`). */
  static run(ops: MvOps, file: MvNode): string[] {
    const n = new MvdanNormalizer(ops);
    n.stmts(list(file, 'Stmts'));
    return n.out;
  }

  private stmts(stmts: MvNode[]): void {
    for (const s of stmts) {
      this.stmt(s);
      this.out.push(flag(s, 'Background') ? '&' : ';');
    }
  }

  private stmt(s: MvNode): void {
    if (flag(s, 'Negated')) this.out.push('!');
    const cmd = field(s, 'Cmd');
    const redirs = list(s, 'Redirs');
    if (cmd === null) {
      this.call([], [], redirs);
      return;
    }
    const type = kind(cmd);
    switch (type) {
      case 'CallExpr': {
        this.call(
          list(cmd, 'Assigns'),
          list(cmd, 'Args').map((w) => this.word(w)),
          redirs,
          list(cmd, 'Args'),
        );
        return;
      }
      case 'DeclClause': {
        const words = [str(field(cmd, 'Variant'), 'Value')];
        for (const a of list(cmd, 'Args')) words.push(this.assign(a, true));
        this.call([], words, redirs, list(cmd, 'Args'));
        return;
      }
      case 'LetClause':
        this.call([], ['let'], redirs);
        for (const e of list(cmd, 'Exprs')) this.walkGeneric(e);
        return;
      case 'TimeClause':
      case 'CoprocClause': {
        const prefix = this.prefix ?? { words: [], nodes: [] };
        this.prefix = null;
        prefix.words.push(type === 'TimeClause' ? 'time' : 'coproc');
        if (flag(cmd, 'PosixFormat')) prefix.words.push('-p');
        const name = field(cmd, 'Name');
        if (name !== null) {
          prefix.words.push(this.word(name));
          prefix.nodes.push(name);
        }
        const inner = field(cmd, 'Stmt');
        this.prefix = prefix;
        if (inner === null) {
          this.call([], [], redirs);
          return;
        }
        this.stmt(inner);
        return;
      }
      case 'BinaryCmd': {
        this.stmt(field(cmd, 'X') ?? {});
        this.out.push(this.ops.binary[num(cmd, 'Op')] ?? '?');
        this.stmt(field(cmd, 'Y') ?? {});
        return;
      }
      default:
        this.prefix = null; // `time { …; }`: the keyword is dropped
        {
          this.compound(type, cmd, redirs);
          return;
        }
    }
  }

  private compound(type: string, cmd: MvNode, redirs: MvNode[]): void {
    switch (type) {
      case 'Subshell':
      case 'Block':
        this.out.push(type === 'Block' ? '{' : '(');
        this.stmts(list(cmd, 'Stmts'));
        {
          this.close(type === 'Block' ? '}' : ')', redirs);
          return;
        }
      case 'IfClause': {
        let clause: MvNode | null = cmd;
        let first = true;
        while (clause !== null) {
          const cond = list(clause, 'Cond');
          if (first || cond.length > 0) {
            this.out.push(first ? 'if' : 'elif');
            this.stmts(cond);
            this.out.push('then');
          } else this.out.push('else');
          this.stmts(list(clause, 'Then'));
          first = false;
          clause = field(clause, 'Else');
        }
        this.close('fi', redirs);
        return;
      }
      case 'WhileClause':
        this.out.push(flag(cmd, 'Until') ? 'until' : 'while');
        this.stmts(list(cmd, 'Cond'));
        this.out.push('do');
        this.stmts(list(cmd, 'Do'));
        {
          this.close('done', redirs);
          return;
        }
      case 'ForClause': {
        const loop = field(cmd, 'Loop') ?? {};
        if (kind(loop) === 'CStyleLoop') {
          this.out.push('for ((');
          this.walkGeneric(loop);
        } else {
          const items = list(loop, 'Items');
          const inPos = loop['InPos'] as { lineCol?: unknown } | undefined; // a Pos value; valid when set
          const hasIn = items.length > 0 || (typeof inPos?.lineCol === 'number' && inPos.lineCol > 0);
          const keyword = flag(cmd, 'Select') ? 'select' : 'for';
          const name = str(field(loop, 'Name'), 'Value');
          this.out.push(
            `${keyword} ${name}` + (hasIn ? ' in ' + JSON.stringify(items.map((w) => this.word(w))) : ''),
          );
          for (const w of items) this.wordChildren(w);
        }
        this.out.push('do');
        this.stmts(list(cmd, 'Do'));
        this.close('done', redirs);
        return;
      }
      case 'CaseClause': {
        const word = field(cmd, 'Word') ?? {};
        this.out.push('case ' + JSON.stringify(this.word(word)));
        this.wordChildren(word);
        for (const item of list(cmd, 'Items')) {
          this.out.push('pattern ' + JSON.stringify(list(item, 'Patterns').map((w) => this.word(w))));
          for (const w of list(item, 'Patterns')) this.wordChildren(w);
          this.stmts(list(item, 'Stmts'));
          this.out.push(this.ops.caseOp[num(item, 'Op')] ?? ';;');
        }
        this.close('esac', redirs);
        return;
      }
      case 'FuncDecl':
        this.out.push('function ' + str(field(cmd, 'Name'), 'Value'));
        this.stmt(field(cmd, 'Body') ?? {});
        return;
      case 'TestClause': {
        const words: MvNode[] = [];
        const texts: string[] = [];
        this.flattenTest(field(cmd, 'X'), texts, words);
        this.out.push('[[ ' + JSON.stringify(texts));
        for (const w of words) this.wordChildren(w);
        this.close(']]', redirs);
        return;
      }
      case 'ArithmCmd':
        this.out.push('((');
        this.walkGeneric(field(cmd, 'X'));
        {
          this.close('))', redirs);
          return;
        }
      default:
        this.out.push(`unsupported ${type}`);
    }
  }

  private flattenTest(x: MvNode | null, texts: string[], words: MvNode[]): void {
    if (x === null) return;
    switch (kind(x)) {
      case 'BinaryTest':
        this.flattenTest(field(x, 'X'), texts, words);
        texts.push(this.ops.test[num(x, 'Op')] ?? '?');
        this.flattenTest(field(x, 'Y'), texts, words);
        return;
      case 'UnaryTest':
        texts.push(this.ops.test[num(x, 'Op')] ?? '?');
        this.flattenTest(field(x, 'X'), texts, words);
        return;
      case 'ParenTest':
        texts.push('(');
        this.flattenTest(field(x, 'X'), texts, words);
        texts.push(')');
        return;
      default:
        texts.push(this.word(x));
        words.push(x);
    }
  }

  private close(token: string, redirs: MvNode[]): void {
    this.out.push(
      redirs.length === 0 ? token : `${token} ${JSON.stringify(redirs.map((r) => this.redirect(r)))}`,
    );
    for (const r of redirs) this.redirectChildren(r);
  }

  private call(assigns: MvNode[], words: string[], redirs: MvNode[], argNodes: MvNode[] = []): void {
    let allWords = words;
    let prefixNodes: MvNode[] = [];
    if (this.prefix !== null) {
      allWords = [...this.prefix.words, ...words];
      prefixNodes = this.prefix.nodes;
      this.prefix = null;
    }
    const first = allWords[0];
    this.out.push(
      cmdEvent(
        assigns.map((a) => this.assign(a, false)),
        first === 'let' ? ['let'] : allWords,
        redirs.map((r) => this.redirect(r)),
      ),
    );
    for (const a of assigns) this.assignChildren(a);
    for (const w of [...prefixNodes, ...argNodes]) this.walkGeneric(w);
    for (const r of redirs) this.redirectChildren(r);
  }

  private assign(a: MvNode, declaration: boolean): string {
    const name = str(field(a, 'Name'), 'Value');
    const value = field(a, 'Value');
    const array = field(a, 'Array');
    if (declaration && flag(a, 'Naked')) return value !== null ? this.word(value) : name;
    let text = name + (field(a, 'Index') !== null ? '[…]' : '') + (flag(a, 'Append') ? '+=' : '=');
    if (array !== null) {
      // Our `[k]=v` elements are plain words (glob, for the `[`); in a declaration the array is one word.
      let anyGlob = false as boolean; // assigned in the callback below
      const elems = list(array, 'Elems').map((e) => {
        const index = field(e, 'Index');
        const parts = list(field(e, 'Value') ?? {}, 'Parts');
        const glob = index !== null || this.glob(parts);
        anyGlob ||= glob;
        const indexText =
          index === null
            ? ''
            : `[${kind(index) === 'Word' ? this.render(list(index, 'Parts'), 'unquoted') : '…'}]=`;
        return indexText + this.render(parts, 'unquoted') + (glob && !declaration ? ' [glob]' : '');
      });
      text += '(' + elems.join(' ') + ')' + (anyGlob && declaration ? ' [glob]' : '');
    } else if (value !== null) text += this.word(value);
    return text;
  }

  private assignChildren(a: MvNode): void {
    this.walkGeneric(field(a, 'Index'));
    const value = field(a, 'Value');
    if (value !== null) this.wordChildren(value);
    for (const e of list(field(a, 'Array') ?? {}, 'Elems')) {
      this.walkGeneric(field(e, 'Index'));
      const v = field(e, 'Value');
      if (v !== null) this.wordChildren(v);
    }
  }

  private redirect(r: MvNode): string {
    const target = field(r, 'Word') ?? {};
    let text = str(field(r, 'N'), 'Value') + (this.ops.redir[num(r, 'Op')] ?? '?') + this.word(target);
    const hdoc = field(r, 'Hdoc');
    const ctx = this.quotedDelimiter(target) ? 'raw' : 'heredoc';
    let body = hdoc === null ? '' : this.render(list(hdoc, 'Parts'), ctx);
    // mvdan-sh keeps `<<-` bodies raw (with their leading tabs and the tabs before the delimiter).
    if (this.ops.redir[num(r, 'Op')] === '<<-') body = body.replace(/^\t+/gm, '').replace(/\t+$/, '');
    if (body !== '') text += '<<' + body + '>>';
    return text;
  }

  private quotedDelimiter(w: MvNode): boolean {
    return list(w, 'Parts').some((p) => kind(p) !== 'Lit' || str(p, 'Value').includes('\\'));
  }

  private redirectChildren(r: MvNode): void {
    const target = field(r, 'Word');
    if (target !== null) this.wordChildren(target);
    const hdoc = field(r, 'Hdoc');
    if (hdoc !== null) this.wordChildren(hdoc);
  }

  /** Word text in the comparison form. */
  private word(w: MvNode): string {
    const parts = list(w, 'Parts');
    return this.render(parts, 'unquoted') + (this.glob(parts) ? ' [glob]' : '');
  }

  private glob(parts: MvNode[]): boolean {
    return parts.some((p) => {
      const type = kind(p);
      if (type === 'ExtGlob') return true;
      if (type !== 'Lit') return false;
      const v = str(p, 'Value');
      for (let i = 0; i < v.length; i++) {
        const c = v.charAt(i);
        if (c === '\\') i++;
        else if (c === '*' || c === '?' || c === '[') return true;
      }
      return false;
    });
  }

  private render(parts: MvNode[], ctx: LitContext): string {
    let s = '';
    for (const p of parts) {
      switch (kind(p)) {
        case 'Lit':
          s += unescape(str(p, 'Value'), ctx);
          break;
        case 'SglQuoted':
          s += flag(p, 'Dollar') ? decodeAnsiCReference(str(p, 'Value')) : str(p, 'Value');
          break;
        case 'DblQuoted':
          s += this.render(list(p, 'Parts'), 'dq');
          break;
        case 'ParamExp':
          s += this.param(p, ctx === 'dq' || ctx === 'dqOperand' || ctx === 'heredoc');
          break;
        case 'CmdSubst':
          s += '$(…)';
          break;
        case 'ArithmExp':
          s += '$((…))';
          break;
        case 'ProcSubst':
          s += this.ops.proc[num(p, 'Op')] === '<(' ? '<(…)' : '>(…)';
          break;
        case 'ExtGlob':
          s += (this.ops.glob[num(p, 'Op')] ?? '?(') + str(field(p, 'Pattern'), 'Value') + ')';
          break;
        default:
          s += `?${kind(p)}`;
      }
    }
    return s;
  }

  private param(p: MvNode, inDq: boolean): string {
    const prefix = flag(p, 'Excl') ? '!' : flag(p, 'Length') ? '#' : '';
    const name = str(field(p, 'Param'), 'Value');
    const subscript = field(p, 'Index') !== null;
    const names = this.ops.names[num(p, 'Names')];
    if (names !== undefined) return paramMarker(prefix, name, subscript, names, null);
    const exp = field(p, 'Exp');
    const repl = field(p, 'Repl');
    const ctx: LitContext = inDq ? 'dqOperand' : 'unquoted';
    if (exp !== null) {
      const w = field(exp, 'Word');
      const text = subscript ? null : w === null ? '' : this.render(list(w, 'Parts'), ctx);
      return paramMarker(prefix, name, subscript, this.ops.exp[num(exp, 'Op')] ?? '?', text);
    }
    if (repl !== null) {
      const orig = this.render(list(field(repl, 'Orig') ?? {}, 'Parts'), ctx);
      const withWord = field(repl, 'With');
      const text = withWord === null ? orig : orig + '/' + this.render(list(withWord, 'Parts'), ctx);
      return paramMarker(prefix, name, subscript, flag(repl, 'All') ? '//' : '/', subscript ? null : text);
    }
    if (field(p, 'Slice') !== null) return paramMarker(prefix, name, subscript, ':', null);
    return paramMarker(prefix, name, subscript, '', null);
  }

  /** Nested scripts inside a word, in order. */
  private wordChildren(w: MvNode): void {
    this.walkGeneric(w);
  }

  /** Finds command and process substitutions anywhere below `node`, in source order. */
  private walkGeneric(node: MvNode | null): void {
    if (node === null) return;
    const visit = (n: MvNode): boolean => {
      const type = kind(n);
      if (type !== 'CmdSubst' && type !== 'ProcSubst') return true;
      this.out.push(type === 'CmdSubst' ? '$(' : (this.ops.proc[num(n, 'Op')] ?? '<('));
      this.stmts(list(n, 'Stmts'));
      this.out.push(')');
      return false;
    };
    if (visit(node)) walk(node, visit);
  }
}
