/**
 * Test-only: the comparison form of the differential test (parse.differential.test.ts). Both our AST and an
 * mvdan-sh AST are flattened into the same list of events, in source order:
 *
 * - one `cmd {"a":[…],"w":[…],"r":[…]}` per simple command (assignments, words, redirections), wherever it
 *   is (lists, pipelines, compound bodies, function bodies, `$( )`, backquotes, `<( )`, `${x:-$( )}`,
 *   arithmetic, `[[ ]]`, here-document bodies);
 * - structural tokens: `;` / `&` after each statement, `&&` `||` `|` `|&` `!`, and open/close tokens for
 *   compound commands and substitutions (`(`, `{`, `if`, `then`, `$(`, `)`, …).
 *
 * A word is rendered as its static value when it has no expansion (quotes removed, escapes resolved,
 * `$'…'` decoded) and with canonical markers otherwise (`${name}`, `$(…)`, `$((…))`, `<(…)`), plus ` [glob]`
 * when it contains an unquoted `*`, `?` or `[`. So a wrong word split, a lost or extra command, a wrong quote
 * removal or a wrongly ended substitution all show up as a difference.
 *
 * Normalisations (both sides agree to the same form): `time`/`coproc` keywords are prefixed to the first simple
 * command they apply to (mvdan-sh has TimeClause/CoprocClause nodes); `let` is rendered as the word `let` only
 * (mvdan-sh parses its arguments as arithmetic); declaration builtins are rendered as words.
 */
import type { Command, Pipeline, Redirect, Script, Word, WordPart } from '../ast';

// ------------------------------------------------------------------ ours

export function normalizeOurs(script: Script): string[] {
  const out: string[] = [];
  ourScript(script, out);
  return out;
}

function ourScript(script: Script, out: string[]): void {
  for (const st of script.statements) {
    ourPipeline(st.first, out);
    for (const r of st.rest) {
      out.push(r.op);
      ourPipeline(r.pipeline, out);
    }
    out.push(st.background ? '&' : ';');
  }
}

function ourPipeline(p: Pipeline, out: string[]): void {
  if (p.negated) out.push('!');
  p.commands.forEach((c, i) => {
    ourCommand(c, out);
    if (i < p.commands.length - 1) out.push(p.pipeStderr[i] === true ? '|&' : '|');
  });
}

