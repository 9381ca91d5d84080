/**
 * Test-only: judges one input by parsing it with our parser and with mvdan-sh, comparing accept/reject and the
 * comparison form (normalize.ts), and recognising the documented deliberate deviations (DEVIATIONS below, also
 * listed in docs/decisions/0003-shell-parser.md).
 */
import type { Command, ParseResult, Script, WordPart } from '../ast';
import { parseShell } from '../parse';
import { visitParts, visitScript } from './ast-walk';
import { MvdanNormalizer, calibrate, findNode, internalFile } from './mvdan';
import type { MvNode, MvSyntax } from './mvdan';
import { normalizeOurs } from './normalize';

type MvResult = { ok: true; file: MvNode; events: string[] } | { ok: false; message: string; offset: number };

export type Case = {
  source: string;
  ours: ParseResult;
  oursEvents: string[] | null;
  mvdan: MvResult;
};

export type Verdict =
  | { kind: 'agree'; accepted: boolean }
  | { kind: 'deviation'; id: string }
  | { kind: 'mismatch'; detail: string };

export type Deviation = { id: string; why: string; applies: (c: Case) => boolean };

const DECLARATION_BUILTINS = new Set(['declare', 'typeset', 'local', 'export', 'readonly', 'nameref']);

/** Deliberate, explained differences from mvdan-sh. Each is checked narrowly (position or node kind). */
export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'arithmetic-syntax',
    why:
      'mvdan-sh parses arithmetic ($(( )), (( )), $[ ], array subscripts) and rejects malformed ' +
      'expressions; bash (and we) keep the text and fail only when it is evaluated. Expansions inside are still found.',
    applies: (c) => oursOnlyAccepts(c) && errorInside(c, arithmeticRegions),
  },
  {
    id: 'declaration-arguments',
    why:
      'mvdan-sh parses the arguments of declare/local/export/readonly/typeset as assignments and rejects some ' +
      '(`export /=`, `local >x y`); bash checks them at run time. We read them as ordinary words.',
    applies: (c) =>
      (oursOnlyAccepts(c) &&
        errorInside(c, (s) => commands(s).filter((x) => DECLARATION_BUILTINS.has(commandName(x) ?? '')))) ||
      (!c.ours.ok && hasNode(c, 'DeclClause')),
  },
  {
    id: 'let-arguments',
    why:
      'mvdan-sh parses `let` arguments as arithmetic, so an unquoted `|`, `<`, `>` or `&` there is an operator ' +
      'for it while bash treats it as a pipe or redirection (as we do). We render `let` commands as the word `let`.',
    applies: (c) => !agreeing(c) && c.ours.ok && commands(c.ours.script).some(isLet),
  },
  {
    id: 'single-quote-in-double-quoted-operand',
    why:
      'In "${x:-\'…\'}" the single quotes are ordinary characters for bash, so a $( ) between them runs; mvdan-sh ' +
      'treats them as quotes and would hide that command substitution. We follow bash.',
    applies: (c) =>
      c.ours.ok &&
      !agreeing(c) &&
      dqOperands(c.ours.script).some((parts) => parts.some((p) => literalHas(p, "'"))),
  },
  {
    id: 'bang-paren-is-negated-subshell',
    why:
      'At the start of a command `!(…)` is a negated subshell for bash (it runs the commands inside); mvdan-sh ' +
      'reads it as an extended-glob word. We follow bash.',
    applies: (c) =>
      c.ours.ok && pipelines(c.ours.script).some((p) => p.negated && c.source.startsWith('!(', p.start)),
  },
  {
    id: 'mvdan-bugs',
    why:
      "Checked against bash 5.2, mvdan-sh is wrong here and we follow bash: it fails on `$'…'` right before a " +
      'closing backquote and mishandles \\$ \\` \\\\ inside single quotes or nested backquotes within backquotes; ' +
      'it takes `#` right after `$name` for a comment (`echo $a#; rm x` hides `rm x`); it rejects `=` and `[x]` ' +
      'as array elements and splits `e[x]=` ones; it ends a here-document at a line like `${x}EOF` and keeps the backslash of `<<"E\\"F"`; it accepts an empty body written `do;` / `then;`; it continues a comment that ends ' +
      'with a backslash onto the next line; it takes digits that end a longer word for a file descriptor ' +
      '(`""2>x`, `${x}1>y`: bash redirects stdout and keeps the digits in the word).',
    applies: (c) =>
      (c.ours.ok && !agreeing(c) && backquotes(c.ours.script).some(trickyBackquote)) ||
      (c.ours.ok && !agreeing(c) && hashAfterParam(c.ours.script)) ||
      (!c.ours.ok && c.mvdan.ok && /\$[A-Za-z_]\w*#/.test(c.source)) ||
      (c.ours.ok &&
        !c.mvdan.ok &&
        /array element values must be words|"\[x\]" must be followed by =/.test(c.mvdan.message)) ||
      (!c.ours.ok && c.mvdan.ok && c.ours.error.message === "unexpected ';'" && emptyBodyBefore(c)) ||
      (!c.ours.ok && c.mvdan.ok && c.source.includes('\\`')) || // nested backquotes
      (c.ours.ok && !agreeing(c) && digitsBeforeRedirect(c)) ||
      (!agreeing(c) && /=\([^)]*\w\[[^\]]*\]=/.test(c.source)) ||
      (!c.ours.ok && c.mvdan.ok && c.ours.error.message.startsWith('unterminated here-document')) ||
      (!agreeing(c) && /<<-?\s*"[^"\n]*\\/.test(c.source)) ||
      (!agreeing(c) && /#[^\n]*\\\n/.test(c.source)), // it continues a comment after a final backslash
  },
  {
    id: 'parameter-expansion-syntax',
    why:
      'bash checks the inside of `${…}` only when it expands it; we reject malformed expansions at parse time ' +
      '(fail closed), as mvdan-sh mostly does, but the two draw the line differently on a few forms like `${x }`.',
    applies: (c) => !c.ours.ok && c.mvdan.ok && c.ours.error.message === 'bad substitution',
  },
  {
    id: 'coproc',
    why:
      'bash treats `coproc NAME compound` specially; the AST has no coproc node, so we reject that form (rare) and ' +
      'parse `coproc cmd args` as a simple command. mvdan-sh guesses NAME differently from bash.',
    applies: (c) => !agreeing(c) && (hasNode(c, 'CoprocClause') || /(^|[^\w-])coproc\s/.test(c.source)),
  },
];

