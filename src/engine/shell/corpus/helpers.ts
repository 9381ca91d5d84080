/**
 * Test-only helpers for the parser unit tests (parse.test.ts, words.test.ts).
 */
import type { Command, Script, SimpleCommand, WordPart } from '../ast';
import { parseShell } from '../parse';
import { simpleCommands, wordText } from './ast-walk';

export function parse(source: string): Script {
  const r = parseShell(source);
  if (!r.ok)
    throw new Error(`expected ${JSON.stringify(source)} to parse: ${r.error.message} at ${r.error.offset}`);
  return r.script;
}

export function error(source: string): { message: string; offset: number } {
  const r = parseShell(source);
  if (r.ok) throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
  return r.error;
}

/** Deep copy without `start`/`end`, to compare AST fragments. */
export function strip<T>(node: T): T {
  return JSON.parse(
    JSON.stringify(node, (k, v: unknown) => (k === 'start' || k === 'end' ? undefined : v)),
  ) as T;
}

export function first(source: string): Command {
  const c = parse(source).statements[0]?.first.commands[0];
  if (c === undefined) throw new Error('no command');
  return c;
}

export function simple(source: string): SimpleCommand {
  const c = first(source);
  if (c.type !== 'SimpleCommand') throw new Error(`expected a simple command, got ${c.type}`);
  return c;
}

export const lit = (value: string, glob = false): WordPart => ({ type: 'Literal', value, glob });
export const sq = (value: string, ansiC = false): WordPart => ({ type: 'SingleQuoted', value, ansiC });
export const dq = (...parts: WordPart[]): WordPart => ({ type: 'DoubleQuoted', parts });
export const param = (name: string, raw: string, operand: WordPart[] = []): WordPart => ({
  type: 'ParamExpansion',
  name,
  raw,
  operand,
});

/** Parts of the i-th word of the first simple command, without spans. */
export function wordParts(source: string, i: number): WordPart[] {
  const w = simple(source).words[i];
  if (w === undefined) throw new Error(`no word ${i}`);
  return strip(w.parts);
}

/** The words of the first simple command, as text. */
export function words(source: string): string[] {
  return simple(source).words.map(wordText);
}

/** Every simple command anywhere in the parsed source (what the command guard must find). */
export function allCommands(source: string): string[] {
  return simpleCommands(parse(source));
}