function ourCommand(c: Command, out: string[]): void {
  switch (c.type) {
    case 'SimpleCommand': {
      const texts = c.words.map(wordText);
      const head = texts[0] === 'time' ? (texts[1] === '-p' ? 2 : 1) : 0;
      const isLet = texts[head] === 'let';
      const assigns = c.assignments.map((a) => {
        let text = a.name + (a.subscript !== null ? '[…]' : '') + (a.append ? '+=' : '=');
        if (a.array !== null) text += '(' + a.array.map(wordText).join(' ') + ')';
        else if (a.value !== null) text += wordText(a.value);
        return text;
      });
      out.push(cmdEvent(assigns, isLet ? texts.slice(0, head + 1) : texts, c.redirects.map(ourRedirect)));
      for (const a of c.assignments) {
        if (a.subscript !== null) ourParts(a.subscript.parts, out);
        if (a.value !== null) ourParts(a.value.parts, out);
        for (const w of a.array ?? []) ourParts(w.parts, out);
      }
      for (const w of c.words) ourParts(w.parts, out);
      ourRedirectChildren(c.redirects, out);
      return;
    }
    case 'Subshell':
      out.push('(');
      ourScript(c.body, out);
      {
        ourClose(')', c.redirects, out);
        return;
      }
    case 'BraceGroup':
      out.push('{');
      ourScript(c.body, out);
      {
        ourClose('}', c.redirects, out);
        return;
      }
    case 'IfClause':
      c.branches.forEach((b, i) => {
        out.push(i === 0 ? 'if' : 'elif');
        ourScript(b.condition, out);
        out.push('then');
        ourScript(b.body, out);
      });
      if (c.elseBody !== null) {
        out.push('else');
        ourScript(c.elseBody, out);
      }
      {
        ourClose('fi', c.redirects, out);
        return;
      }
    case 'WhileClause':
      out.push(c.until ? 'until' : 'while');
      ourScript(c.condition, out);
      out.push('do');
      ourScript(c.body, out);
      {
        ourClose('done', c.redirects, out);
        return;
      }
    case 'ForClause':
      if (c.arithmetic !== null) {
        out.push('for ((');
        ourParts(c.arithmetic.parts, out);
      } else {
        out.push(
          `${c.keyword} ${c.variable ?? ''}` +
            (c.items === null ? '' : ' in ' + JSON.stringify(c.items.map(wordText))),
        );
        for (const w of c.items ?? []) ourParts(w.parts, out);
      }
      out.push('do');
      ourScript(c.body, out);
      {
        ourClose('done', c.redirects, out);
        return;
      }
    case 'CaseClause':
      out.push('case ' + JSON.stringify(wordText(c.word)));
      ourParts(c.word.parts, out);
      for (const item of c.items) {
        out.push('pattern ' + JSON.stringify(item.patterns.map(wordText)));
        for (const w of item.patterns) ourParts(w.parts, out);
        ourScript(item.body, out);
        out.push(item.terminator ?? ';;');
      }
      {
        ourClose('esac', c.redirects, out);
        return;
      }
    case 'FunctionDef':
      out.push('function ' + c.name);
      ourCommand(c.body, out);
      return;
    case 'TestClause':
      // mvdan-sh has one code for the synonyms -e/-a and -L/-h.
      out.push('[[ ' + JSON.stringify(c.words.map((w) => TEST_SYNONYMS[wordText(w)] ?? wordText(w))));
      for (const w of c.words) ourParts(w.parts, out);
      {
        ourClose(']]', c.redirects, out);
        return;
      }
    case 'ArithCommand':
      out.push('((');
      ourParts(c.arithmetic.parts, out);
      {
        ourClose('))', c.redirects, out);
        return;
      }
  }
}

const TEST_SYNONYMS: Record<string, string> = { '-a': '-e', '-h': '-L' };

function ourClose(token: string, redirects: Redirect[], out: string[]): void {
  out.push(redirects.length === 0 ? token : `${token} ${JSON.stringify(redirects.map(ourRedirect))}`);
  ourRedirectChildren(redirects, out);
}

function ourRedirect(r: Redirect): string {
  let text = (r.fd ?? '') + r.op + wordText(r.target);
  const body = r.heredoc === null ? '' : renderParts(r.heredoc.parts);
  if (body !== '') text += '<<' + body + '>>'; // mvdan-sh has no body node for an empty here-document
  return text;
}

function ourRedirectChildren(redirects: Redirect[], out: string[]): void {
  for (const r of redirects) {
    ourParts(r.target.parts, out);
    if (r.heredoc !== null) ourParts(r.heredoc.parts, out);
  }
}

/** Walks parts for nested scripts (substitutions) in order. */
function ourParts(parts: WordPart[], out: string[]): void {
  for (const p of parts) {
    switch (p.type) {
      case 'DoubleQuoted':
        ourParts(p.parts, out);
        break;
      case 'ParamExpansion':
        ourParts(p.operand, out);
        break;
      case 'CommandSubstitution':
        out.push('$(');
        ourScript(p.script, out);
        out.push(')');
        break;
      case 'ProcessSubstitution':
        out.push(p.direction === 'in' ? '<(' : '>(');
        ourScript(p.script, out);
        out.push(')');
        break;
      case 'ArithExpansion':
        ourParts(p.arithmetic.parts, out);
        break;
      case 'BraceExpansion':
        for (const alt of p.alternatives) ourParts(alt, out);
        break;
      default:
        break;
    }
  }
}