export function createJudge(sh: MvSyntax): (source: string) => Verdict {
  const ops = calibrate(sh);
  const parser = sh.NewParser(); // reusable, and six times faster than a new parser per input
  const runMvdan = (source: string): MvResult => {
    try {
      const file = internalFile(parser.Parse(source, ''));
      return { ok: true, file, events: MvdanNormalizer.run(ops, file) };
    } catch (e) {
      const message = mvdanMessage(e);
      return { ok: false, message, offset: lineColToOffset(source, message) };
    }
  };
  return (source: string): Verdict => {
    const ours = parseShell(source);
    const c: Case = {
      source,
      ours,
      oursEvents: ours.ok ? normalizeOurs(ours.script) : null,
      mvdan: runMvdan(source),
    };
    if (agreeing(c)) return { kind: 'agree', accepted: ours.ok };
    const deviation = DEVIATIONS.find((d) => d.applies(c));
    if (deviation !== undefined) return { kind: 'deviation', id: deviation.id };
    return { kind: 'mismatch', detail: describe(c) };
  };
}

function agreeing(c: Case): boolean {
  if (c.ours.ok !== c.mvdan.ok) return false;
  if (!c.mvdan.ok) return true;
  return JSON.stringify(c.oursEvents) === JSON.stringify(c.mvdan.events);
}

function oursOnlyAccepts(c: Case): boolean {
  return c.ours.ok && !c.mvdan.ok;
}

function describe(c: Case): string {
  if (!c.ours.ok) return `ours rejects (${c.ours.error.message} at ${c.ours.error.offset}), mvdan-sh accepts`;
  if (!c.mvdan.ok) return `mvdan-sh rejects (${c.mvdan.message}), ours accepts`;
  const a = c.oursEvents ?? [];
  const b = c.mvdan.events;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `event ${i}: ours ${a[i] ?? '(none)'} / mvdan-sh ${b[i] ?? '(none)'}`;
  }
  return 'different';
}

function mvdanMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'Error' in e && typeof e.Error === 'function') {
    const text = (e.Error as () => unknown)();
    if (typeof text === 'string') return text;
  }
  throw e;
}

