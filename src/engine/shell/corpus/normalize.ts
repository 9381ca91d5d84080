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
 *
 * This file renders our AST; mvdan.ts renders mvdan-sh's.
 */
import type { Command, Pipeline, Redirect, Script, Word, WordPart } from '../ast';

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

export function paramMarker(
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

export function cmdEvent(assigns: string[], words: string[], redirs: string[]): string {
  return 'cmd ' + JSON.stringify({ a: assigns, w: words, r: redirs });
}