function wordText(w: Word): string {
  return renderParts(w.parts) + (partsGlob(w.parts) ? ' [glob]' : '');
}

function partsGlob(parts: WordPart[]): boolean {
  return parts.some(
    (p) =>
      (p.type === 'Literal' && p.glob) || (p.type === 'BraceExpansion' && p.alternatives.some(partsGlob)),
  );
}

function renderParts(parts: WordPart[]): string {
  let s = '';
  for (const p of parts) {
    switch (p.type) {
      case 'Literal':
      case 'SingleQuoted':
        s += p.value;
        break;
      case 'DoubleQuoted':
        s += renderParts(p.parts);
        break;
      case 'ParamExpansion':
        s += ourParamMarker(p.name, p.raw, p.operand);
        break;
      case 'CommandSubstitution':
        s += '$(…)';
        break;
      case 'ArithExpansion':
        s += '$((…))';
        break;
      case 'ProcessSubstitution':
        s += p.direction === 'in' ? '<(…)' : '>(…)';
        break;
      case 'BraceExpansion':
        s += p.alternatives.length === 0 ? p.raw : '{' + p.alternatives.map(renderParts).join(',') + '}';
        break;
    }
  }
  return s;
}

const PARAM_OPS = [
  ':-',
  ':=',
  ':?',
  ':+',
  ':',
  '-',
  '=',
  '?',
  '+',
  '##',
  '#',
  '%%',
  '%',
  '//',
  '/#',
  '/%',
  '/',
];
const CASE_OPS = ['^^', '^', ',,', ',', '@'];

/**
 * `${prefix name [sub] op operand}` from our raw text, mirroring the parser's reading of `${…}` (see
 * `paramMarker`). The operand is rendered only when there is no subscript (its expansions come first in
 * `operand`) and the operator is not a slice.
 */
function ourParamMarker(name: string, raw: string, operand: WordPart[]): string {
  if (!raw.startsWith('${')) return paramMarker('', name, false, '', null);
  let i = 2;
  let prefix = '';
  const c = raw.charAt(2);
  if ((c === '#' || c === '!') && raw.charAt(3) !== '}' && raw.startsWith(name, 3)) {
    const n = raw.charAt(3);
    if (!(c === '#' && (n === '-' || n === '?' || n === '='))) {
      prefix = c;
      i = 3;
    }
  }
  i += name.length;
  let subscript = false;
  if (raw.charAt(i) === '[') {
    subscript = true;
    let depth = 0;
    for (; i < raw.length; i++) {
      if (raw.charAt(i) === '[') depth++;
      else if (raw.charAt(i) === ']' && --depth === 0) break;
    }
    i++;
  }
  const rest = raw.slice(i, -1);
  if (rest === '' || (prefix === '!' && (rest === '*' || rest === '@')))
    return paramMarker(prefix, name, subscript, rest, null);
  const op = [...PARAM_OPS, ...CASE_OPS].find((o) => rest.startsWith(o)) ?? '?';
  let text: string | null = op === ':' || subscript ? null : renderParts(operand);
  if (op.startsWith('/') && text !== null) {
    const last = operand[operand.length - 1];
    if (last?.type === 'Literal' && last.value.endsWith('/') && text.endsWith('/')) text = text.slice(0, -1);
    if (op === '/#' || op === '/%') text = op.charAt(1) + text;
  }
  return paramMarker(prefix, name, subscript, op === '/#' || op === '/%' ? '/' : op, text);
}

function paramMarker(
  prefix: string,
  name: string,
  subscript: boolean,
  op: string,
  operand: string | null,
): string {
  return (
    '${' + prefix + name + (subscript ? '[…]' : '') + op + (operand === null ? '' : `«${operand}»`) + '}'
  );
}

function cmdEvent(assigns: string[], words: string[], redirs: string[]): string {
  return 'cmd ' + JSON.stringify({ a: assigns, w: words, r: redirs });
}

// ------------------------------------------------------------------ mvdan-sh

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