/** mvdan-sh reports `line:col` (1-based, col in UTF-8 bytes); converts to a UTF-16 offset. */
function lineColToOffset(source: string, message: string): number {
  const m = /^(\d+):(\d+):/.exec(message);
  if (m === null) return -1;
  let line = Number(m[1]);
  let i = 0;
  while (line > 1 && i < source.length) if (source.charCodeAt(i++) === 10) line--;
  let bytes = Number(m[2]) - 1;
  while (bytes > 0 && i < source.length) {
    const cp = source.codePointAt(i) ?? 0;
    bytes -= cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

type Region = { start: number; end: number };

function errorInside(c: Case, regions: (s: Script) => Region[]): boolean {
  if (!c.ours.ok || c.mvdan.ok) return false;
  const at = c.mvdan.offset;
  return regions(c.ours.script).some((r) => r.start <= at && at <= r.end);
}

/** The command name of a simple command, after any `time [-p]` prefix (static words only). */
function commandName(c: Command): string | null {
  if (c.type !== 'SimpleCommand') return null;
  const texts = c.words.map((w) =>
    w.parts.length === 1 && w.parts[0]?.type === 'Literal' ? w.parts[0].value : '',
  );
  return texts[texts[0] === 'time' ? (texts[1] === '-p' ? 2 : 1) : 0] ?? null;
}

function hasNode(c: Case, type: string): boolean {
  return c.mvdan.ok && findNode(c.mvdan.file, type);
}

function literalHas(p: WordPart, text: string): boolean {
  return p.type === 'Literal' && p.value.includes(text);
}

function commands(s: Script): Command[] {
  const out: Command[] = [];
  visitScript(s, { command: (c) => out.push(c) });
  return out;
}

function pipelines(s: Script): { negated: boolean; start: number }[] {
  const out: { negated: boolean; start: number }[] = [];
  const add = (script: Script): void => {
    for (const st of script.statements)
      for (const p of [st.first, ...st.rest.map((r) => r.pipeline)]) out.push(p);
  };
  add(s);
  visitScript(s, {
    command: (c) => {
      if (c.type === 'Subshell' || c.type === 'BraceGroup') add(c.body);
    },
    part: (p) => {
      if (p.type === 'CommandSubstitution' || p.type === 'ProcessSubstitution') add(p.script);
    },
  });
  return out;
}

type Substitution = { backquote: boolean; raw: string; script: Script };

function backquotes(s: Script): Substitution[] {
  const out: Substitution[] = [];
  visitScript(s, {
    part: (p) => (p.type === 'CommandSubstitution' && p.backquote ? out.push(p) : undefined),
  });
  return out;
}

/** `$'` inside, an escaped `$`/backquote/backslash inside single quotes, or escapes in a nested backquote. */
function trickyBackquote(p: Substitution): boolean {
  return (
    p.raw.includes("$'") ||
    p.raw.includes('\\\\') ||
    /'[^']*\\[$`\\]/.test(p.raw) ||
    backquotes(p.script).some((inner) => inner.raw.includes('\\'))
  );
}

/** A redirection without descriptor directly after a word that ends in a digit (`${x}1>p`). */
function digitsBeforeRedirect(c: Case): boolean {
  if (!c.ours.ok) return false;
  let found = false;
  visitScript(c.ours.script, {
    command: (x) => {
      for (const r of x.redirects)
        if (r.fd === null && /[0-9]$/.test(c.source.slice(0, r.start))) found = true;
    },
  });
  return found;
}

/** A word where a `#` directly follows a short `$name` expansion. */
function hashAfterParam(s: Script): boolean {
  let found = false;
  const check = (parts: WordPart[]): void => {
    parts.forEach((p, i) => {
      const next = parts[i + 1];
      if (
        p.type === 'ParamExpansion' &&
        !p.raw.startsWith('${') &&
        next?.type === 'Literal' &&
        next.value.startsWith('#')
      )
        found = true;
      if (p.type === 'DoubleQuoted') check(p.parts);
    });
  };
  visitScript(s, {
    word: (w) => {
      check(w.parts);
    },
  });
  return found;
}

/** Our error is at a `;` that directly follows `do`, `then`, `else` or `elif … then`. */
function emptyBodyBefore(c: Case): boolean {
  if (c.ours.ok) return false;
  return /(^|[\s;&|])(do|then|else)\s*$/.test(c.source.slice(0, c.ours.error.offset));
}

function isLet(c: Command): boolean {
  return commandName(c) === 'let';
}

/** Operands of `${…}` expansions inside double quotes. */
function dqOperands(s: Script): WordPart[][] {
  const out: WordPart[][] = [];
  visitScript(s, {
    part: (p, inDq) => (inDq && p.type === 'ParamExpansion' ? out.push(p.operand) : undefined),
  });
  return out;
}

/** Spans that hold arithmetic text: `(( ))`, `for ((…))` headers, words with `$(( ))`/`$[ ]`/`${a[…]}`/slices. */
function arithmeticRegions(s: Script): Region[] {
  const out: Region[] = [];
  const isArith = (p: WordPart): boolean =>
    p.type === 'ArithExpansion' || (p.type === 'ParamExpansion' && /^\$\{[^}]*(\[|:[^-=?+])/.test(p.raw));
  const deep = (parts: WordPart[]): boolean => {
    let found = false;
    visitParts(parts, { part: (p) => (found ||= isArith(p)) }, false);
    return found;
  };
  visitScript(s, {
    command: (c) => {
      if (c.type === 'ArithCommand') out.push(c);
      else if (c.type === 'ForClause' && c.arithmetic !== null)
        out.push({ start: c.start, end: c.body.start });
      else if (c.type === 'SimpleCommand')
        for (const a of c.assignments) if (a.subscript !== null) out.push(a);
    },
    word: (w) => (deep(w.parts) ? out.push(w) : undefined),
  });
  return out;
}
