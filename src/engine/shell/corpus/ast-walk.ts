/**
 * Test-only: walking our shell AST (every command, word and word part, including inside substitutions), and
 * rendering words as text. Used by the unit tests and the differential test.
 */
import type { Command, Script, Word, WordPart } from '../ast';

export type Visitor = {
  command?: (c: Command) => void;
  word?: (w: Word) => void;
  part?: (p: WordPart, inDq: boolean) => void;
};

export function visitScript(s: Script, v: Visitor): void {
  for (const st of s.statements) {
    for (const p of [st.first, ...st.rest.map((r) => r.pipeline)])
      for (const c of p.commands) visitCommand(c, v);
  }
}

export function visitCommand(c: Command, v: Visitor): void {
  v.command?.(c);
  const words: Word[] = [];
  const scripts: Script[] = [];
  const arith: WordPart[][] = [];
  switch (c.type) {
    case 'SimpleCommand':
      for (const a of c.assignments) {
        if (a.value !== null) words.push(a.value);
        words.push(...(a.array ?? []));
        if (a.subscript !== null) arith.push(a.subscript.parts);
      }
      words.push(...c.words);
      break;
    case 'Subshell':
    case 'BraceGroup':
      scripts.push(c.body);
      break;
    case 'IfClause':
      for (const b of c.branches) scripts.push(b.condition, b.body);
      if (c.elseBody !== null) scripts.push(c.elseBody);
      break;
    case 'WhileClause':
      scripts.push(c.condition, c.body);
      break;
    case 'ForClause':
      words.push(...(c.items ?? []));
      if (c.arithmetic !== null) arith.push(c.arithmetic.parts);
      scripts.push(c.body);
      break;
    case 'CaseClause':
      words.push(c.word);
      for (const item of c.items) {
        words.push(...item.patterns);
        scripts.push(item.body);
      }
      break;
    case 'FunctionDef':
      visitCommand(c.body, v);
      break;
    case 'TestClause':
      words.push(...c.words);
      break;
    case 'ArithCommand':
      arith.push(c.arithmetic.parts);
      break;
  }
  const redirectWords: Word[] = [];
  for (const r of c.redirects) {
    redirectWords.push(r.target);
    if (r.heredoc !== null) redirectWords.push(r.heredoc);
  }
  const visitWords = (ws: Word[]): void => {
    for (const w of ws) {
      v.word?.(w);
      visitParts(w.parts, v, false);
    }
  };
  // Source order: words, arithmetic, bodies, then the redirections written after them.
  visitWords(words);
  for (const parts of arith) visitParts(parts, v, false);
  for (const s of scripts) visitScript(s, v);
  visitWords(redirectWords);
}

export function visitParts(parts: WordPart[], v: Visitor, inDq: boolean): void {
  for (const p of parts) {
    v.part?.(p, inDq);
    if (p.type === 'DoubleQuoted') visitParts(p.parts, v, true);
    else if (p.type === 'ParamExpansion') visitParts(p.operand, v, inDq);
    else if (p.type === 'ArithExpansion') visitParts(p.arithmetic.parts, v, false);
    else if (p.type === 'BraceExpansion') for (const alt of p.alternatives) visitParts(alt, v, inDq);
    else if (p.type === 'CommandSubstitution' || p.type === 'ProcessSubstitution') visitScript(p.script, v);
  }
}

/** A word's text with quotes removed and escapes resolved; expansions as markers (`$x`, `$(…)`, `$((…))`). */
export function wordText(w: { parts: WordPart[] }): string {
  return w.parts.map(partText).join('');
}

function partText(p: WordPart): string {
  switch (p.type) {
    case 'Literal':
    case 'SingleQuoted':
      return p.value;
    case 'DoubleQuoted':
      return p.parts.map(partText).join('');
    case 'ParamExpansion':
      return p.raw;
    case 'CommandSubstitution':
      return '$(…)';
    case 'ArithExpansion':
      return '$((…))';
    case 'ProcessSubstitution':
      return p.direction === 'in' ? '<(…)' : '>(…)';
    case 'BraceExpansion':
      return p.raw;
  }
}

/** Every simple command anywhere in the script (in source order), as its words' texts joined by spaces. */
export function simpleCommands(script: Script): string[] {
  const out: string[] = [];
  visitScript(script, {
    command: (c) => {
      if (c.type === 'SimpleCommand') out.push(c.words.map(wordText).join(' '));
    },
  });
  return out;
}
